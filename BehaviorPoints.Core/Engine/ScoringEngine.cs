using System.Buffers;

namespace BehaviorPoints.Core.Engine;

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
