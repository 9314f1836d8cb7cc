using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Scoring;

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
