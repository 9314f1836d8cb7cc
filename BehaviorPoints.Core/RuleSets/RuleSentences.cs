using System.Globalization;
using System.Text.Json;
using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.RuleSets;

/// <summary>
/// Reads rules back as plain sentences: "Follows official account where accountId is sharecrm → +2, at most once per
/// lead". Every part comes from <see cref="IWords"/>, so a sentence reads in the reader's language (English by default).
/// </summary>
public static class RuleSentences
{
    public static string Describe(RuleDefinition rule, BehaviorCatalog catalog, IWords? words = null)
    {
        words ??= Words.English;
        var sentence = string.IsNullOrWhiteSpace(rule.Behavior)
            ? words["(no behavior chosen)"]
            : words.Name("Behavior:" + rule.Behavior, catalog.LabelOf(rule.Behavior));
        var conditions = (rule.Conditions ?? []).Where(c => c is not null).Select(c => Describe(c, words)).ToList();
        if (conditions.Count > 0)
        {
            sentence = words["{0} where {1}", sentence, All(conditions, words)];
        }
        sentence = words["{0} → {1}", sentence, Points(rule.Points)];
        if (!string.IsNullOrWhiteSpace(rule.Category))
        {
            sentence = words["{0} for {1}", sentence, rule.Category.Trim()];
        }
        if (rule.Limit is { } limit)
        {
            sentence = words["{0}, {1}", sentence, Describe(limit, words)];
        }
        if (rule.Decay is { Steps.Count: > 0 } decay)
        {
            sentence = words["{0}, {1}", sentence, Describe(decay, words)];
        }
        return sentence;
    }

    /// <summary>"halves after 30 days, gone after 90 days": each step as the share it keeps.</summary>
    public static string Describe(DecayDefinition decay, IWords? words = null)
    {
        words ??= Words.English;
        return words.List(decay.Steps.Where(s => s is not null).Select(s => s.KeepPercent switch
        {
            0 => words["gone after {0}", Days(s.AfterDays, words)],
            50 => words["halves after {0}", Days(s.AfterDays, words)],
            var keep => words["{0} % left after {1}", keep, Days(s.AfterDays, words)],
        }));
    }

    private static string Days(int days, IWords words) => days == 1 ? words["1 day"] : words["{0} days", days];

    public static string Points(int points) => points > 0 ? $"+{points}" : points.ToString(CultureInfo.InvariantCulture).Replace('-', '−');

    /// <summary>Conditions that must all hold: "a and b and c".</summary>
    public static string All(IEnumerable<string> conditions, IWords words) =>
        conditions.Aggregate((string?)null, (all, next) => all is null ? next : words["{0} and {1}", all, next]) ?? "";

    public static string Describe(ConditionDefinition condition, IWords? words = null)
    {
        words ??= Words.English;
        var attribute = condition.Attribute;
        var value = ValueText(condition.Value, words);
        return condition.Operator switch
        {
            "equals" => words["{0} is {1}", attribute, value],
            "not_equals" => words["{0} is not {1}", attribute, value],
            "contains" => words["{0} contains {1}", attribute, value],
            "starts_with" => words["{0} starts with {1}", attribute, value],
            "in" => words["{0} is one of {1}", attribute, value],
            "gt" => words["{0} is over {1}", attribute, value],
            "gte" => words["{0} is at least {1}", attribute, value],
            "lt" => words["{0} is under {1}", attribute, value],
            "lte" => words["{0} is at most {1}", attribute, value],
            "exists" => words["{0} is present", attribute],
            var other => $"{attribute} {other} {value}",
        };
    }

    public static string Describe(RuleLimitDefinition limit, IWords? words = null)
    {
        words ??= Words.English;
        var times = limit.Times switch
        {
            1 => words["once"],
            2 => words["twice"],
            var n => words["{0} times", n],
        };
        return limit.Per switch
        {
            "ever" => words["at most {0} per lead", times],
            "day" => words["at most {0} per lead per day", times],
            "week" => words["at most {0} per lead per week", times],
            "month" => words["at most {0} per lead per month", times],
            var other => words["at most {0} per lead per {1}", times, other],
        };
    }

    private static string ValueText(JsonElement? value, IWords words) => value switch
    {
        null => words["(nothing)"],
        { ValueKind: JsonValueKind.Array } array => words.List(array.EnumerateArray().Select(e => ValueText(e, words))),
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { } other => other.GetRawText(),
    };
}
