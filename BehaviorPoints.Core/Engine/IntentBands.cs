namespace BehaviorPoints.Core.Engine;

/// <summary>
/// The intent field's options sorted by range, ready to map a total to its label. Built only from ranges that cover
/// every integer once, so <see cref="LevelOf"/> always has an answer.
/// </summary>
public sealed class IntentBands
{
    private readonly IntentOptionDefinition[] _options;

    private IntentBands(string fieldName, IntentOptionDefinition[] sorted)
    {
        FieldName = fieldName;
        _options = sorted;
    }

    public string FieldName { get; }

    /// <summary>The options from the lowest range to the highest.</summary>
    public IReadOnlyList<IntentOptionDefinition> Options => _options;

    public static IntentBands Default { get; } = From(IntentFieldDefinition.Default);

    /// <summary>Builds bands from a field whose ranges were validated; throws when they leave a gap or overlap.</summary>
    public static IntentBands From(IntentFieldDefinition field)
    {
        var problems = CoverageProblems(field.Options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(field));
        }
        return new IntentBands(field.Name, [.. Sort(field.Options)]);
    }

    /// <summary>The label of the option whose range holds <paramref name="total"/>.</summary>
    public string LevelOf(long total)
    {
        // A handful of options: a linear scan beats anything cleverer.
        foreach (var option in _options)
        {
            if (option.Max is null || total <= option.Max)
            {
                return option.Label;
            }
        }
        return _options[^1].Label;
    }

    /// <summary>Every gap and overlap between the ranges, in words that name the totals concerned.</summary>
    public static IReadOnlyList<string> CoverageProblems(IReadOnlyList<IntentOptionDefinition> options)
    {
        var problems = new List<string>();
        if (options.Count == 0)
        {
            problems.Add("Add at least one option.");
            return problems;
        }

        var sorted = Sort(options).ToList();
        if (sorted[0].Min is { } lowest)
        {
            problems.Add($"Gap: totals below {lowest} fall in no option (give the lowest option no minimum).");
        }
        for (var i = 1; i < sorted.Count; i++)
        {
            var previous = sorted[i - 1];
            var current = sorted[i];
            if (previous.Max is null)
            {
                problems.Add($"Overlap: '{previous.Label}' has no maximum, so it overlaps '{current.Label}'.");
                continue;
            }
            if (current.Min is null)
            {
                problems.Add($"Overlap: '{previous.Label}' and '{current.Label}' both have no minimum.");
                continue;
            }
            var expected = previous.Max.Value + 1;
            if (current.Min.Value > expected)
            {
                problems.Add(expected == current.Min.Value - 1
                    ? $"Gap: the total {expected} falls in no option (between '{previous.Label}' and '{current.Label}')."
                    : $"Gap: totals {expected} to {current.Min.Value - 1} fall in no option (between '{previous.Label}' and '{current.Label}').");
            }
            else if (current.Min.Value < expected)
            {
                var overlapEnd = Math.Min(previous.Max.Value, current.Max ?? long.MaxValue);
                problems.Add(current.Min.Value == overlapEnd
                    ? $"Overlap: the total {overlapEnd} falls in both '{previous.Label}' and '{current.Label}'."
                    : $"Overlap: totals {current.Min.Value} to {overlapEnd} fall in both '{previous.Label}' and '{current.Label}'.");
            }
        }
        if (sorted[^1].Max is { } highest)
        {
            problems.Add($"Gap: totals above {highest} fall in no option (give the highest option no maximum).");
        }
        return problems;
    }

    private static IEnumerable<IntentOptionDefinition> Sort(IEnumerable<IntentOptionDefinition> options) =>
        options.OrderBy(o => o.Min ?? long.MinValue).ThenBy(o => o.Max ?? long.MaxValue);
}
