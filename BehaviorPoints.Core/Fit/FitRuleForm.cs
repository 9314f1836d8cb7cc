using BehaviorPoints.Core.Scoring;

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
    public static string Describe(FitRuleDefinition rule) => $"{DescribeCondition(rule)}: {RuleSentences.Points(rule.Points)}";

    /// <summary>The rule's test alone, e.g. "Industry is one of Software, Finance".</summary>
    public static string DescribeCondition(FitRuleDefinition rule) =>
        RuleSentences.Describe(new ConditionDefinition { Attribute = FitFields.LabelOf(rule.Field), Operator = rule.Operator, Value = rule.Value });

    /// <summary>The bands in words, e.g. "Low below 20 · Medium 20 to 49 · High from 50".</summary>
    public static string Describe(FitBandsDefinition bands) =>
        $"Low below {bands.MediumFrom} · Medium {bands.MediumFrom} to {bands.HighFrom - 1} · High from {bands.HighFrom}";
}
