using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Scoring;

/// <summary>A stored behavior as a replay reads it.</summary>
public sealed record ReplayBehavior(long Id, string EventId, string Type, DateTime OccurredAt, string AttributesJson);

/// <summary>One rule entry a replay produced.</summary>
public sealed record ReplayedEntry(long BehaviorId, string EventId, string BehaviorType, DateTime OccurredAt, string RuleName, int Points);

/// <summary>The stored behaviors (in arrival order) and the manual adjustments of a range of leads, as replays read them.</summary>
public sealed record LeadHistories(ILookup<long, ReplayBehavior> Behaviors, IReadOnlyDictionary<long, long> ManualPoints)
{
    /// <summary>Two grouped reads for the leads with ids from <paramref name="firstId"/> to <paramref name="lastId"/>.</summary>
    public static async Task<LeadHistories> LoadAsync(BehaviorPointsDbContext db, long firstId, long lastId, CancellationToken cancellationToken)
    {
        var behaviors = (await db.Behaviors.AsNoTracking()
                .Where(b => b.LeadId >= firstId && b.LeadId <= lastId)
                .OrderBy(b => b.Id)
                .Select(b => new { LeadId = b.LeadId!.Value, b.Id, b.EventId, b.Type, b.OccurredAt, b.AttributesJson })
                .ToListAsync(cancellationToken))
            .ToLookup(b => b.LeadId, b => new ReplayBehavior(b.Id, b.EventId, b.Type, b.OccurredAt, b.AttributesJson));
        var manual = await db.ScoreEntries.AsNoTracking()
            .Where(e => e.LeadId >= firstId && e.LeadId <= lastId && e.Kind == ScoreEntryKind.Manual)
            .GroupBy(e => e.LeadId)
            .Select(g => new { LeadId = g.Key, Points = g.Sum(e => (long)e.Points) })
            .ToDictionaryAsync(g => g.LeadId, g => g.Points, cancellationToken);
        return new LeadHistories(behaviors, manual);
    }
}

/// <summary>What a lead's behaviors come to under a rule set: the rule entries in order, their points, and the limit counts.</summary>
public sealed record ReplayResult(IReadOnlyList<ReplayedEntry> Entries, long RulePoints, LimitCounts Counts);

/// <summary>
/// Replays one lead's stored behaviors, in the order they arrived, through the pure engine with fresh limit counts,
/// exactly as ingest would have scored them under that rule set. The re-score writes the result; the preview only
/// adds it up, so the preview's numbers are the re-score's.
/// </summary>
public static class LeadReplay
{
    public static ReplayResult Replay(CompiledRuleSet ruleSet, IEnumerable<ReplayBehavior> behaviorsInArrivalOrder)
    {
        var counts = new LimitCounts();
        var entries = new List<ReplayedEntry>();
        long points = 0;
        foreach (var behavior in behaviorsInArrivalOrder)
        {
            var hits = ScoringEngine.Score(ruleSet, new BehaviorOccurrence(behavior.Type, behavior.OccurredAt, EventReader.ReadAttributes(behavior.AttributesJson)), counts);
            foreach (var hit in hits)
            {
                entries.Add(new ReplayedEntry(behavior.Id, behavior.EventId, behavior.Type, behavior.OccurredAt, hit.Rule.Name, hit.Points));
                points += hit.Points;
            }
            counts.Record(hits);
        }
        return new ReplayResult(entries, points, counts);
    }
}
