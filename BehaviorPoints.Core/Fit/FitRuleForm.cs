using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.RuleSets;

namespace BehaviorPoints.Core.Fit;

/// <summary>The fit rule editor's state: the field test is an ordinary <see cref="ConditionForm"/> on a lead field.</summary>
public sealed class FitRuleForm
{
    public string Name { get; set; } = "";
    public int Points { get; set; } = 10;
    public ConditionForm Condition { get; private init; } = new() { Attribute = FitFields.Industry, Operator = "in" };

    /// <summary>The operators a text field offers (numbers are rare in lead fields; "in" covers size bands).</summary>
    public static IReadOnlyList<string> Operators => ConditionForm.OperatorsFor(null);

    public static FitRuleForm From(FitRuleDefinition rule) => new()
    {
        Name = rule.Name,
        Points = rule.Points,
        Condition = ConditionForm.From(new ConditionDefinition { Attribute = rule.Field, Operator = rule.Operator, Value = rule.Value }),
    };

    public FitRuleDefinition ToDefinition()
    {
        var condition = Condition.ToDefinition(null);
        return new FitRuleDefinition
        {
            Name = Name.Trim(),
            Field = condition.Attribute,
            Operator = condition.Operator,
            Value = condition.Value,
            Points = Points,
        };
    }

    /// <summary>The rule read back, e.g. "Industry is one of Software, Finance: +30".</summary>
    public static string Describe(FitRuleDefinition rule, IWords? words = null) =>
        (words ?? Words.English)["{0}: {1}", DescribeCondition(rule, words), RuleSentences.Points(rule.Points)];

    /// <summary>The rule's test alone, e.g. "Industry is one of Software, Finance".</summary>
    public static string DescribeCondition(FitRuleDefinition rule, IWords? words = null) =>
        RuleSentences.Describe(new ConditionDefinition { Attribute = FitFields.LabelOf(rule.Field, words), Operator = rule.Operator, Value = rule.Value }, words);

    /// <summary>The bands in words, e.g. "Low below 20 · Medium 20 to 49 · High from 50"; only for bands in order.</summary>
    public static string Describe(FitBandsDefinition bands, IWords? words = null) =>
        (words ?? Words.English)["Low below {0} · Medium {0} to {1} · High from {2}", bands.MediumFrom, bands.HighFrom - 1, bands.HighFrom];

    /// <summary>
    /// What the fit-levels panel says about a draft's bands: the summary when they are in order, else the validator's
    /// message; and a warning when no lead could reach Medium or High with the draft's rules.
    /// </summary>
    public static FitBandsReading Read(FitModelDefinition draft, IWords? words = null)
    {
        words ??= Words.English;
        var bands = draft.Bands;
        var problem = FitModelValidator.Validate(draft).FirstOrDefault(e => e.Field.StartsWith("bands", StringComparison.Ordinal))?.Message;
        if (problem is not null)
        {
            return new FitBandsReading(null, problem, null);
        }
        var max = draft.ScoreRange.Max;
        var warning = draft.Rules.Count == 0 ? null
            : bands.MediumFrom > max ? words["No lead can reach Medium or High: these rules add up to at most {0} points, and Medium begins at {1}.", max, bands.MediumFrom]
            : bands.HighFrom > max ? words["No lead can reach High: these rules add up to at most {0} points, and High begins at {1}.", max, bands.HighFrom]
            : null;
        return new FitBandsReading(Describe(bands, words), null, warning);
    }
}

/// <summary>The fit bands read back: a summary, or what is wrong with them; and a warning that still lets them be saved.</summary>
public sealed record FitBandsReading(string? Summary, string? Error, string? Warning);
