using System.Buffers;
using BehaviorPoints.Core.Behaviors;

namespace BehaviorPoints.Core.Scoring;

/// <summary>How many times each limited rule has already applied to one lead, by period key.</summary>
public interface ILimitCounts
{
    /// <summary>The counts of one period (e.g. <c>day:2026-11-20</c>) by rule name, or null when there are none.</summary>
    IPeriodCounts? InPeriod(string periodKey);
}

/// <summary>One period's limit counts of one lead, by rule (counts belong to the rule's name across versions).</summary>
public interface IPeriodCounts
{
    /// <summary>How many times <paramref name="rule"/> applied in the period. Looked up by the compiled rule, not its name:
    /// the engine asks once per matching limited rule, and a reference look-up costs a fraction of hashing the name.</summary>
    int CountOf(CompiledRule rule);
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
                if (periodCounts[period] is { } held && held.CountOf(rule) >= times)
                {
                    continue;
                }
            }
            (hits ??= new List<RuleHit>(rules.Length)).Add(new RuleHit(rule, periodKey));
        }
        return hits ?? (IReadOnlyList<RuleHit>)[];
    }
}

/// <summary>Limit counts held in memory (a replay's, a preview's) for one compiled rule set; the ledger keeps its own over database rows.</summary>
public sealed class LimitCounts : ILimitCounts
{
    private readonly Dictionary<string, PeriodCounts> _byPeriod = [];

    public static ILimitCounts None { get; } = new LimitCounts();

    public IPeriodCounts? InPeriod(string periodKey) => _byPeriod.GetValueOrDefault(periodKey);

    public void Set(CompiledRule rule, string periodKey, int count) => Period(periodKey).Of(rule).Count = count;

    /// <summary>Every count held, by rule name, for writing them back.</summary>
    public IEnumerable<(string RuleName, string Period, int Count)> All =>
        _byPeriod.SelectMany(p => p.Value.Counts.All.Select(c => (c.Rule.Name, p.Key, c.Count)));

    /// <summary>Counts each limited hit once.</summary>
    public void Record(IEnumerable<RuleHit> hits)
    {
        foreach (var hit in hits)
        {
            if (hit.LimitPeriodKey is { } key)
            {
                Period(key).Of(hit.Rule).Count++;
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
        public ByRule<RuleCount> Counts { get; } = new();

        public int CountOf(CompiledRule rule) => Counts.Get(rule)?.Count ?? 0;

        public RuleCount Of(CompiledRule rule)
        {
            if (Counts.Get(rule) is not { } count)
            {
                count = new RuleCount(rule);
                Counts.Set(rule, count);
            }
            return count;
        }
    }

    private sealed class RuleCount(CompiledRule rule)
    {
        public CompiledRule Rule { get; } = rule;
        public int Count { get; set; }
    }
}

/// <summary>
/// Values by the rules of one compiled rule set, in an array indexed by <see cref="CompiledRule.Position"/>: limit counts
/// are looked up once per matching limited rule, and an index costs a fraction of a dictionary look-up.
/// </summary>
internal sealed class ByRule<T> where T : class
{
    private T?[] _items = [];

    public T? Get(CompiledRule rule) => rule.Position < _items.Length ? _items[rule.Position] : null;

    public void Set(CompiledRule rule, T value)
    {
        if (rule.Position >= _items.Length)
        {
            Array.Resize(ref _items, Math.Max(rule.Position + 1, _items.Length * 2));
        }
        _items[rule.Position] = value;
    }

    public IEnumerable<T> All => _items.OfType<T>();
}
