using System.Buffers;
using BehaviorPoints.Core.Behaviors;

namespace BehaviorPoints.Core.Scoring;

/// <summary>How many times each limited rule has already applied to one lead, by period key.</summary>
public interface ILimitCounts
{
    int CountOf(string ruleName, string periodKey);
}

/// <summary>One rule that applies to a behavior, and the limit period key it counts against (null when unlimited).</summary>
public readonly record struct RuleHit(CompiledRule Rule, string? LimitPeriodKey)
{
    public int Points => Rule.Points;
}

/// <summary>
/// The whole scoring rule of the product. For one behavior, every rule of the published version is tried in order;
/// every rule whose behavior type and conditions match applies, unless its limit for the period that holds the
/// behavior's time is used up, and each applying rule yields its own hit (one score entry).
/// Pure: no database, no clock. The caller records the hits and bumps the counts.
/// </summary>
public static class ScoringEngine
{
    public static IReadOnlyList<RuleHit> Score(CompiledRuleSet ruleSet, BehaviorOccurrence behavior, ILimitCounts counts)
    {
        if (ruleSet.For(behavior.Type) is not { } rules)
        {
            return [];
        }

        // Each attribute the rules read is looked up once; conditions then read their slot.
        var names = rules.AttributeNames;
        var rented = ArrayPool<AttributeValue?>.Shared.Rent(names.Length);
        try
        {
            for (var i = 0; i < names.Length; i++)
            {
                rented[i] = behavior.Attributes.TryGetValue(names[i], out var value) ? value : null;
            }
            return Score(rules.Rules, behavior, counts, rented.AsSpan(0, names.Length));
        }
        finally
        {
            ArrayPool<AttributeValue?>.Shared.Return(rented, clearArray: true);
        }
    }

    private static IReadOnlyList<RuleHit> Score(CompiledRule[] rules, BehaviorOccurrence behavior, ILimitCounts counts, ReadOnlySpan<AttributeValue?> slots)
    {
        List<RuleHit>? hits = null;
        // The four possible period keys of this behavior, formatted once each and only when a limited rule needs one.
        Span<string?> periodKeys = [null, null, null, null];
        foreach (var rule in rules)
        {
            if (!rule.Matches(slots))
            {
                continue;
            }

            string? periodKey = null;
            if (rule.LimitTimes is { } times)
            {
                periodKey = periodKeys[(int)rule.LimitPeriod] ??= rule.LimitPeriod.KeyFor(behavior.OccurredAtUtc);
                if (counts.CountOf(rule.Name, periodKey) >= times)
                {
                    continue;
                }
            }
            (hits ??= new List<RuleHit>(rules.Length)).Add(new RuleHit(rule, periodKey));
        }
        return hits ?? (IReadOnlyList<RuleHit>)[];
    }
}

/// <summary>Limit counts held in memory; the ledger loads them for a batch's leads and bumps them as it scores.</summary>
public sealed class LimitCounts : ILimitCounts
{
    private readonly Dictionary<(string Rule, string Period), int> _counts = [];

    public static ILimitCounts None { get; } = new LimitCounts();

    public int CountOf(string ruleName, string periodKey) => _counts.GetValueOrDefault((ruleName, periodKey));

    public void Set(string ruleName, string periodKey, int count) => _counts[(ruleName, periodKey)] = count;

    /// <summary>Every count held, for writing them back.</summary>
    public IEnumerable<(string RuleName, string Period, int Count)> All => _counts.Select(c => (c.Key.Rule, c.Key.Period, c.Value));

    /// <summary>Counts each limited hit once.</summary>
    public void Record(IEnumerable<RuleHit> hits)
    {
        foreach (var hit in hits)
        {
            if (hit.LimitPeriodKey is { } key)
            {
                _counts[(hit.Rule.Name, key)] = CountOf(hit.Rule.Name, key) + 1;
            }
        }
    }
}
