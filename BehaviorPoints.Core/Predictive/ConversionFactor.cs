using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BehaviorPoints.Core.Fit;

namespace BehaviorPoints.Core.Predictive;

/// <summary>
/// One reason behind a lead's likelihood to convert: a slot of the model's <see cref="FeatureSpace"/>, the lead's value
/// in plain units, and how far it moved the prediction (the model's own feature contribution; above zero raises it).
/// </summary>
public sealed record ConversionFactor(
    [property: JsonPropertyName("slot")] string Slot,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("weight")] double Weight)
{
    /// <summary>How many factors each way a lead keeps.</summary>
    public const int PerDirection = 3;

    public bool RaisesLikelihood => Weight > 0;

    /// <summary>
    /// The factor in words a rep understands ("Pricing page visit 4 times in the last 7 days", "Industry: Finance"), in
    /// the reader's language; <paramref name="behaviorLabel"/> names a behavior type as the reader knows it.
    /// </summary>
    public string Describe(IWords words, Func<string, string> behaviorLabel)
    {
        var slot = Predictive.Slot.Parse(Slot);
        var value = (long)Math.Round(Value);
        return slot.Kind switch
        {
            SlotKind.Behavior when value == 1 => words["{0} once in the last {1} days", behaviorLabel(slot.Name), slot.Days],
            SlotKind.Behavior => words["{0} {1} times in the last {2} days", behaviorLabel(slot.Name), value, slot.Days],
            SlotKind.Since when Value >= FeatureSpace.MaximumDays => words["No behavior in the last year"],
            SlotKind.Since when value < 1 => words["Last behavior today"],
            SlotKind.Since when value == 1 => words["Last behavior yesterday"],
            SlotKind.Since => words["Last behavior {0} days ago", value],
            SlotKind.Points => words["Behavior Points of {0}", value],
            _ => words["{0}: {1}", FitFields.LabelOf(slot.Name, words), slot.Value],
        };
    }

    /// <summary>
    /// Why the factor moves the likelihood the way it does, in the reader's language: what the closed leads the model
    /// learnt from showed. A factor that lowers it is not a fault of the lead's ("Purchases 5 times" can lower it when
    /// the leads that purchased more often went on to convert less often, the other factors being equal).
    /// </summary>
    public string Why(IWords words) => (Predictive.Slot.Parse(Slot).Kind, RaisesLikelihood) switch
    {
        (SlotKind.Behavior, true) => words["Leads that did this more often converted more often, other things being equal."],
        (SlotKind.Behavior, false) => words["Leads that did this more often converted less often, other things being equal."],
        (SlotKind.Since, true) => words["Leads quiet for longer converted more often, other things being equal."],
        (SlotKind.Since, false) => words["Every day without a behavior lowers it: leads quiet for longer converted less often, other things being equal."],
        (SlotKind.Points, true) => words["Leads with more Behavior Points converted more often, other things being equal."],
        (SlotKind.Points, false) => words["Leads with more Behavior Points converted less often, other things being equal."],
        (_, true) => words["Leads with this value converted more often than the others, other things being equal."],
        (_, false) => words["Leads with this value converted less often than the others, other things being equal."],
    };

    /// <summary>
    /// The strongest factors each way from a lead's contributions (one per slot), at most <see cref="PerDirection"/>
    /// each. A behavior's windows count as one factor (their contributions added), told over the shortest window it
    /// happened in: "4 times in the last 7 days" rather than the same visits three times.
    /// </summary>
    public static IReadOnlyList<ConversionFactor> Strongest(FeatureSpace space, LeadFeatures lead, ReadOnlySpan<float> contributions)
    {
        var all = new List<ConversionFactor>();
        for (var i = 0; i < contributions.Length && i < space.Slots.Count; i++)
        {
            var weight = contributions[i];
            if (weight == 0 || !float.IsFinite(weight))
            {
                continue;
            }
            var value = FeatureSpace.Value(lead, space[i]);
            // A one-hot field value the lead does not have says nothing a rep could read; nor does less than a day's quiet
            // (its share is next to nothing, and "Last behavior today" among what lowers it reads backwards).
            if ((space[i].Kind == SlotKind.Field && value == 0) || (space[i].Kind == SlotKind.Since && value < 1))
            {
                continue;
            }
            all.Add(new ConversionFactor(space.Slots[i], value, weight));
        }
        var behaviors = all
            .Where(f => Predictive.Slot.Parse(f.Slot).Kind == SlotKind.Behavior)
            .GroupBy(f => Predictive.Slot.Parse(f.Slot).Name, StringComparer.Ordinal)
            .Select(g =>
            {
                var shortest = g.Where(f => f.Value > 0).MinBy(f => Predictive.Slot.Parse(f.Slot).Days) ?? g.First();
                return shortest with { Weight = g.Sum(f => f.Weight) };
            });
        all = [.. all.Where(f => Predictive.Slot.Parse(f.Slot).Kind != SlotKind.Behavior), .. behaviors];
        all = [.. all.Where(f => f.Weight != 0).Select(f => f with { Weight = Math.Round(f.Weight, 4) })];
        return
        [
            .. all.Where(f => f.Weight > 0).OrderByDescending(f => f.Weight).Take(PerDirection),
            .. all.Where(f => f.Weight < 0).OrderBy(f => f.Weight).Take(PerDirection),
        ];
    }

    public static string ToJson(IReadOnlyList<ConversionFactor> factors) => JsonSerializer.Serialize(factors);

    public static IReadOnlyList<ConversionFactor> FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<ConversionFactor>>(json) ?? [];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Slot}={Value} ({Weight:+0.###;-0.###})");
}
