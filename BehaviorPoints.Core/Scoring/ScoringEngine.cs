using System.Buffers;
using BehaviorPoints.Core.Behaviors;

namespace BehaviorPoints.Core.Scoring;

/// <summary>How many times each limited rule has already applied to one lead, by period key.</summary>
public interface ILimitCounts
{
    /// <summary>The counts of one period (e.g. <c>day:2026-11-20</c>) by rule name, or null when there are none.</summary>
    IPeriodCounts? InPeriod(string periodKey);
}

/// <summary>One period's limit counts of one lead, by rule name.</summary>
public interface IPeriodCounts
{
    int CountOf(string ruleName);
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
            Span<byte> memo = rules.DistinctConditions <= 512 ? stackalloc byte[rules.DistinctConditions] : new byte[rules.DistinctConditions];
            return Score(rules.Rules, behavior, counts, rented.AsSpan(0, names.Length), memo);
        }
        finally
        {
            ArrayPool<AttributeValue?>.Shared.Return(rented, clearArray: true);
        }
    }

    private static IReadOnlyList<RuleHit> Score(CompiledRule[] rules, BehaviorOccurrence behavior, ILimitCounts counts, ReadOnlySpan<AttributeValue?> slots, Span<byte> memo)
    {
        List<RuleHit>? hits = null;
        // The four possible period keys of this behavior and their counts, looked up once each and only when a limited
        // rule needs one.
        Span<string?> periodKeys = [null, null, null, null];
        IPeriodCounts?[]? periodCounts = null;
        foreach (var rule in rules)
        {
            if (!rule.Matches(slots, memo))
            {
                continue;
            }

            string? periodKey = null;
            if (rule.LimitTimes is { } times)
            {
                var period = (int)rule.LimitPeriod;
                periodCounts ??= new IPeriodCounts?[4];
                if (periodKeys[period] is null)
                {
                    periodKeys[period] = rule.LimitPeriod.KeyFor(behavior.OccurredAtUtc);
                    periodCounts[period] = counts.InPeriod(periodKeys[period]!);
                }
                periodKey = periodKeys[period];
                if (periodCounts[period] is { } held && held.CountOf(rule.Name) >= times)
                {
                    continue;
                }
            }
            (hits ??= new List<RuleHit>(rules.Length)).Add(new RuleHit(rule, periodKey));
        }
        return hits ?? (IReadOnlyList<RuleHit>)[];
    }
}

/// <summary>Limit counts held in memory (a replay's, a preview's); the ledger keeps its own over database rows.</summary>
public sealed class LimitCounts : ILimitCounts
{
    private readonly Dictionary<string, PeriodCounts> _byPeriod = [];

    public static ILimitCounts None { get; } = new LimitCounts();

    public IPeriodCounts? InPeriod(string periodKey) => _byPeriod.GetValueOrDefault(periodKey);

    public void Set(string ruleName, string periodKey, int count) => Period(periodKey).Counts[ruleName] = count;

    /// <summary>Every count held, for writing them back.</summary>
    public IEnumerable<(string RuleName, string Period, int Count)> All =>
        _byPeriod.SelectMany(p => p.Value.Counts.Select(c => (c.Key, p.Key, c.Value)));

    /// <summary>Counts each limited hit once.</summary>
    public void Record(IEnumerable<RuleHit> hits)
    {
        foreach (var hit in hits)
        {
            if (hit.LimitPeriodKey is { } key)
            {
                var counts = Period(key).Counts;
                counts[hit.Rule.Name] = counts.GetValueOrDefault(hit.Rule.Name) + 1;
            }
        }
    }

    private PeriodCounts Period(string periodKey)
    {
        if (!_byPeriod.TryGetValue(periodKey, out var period))
        {
            period = new PeriodCounts();
            _byPeriod[periodKey] = period;
        }
        return period;
    }

    private sealed class PeriodCounts : IPeriodCounts
    {
        public Dictionary<string, int> Counts { get; } = [];

        public int CountOf(string ruleName) => Counts.GetValueOrDefault(ruleName);
    }
}
