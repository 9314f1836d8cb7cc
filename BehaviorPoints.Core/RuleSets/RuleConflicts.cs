using System.Globalization;
using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.RuleSets;

/// <summary>
/// Rules that can all match one behavior: what such a behavior gets in total, and an example of it.
/// A warning for the administrator, not an error: overlapping rules are often intended.
/// </summary>
public sealed record RuleConflict(
    IReadOnlyList<int> RuleIndexes,
    IReadOnlyList<string> RuleNames,
    IReadOnlyList<int> Points,
    string Behavior,
    string Example,
    string Message)
{
    public int Total => Points.Sum();
}

/// <summary>
/// Finds rules of a rule set that can match the same behavior: same behavior type and conditions that do not exclude
/// each other. Whether conditions exclude each other is decided by looking for a value that satisfies all of them among
/// candidates built from their own values (the values, numbers just around them, their concatenations, absence).
/// </summary>
public static class RuleConflicts
{
    private static readonly string[] s_countWords = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

    public static IReadOnlyList<RuleConflict> Find(RuleSetDefinition definition, BehaviorCatalog catalog, IWords? words = null)
    {
        words ??= Words.English;
        var rules = definition.Rules ?? [];
        var invalidRules = RuleSetValidator.Validate(definition with { IntentField = null }, catalog)
            .Select(e => RuleIndexOf(e.Field))
            .Where(i => i is not null)
            .Select(i => i!.Value)
            .ToHashSet();
        var candidates = rules
            .Select((rule, index) => (rule, index))
            .Where(r => r.rule is not null && !invalidRules.Contains(r.index))
            .Select(r => (Index: r.index, Rule: r.rule, Compiled: CompiledRule.Compile(r.rule, r.index)))
            .ToList();

        var groups = new List<List<int>>();
        foreach (var byBehavior in candidates.GroupBy(c => c.Rule.Behavior))
        {
            var sameBehavior = byBehavior.ToList();
            for (var i = 0; i < sameBehavior.Count; i++)
            {
                for (var j = i + 1; j < sameBehavior.Count; j++)
                {
                    var group = new List<int> { i, j };
                    if (Example(group.Select(g => sameBehavior[g].Compiled)) is null)
                    {
                        continue;
                    }
                    // Grow the pair with every other rule that still fits, in rule order: that is what one behavior would get.
                    for (var k = 0; k < sameBehavior.Count; k++)
                    {
                        if (!group.Contains(k) && Example(group.Append(k).Select(g => sameBehavior[g].Compiled)) is not null)
                        {
                            group.Add(k);
                        }
                    }
                    var indexes = group.Select(g => sameBehavior[g].Index).Order().ToList();
                    if (!groups.Any(existing => existing.SequenceEqual(indexes)))
                    {
                        groups.Add(indexes);
                    }
                }
            }
        }

        return groups
            .OrderBy(g => g[0]).ThenBy(g => g.Count)
            .Select(g => Describe(g, rules, catalog, words))
            .ToList();
    }

    private static RuleConflict Describe(List<int> indexes, IReadOnlyList<RuleDefinition> rules, BehaviorCatalog catalog, IWords words)
    {
        var members = indexes.Select(i => rules[i]).ToList();
        var compiled = indexes.Select(i => CompiledRule.Compile(rules[i], i)).ToList();
        var example = Example(compiled)!;
        var behavior = words.Name("Behavior:" + members[0].Behavior, catalog.LabelOf(members[0].Behavior));
        var exampleText = example.Count == 0
            ? behavior
            : words["{0} with {1}", behavior, Join(example.Select(p => p.Value is null ? words["no {0}", p.Key] : $"{p.Key} {p.Value}").ToList(), words)];
        var names = members.Select(r => r.Name.Trim()).ToList();
        var points = members.Select(r => r.Points).ToList();
        var total = points.Sum();
        var quoted = Join(names.Select(n => words["'{0}'", n]).ToList(), words);
        var added = Join(points.Select(RuleSentences.Points).ToList(), words);
        var count = words.Name("Count:" + members.Count, CountWord(members.Count));
        var message = members.Any(r => r.Limit is not null)
            ? words["{0} can match the same behavior ({1}): it would get {2} → {3}, {4} entries (while their limits allow).", quoted, exampleText, added, RuleSentences.Points(total), count]
            : words["{0} can match the same behavior ({1}): it would get {2} → {3}, {4} entries.", quoted, exampleText, added, RuleSentences.Points(total), count];
        return new RuleConflict(indexes, names, points, members[0].Behavior, exampleText, message);
    }

    /// <summary>
    /// Attribute values of one behavior that every rule's conditions accept (null value = attribute absent), or null
    /// when none was found, meaning the conditions exclude each other.
    /// </summary>
    internal static Dictionary<string, string?>? Example(IEnumerable<CompiledRule> rules)
    {
        var conditions = rules.SelectMany(r => r.Conditions).ToList();
        var example = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var byAttribute in conditions.GroupBy(c => c.Attribute, StringComparer.OrdinalIgnoreCase))
        {
            var found = false;
            foreach (var candidate in Candidates(byAttribute.ToList()))
            {
                var attributes = BehaviorOccurrence.NewAttributeBag();
                if (candidate is not null)
                {
                    attributes[byAttribute.Key] = AttributeValue.FromText(candidate);
                }
                if (byAttribute.All(c => c.Matches(attributes)))
                {
                    example[byAttribute.Key] = candidate;
                    found = true;
                    break;
                }
            }
            if (!found)
            {
                return null;
            }
        }
        return example;
    }

    // Values worth trying for one attribute: its conditions' own values first (the example reads naturally), then
    // numbers around and between them, concatenations (for contains/starts_with), something unrelated, and absence.
    private static IEnumerable<string?> Candidates(List<CompiledCondition> conditions)
    {
        var texts = conditions.SelectMany(c => c.Values).Select(v => v.Text).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var text in texts)
        {
            yield return text;
        }

        var numbers = conditions.SelectMany(c => c.Values).Where(v => v.Number is not null).Select(v => v.Number!.Value).Distinct().Order().ToList();
        foreach (var number in numbers)
        {
            foreach (var near in new[] { number + 1, number - 1, number + 0.5m, number - 0.5m })
            {
                yield return near.ToString(CultureInfo.InvariantCulture);
            }
        }
        for (var i = 1; i < numbers.Count; i++)
        {
            yield return ((numbers[i - 1] + numbers[i]) / 2).ToString(CultureInfo.InvariantCulture);
        }

        foreach (var first in texts)
        {
            foreach (var second in texts)
            {
                if (!ReferenceEquals(first, second))
                {
                    yield return first + second;
                    yield return first + " " + second;
                }
            }
            yield return first + " (other)";
        }
        yield return "something else";
        yield return null;
    }

    private static int? RuleIndexOf(string field)
    {
        if (!field.StartsWith("rules[", StringComparison.Ordinal))
        {
            return null;
        }
        var end = field.IndexOf(']', StringComparison.Ordinal);
        return int.TryParse(field.AsSpan(6, end - 6), CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    // "a, b and c": a list whose last item is joined by "and" (a key of its own: some languages say it unlike a condition's "and").
    private static string Join(IReadOnlyList<string> parts, IWords words) =>
        parts.Count == 1 ? parts[0]
            : string.Format(CultureInfo.CurrentCulture, words.Name("List:{0} and {1}", "{0} and {1}"), words.List(parts.Take(parts.Count - 1)), parts[^1]);

    private static string CountWord(int count) => count < s_countWords.Length ? s_countWords[count] : count.ToString(CultureInfo.InvariantCulture);
}
