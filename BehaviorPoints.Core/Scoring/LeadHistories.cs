using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// The stored behaviors (in arrival order), the manual adjustments and the manual stage moves of a range of leads, as
/// replays read them.
/// </summary>
public sealed record LeadHistories(ILookup<long, ReplayBehavior> Behaviors, ILookup<long, ScoreEntry> ManualEntries, ILookup<long, StageChange> ManualMoves)
{
    /// <summary>The sum of a lead's manual adjustments.</summary>
    public long ManualPoints(long leadId) => ManualEntries[leadId].Sum(e => (long)e.Points);

    /// <summary>Three reads for the leads with ids from <paramref name="firstId"/> to <paramref name="lastId"/>.</summary>
    public static async Task<LeadHistories> LoadAsync(BehaviorPointsDbContext db, long firstId, long lastId, CancellationToken cancellationToken)
    {
        var behaviors = (await db.Behaviors.AsNoTracking()
                .Where(b => b.LeadId >= firstId && b.LeadId <= lastId)
                .OrderBy(b => b.Id)
                .Select(b => new { LeadId = b.LeadId!.Value, b.Id, b.EventId, b.Type, b.OccurredAt, b.AttributesJson })
                .ToListAsync(cancellationToken))
            .ToLookup(b => b.LeadId, b => new ReplayBehavior(b.Id, b.EventId, b.Type, b.OccurredAt, b.AttributesJson));
        var manual = (await db.ScoreEntries.AsNoTracking()
                .Where(e => e.LeadId >= firstId && e.LeadId <= lastId && e.Kind == ScoreEntryKind.Manual)
                .OrderBy(e => e.Id).ToListAsync(cancellationToken))
            .ToLookup(e => e.LeadId);
        var moves = (await db.StageChanges.AsNoTracking()
                .Where(c => c.LeadId >= firstId && c.LeadId <= lastId && c.Reason == StageChangeReason.Manual)
                .OrderBy(c => c.Id).ToListAsync(cancellationToken))
            .ToLookup(c => c.LeadId);
        return new LeadHistories(behaviors, manual, moves);
    }
}
