namespace BehaviorPoints.Core.Engine;

/// <summary>How a condition compares a behavior attribute with its value.</summary>
public enum ConditionOperator
{
    Equals,
    NotEquals,
    Contains,
    StartsWith,
    In,
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
    Exists,
}

/// <summary>The JSON codes of <see cref="ConditionOperator"/> (SPEC §2) and what each needs as a value.</summary>
public static class ConditionOperators
{
    private static readonly Dictionary<string, ConditionOperator> s_byCode = new(StringComparer.Ordinal)
    {
        ["equals"] = ConditionOperator.Equals,
        ["not_equals"] = ConditionOperator.NotEquals,
        ["contains"] = ConditionOperator.Contains,
        ["starts_with"] = ConditionOperator.StartsWith,
        ["in"] = ConditionOperator.In,
        ["gt"] = ConditionOperator.GreaterThan,
        ["gte"] = ConditionOperator.GreaterOrEqual,
        ["lt"] = ConditionOperator.LessThan,
        ["lte"] = ConditionOperator.LessOrEqual,
        ["exists"] = ConditionOperator.Exists,
    };

    public static IReadOnlyCollection<string> Codes => s_byCode.Keys;

    public static bool TryParse(string? code, out ConditionOperator op) => s_byCode.TryGetValue(code ?? "", out op);

    public static string Code(this ConditionOperator op) => s_byCode.First(p => p.Value == op).Key;

    public static bool IsNumeric(this ConditionOperator op) =>
        op is ConditionOperator.GreaterThan or ConditionOperator.GreaterOrEqual
            or ConditionOperator.LessThan or ConditionOperator.LessOrEqual;
}
