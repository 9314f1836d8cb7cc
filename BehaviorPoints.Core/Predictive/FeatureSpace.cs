using System.Globalization;
using System.Text.Json;
using BehaviorPoints.Core.Fit;

namespace BehaviorPoints.Core.Predictive;

/// <summary>
/// The numbers a model reads of a lead, one slot each, fixed when the model is trained and stored with it: a count per
/// behavior type seen in training and window ("b:website.visit:7"), the days since the last behavior ("since"), the
/// Behavior Points total ("points"), and one slot per fit-field value common enough in training to learn from
/// ("f:industry:Finance"). Counts and totals enter as log(1 + n), so a hundred visits do not weigh a hundred times one.
/// </summary>
public sealed class FeatureSpace
{
    public const string SinceSlot = "since";
    public const string PointsSlot = "points";

    /// <summary>A field value needs this many closed leads in training to get its own slot.</summary>
    public const int MinimumValueCount = 3;

    /// <summary>Days since the last behavior are counted up to a year; a lead without behaviors counts as a year.</summary>
    public const double MaximumDays = 365;

    private static readonly string[] s_fields = [FitFields.Industry, FitFields.CompanySize, FitFields.JobTitle, FitFields.Region];
    private const int MaximumValuesPerField = 30;

    private readonly Dictionary<string, int> _index;
    private readonly Slot[] _parsed;

    public FeatureSpace(IReadOnlyList<string> slots)
    {
        Slots = slots;
        _parsed = [.. slots.Select(Slot.Parse)];
        _index = slots.Select((slot, i) => (slot, i)).ToDictionary(s => s.slot, s => s.i, StringComparer.Ordinal);
    }

    /// <summary>The slots in vector order.</summary>
    public IReadOnlyList<string> Slots { get; }

    /// <summary>The slots for a training set: the behavior types and field values it holds.</summary>
    public static FeatureSpace For(IEnumerable<LeadFeatures> leads)
    {
        var list = leads.ToList();
        var types = list.SelectMany(l => l.Behaviors.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var slots = new List<string>();
        slots.AddRange(types.SelectMany(type => LeadFeatures.Windows.Select(days => BehaviorSlot(type, days))));
        slots.Add(SinceSlot);
        slots.Add(PointsSlot);
        foreach (var field in s_fields)
        {
            slots.AddRange(list
                .Select(l => l.Field(field))
                .OfType<string>()
                .GroupBy(v => v, StringComparer.Ordinal)
                .Where(g => g.Count() >= MinimumValueCount)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(MaximumValuesPerField)
                .Select(g => FieldSlot(field, g.Key)));
        }
        return new FeatureSpace(slots);
    }

    public static string BehaviorSlot(string type, int days) => string.Create(CultureInfo.InvariantCulture, $"b:{type}:{days}");

    public static string FieldSlot(string field, string value) => $"f:{field}:{value}";

    /// <summary>The lead's numbers in slot order, as the model reads them.</summary>
    public float[] Vector(LeadFeatures lead)
    {
        var vector = new float[Slots.Count];
        for (var i = 0; i < Slots.Count; i++)
        {
            vector[i] = (float)Value(lead, _parsed[i], scaled: true);
        }
        return vector;
    }

    /// <summary>The slot's value for the lead in plain units (a count, days, points, 1 or 0), or scaled as the model reads it.</summary>
    public static double Value(LeadFeatures lead, Slot slot, bool scaled = false) => slot.Kind switch
    {
        SlotKind.Behavior => lead.Behaviors.TryGetValue(slot.Name, out var counts) ? Scale(counts.Over(slot.Days), scaled) : 0,
        SlotKind.Since => Math.Min(lead.DaysSinceLastBehavior ?? MaximumDays, MaximumDays),
        SlotKind.Points => Scale(lead.Points, scaled),
        SlotKind.Field => string.Equals(lead.Field(slot.Name), slot.Value, StringComparison.Ordinal) ? 1 : 0,
        _ => 0,
    };

    private static double Scale(double value, bool scaled) => !scaled ? value : Math.Sign(value) * Math.Log(1 + Math.Abs(value));

    public string ToJson() => JsonSerializer.Serialize(Slots);

    public static FeatureSpace FromJson(string json) => new(JsonSerializer.Deserialize<List<string>>(json) ?? []);

    public int IndexOf(string slot) => _index.TryGetValue(slot, out var i) ? i : -1;

    /// <summary>The slot at <paramref name="index"/>, parsed.</summary>
    public Slot this[int index] => _parsed[index];
}

public enum SlotKind
{
    Behavior,
    Since,
    Points,
    Field,
}

/// <summary>One slot of a <see cref="FeatureSpace"/>, read from its text.</summary>
public readonly record struct Slot(SlotKind Kind, string Name, int Days, string? Value)
{
    public static Slot Parse(string text)
    {
        if (text == FeatureSpace.SinceSlot)
        {
            return new Slot(SlotKind.Since, text, 0, null);
        }
        if (text == FeatureSpace.PointsSlot)
        {
            return new Slot(SlotKind.Points, text, 0, null);
        }
        if (text.StartsWith("b:", StringComparison.Ordinal))
        {
            var colon = text.LastIndexOf(':');
            return new Slot(SlotKind.Behavior, text[2..colon], int.Parse(text.AsSpan(colon + 1), CultureInfo.InvariantCulture), null);
        }
        var rest = text[2..];
        var split = rest.IndexOf(':');
        return new Slot(SlotKind.Field, rest[..split], 0, rest[(split + 1)..]);
    }
}
