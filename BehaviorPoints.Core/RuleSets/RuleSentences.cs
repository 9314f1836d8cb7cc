using System.Globalization;
using System.Text.Json;
using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.RuleSets;

/// <summary>Reads rules back as plain sentences: "Follows official account where accountId equals sharecrm → +2, at most once per lead".</summary>
public static class RuleSentences
{
    public static string Describe(RuleDefinition rule, BehaviorCatalog catalog)
    {
        var sentence = string.IsNullOrWhiteSpace(rule.Behavior) ? "(no behavior chosen)" : catalog.LabelOf(rule.Behavior);
        var conditions = (rule.Conditions ?? []).Where(c => c is not null).Select(Describe).ToList();
        if (conditions.Count > 0)
        {
            sentence += " where " + string.Join(" and ", conditions);
        }
        sentence += " → " + Points(rule.Points);
        if (!string.IsNullOrWhiteSpace(rule.Category))
        {
            sentence += " for " + rule.Category.Trim();
        }
        if (rule.Limit is { } limit)
        {
            sentence += ", " + Describe(limit);
        }
        if (rule.Decay is { Steps.Count: > 0 } decay)
        {
            sentence += ", " + Describe(decay);
        }
        return sentence;
    }

    /// <summary>"halves after 30 days, gone after 90": each step as the share it keeps.</summary>
    public static string Describe(DecayDefinition decay) =>
        string.Join(", ", decay.Steps.Where(s => s is not null).Select(s => s.KeepPercent switch
        {
            0 => $"gone after {Days(s.AfterDays)}",
            50 => $"halves after {Days(s.AfterDays)}",
            var keep => $"{keep} % left after {Days(s.AfterDays)}",
        }));

    private static string Days(int days) => days == 1 ? "1 day" : $"{days} days";

    public static string Points(int points) => points > 0 ? $"+{points}" : points.ToString(CultureInfo.InvariantCulture).Replace('-', '−');

    public static string Describe(ConditionDefinition condition)
    {
        var op = condition.Operator switch
        {
            "equals" => "is",
            "not_equals" => "is not",
            "contains" => "contains",
            "starts_with" => "starts with",
            "in" => "is one of",
            "gt" => "is over",
            "gte" => "is at least",
            "lt" => "is under",
            "lte" => "is at most",
            "exists" => "is present",
            var other => other,
        };
        return condition.Operator == "exists"
            ? $"{condition.Attribute} {op}"
            : $"{condition.Attribute} {op} {ValueText(condition.Value)}";
    }

    public static string Describe(RuleLimitDefinition limit)
    {
        var times = limit.Times switch
        {
            1 => "once",
            2 => "twice",
            var n => $"{n} times",
        };
        var per = limit.Per switch
        {
            "ever" => "per lead",
            "day" => "per lead per day",
            "week" => "per lead per week",
            "month" => "per lead per month",
            var other => $"per lead per {other}",
        };
        return $"at most {times} {per}";
    }

    private static string ValueText(JsonElement? value) => value switch
    {
        null => "(nothing)",
        { ValueKind: JsonValueKind.Array } array => string.Join(", ", array.EnumerateArray().Select(e => ValueText(e))),
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { } other => other.GetRawText(),
    };
}
