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
            throw new ArgumentException(string.Join(" ", problems.Select(p => p.Message)), nameof(field));
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
    public static IReadOnlyList<FieldError> CoverageProblems(IReadOnlyList<IntentOptionDefinition> options, string at = "options")
    {
        var problems = new List<FieldError>();
        void Add(string template, params object?[] args) => problems.Add(FieldError.Of(at, template, args));
        if (options.Count == 0)
        {
            Add("Add at least one option.");
            return problems;
        }

        var sorted = Sort(options).ToList();
        if (sorted[0].Min is { } lowest)
        {
            Add("Gap: totals below {0} fall in no option (give the lowest option no minimum).", lowest);
        }
        for (var i = 1; i < sorted.Count; i++)
        {
            var previous = sorted[i - 1];
            var current = sorted[i];
            if (previous.Max is null)
            {
                Add("Overlap: '{0}' has no maximum, so it overlaps '{1}'.", previous.Label, current.Label);
                continue;
            }
            if (current.Min is null)
            {
                Add("Overlap: '{0}' and '{1}' both have no minimum.", previous.Label, current.Label);
                continue;
            }
            var expected = previous.Max.Value + 1;
            if (current.Min.Value > expected)
            {
                if (expected == current.Min.Value - 1)
                {
                    Add("Gap: the total {0} falls in no option (between '{1}' and '{2}').", expected, previous.Label, current.Label);
                }
                else
                {
                    Add("Gap: totals {0} to {1} fall in no option (between '{2}' and '{3}').", expected, current.Min.Value - 1, previous.Label, current.Label);
                }
            }
            else if (current.Min.Value < expected)
            {
                var overlapEnd = Math.Min(previous.Max.Value, current.Max ?? long.MaxValue);
                if (current.Min.Value == overlapEnd)
                {
                    Add("Overlap: the total {0} falls in both '{1}' and '{2}'.", overlapEnd, previous.Label, current.Label);
                }
                else
                {
                    Add("Overlap: totals {0} to {1} fall in both '{2}' and '{3}'.", current.Min.Value, overlapEnd, previous.Label, current.Label);
                }
            }
        }
        if (sorted[^1].Max is { } highest)
        {
            Add("Gap: totals above {0} fall in no option (give the highest option no maximum).", highest);
        }
        return problems;
    }

    private static IEnumerable<IntentOptionDefinition> Sort(IEnumerable<IntentOptionDefinition> options) =>
        options.OrderBy(o => o.Min ?? long.MinValue).ThenBy(o => o.Max ?? long.MaxValue);
}
