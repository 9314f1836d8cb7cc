using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Leads;

/// <summary>Counts of leads read from <see cref="LeadCount"/> (a few hundred rows kept by triggers), never from Leads.</summary>
public static class LeadCountQueries
{
    /// <summary>The counts a caller may see: all teams', or their teams' (leads without a team are seen by all-seers only).</summary>
    public static IQueryable<LeadCount> VisibleCounts(this BehaviorPointsDbContext db, LeadAccess access, int? teamId = null)
    {
        var counts = db.LeadCounts.AsNoTracking().Where(c => c.Count != 0);
        if (!access.SeesAll)
        {
            var teamIds = access.TeamIds;
            counts = counts.Where(c => teamIds.Contains(c.TeamId));
        }
        return teamId is { } team ? counts.Where(c => c.TeamId == team) : counts;
    }

    /// <summary>
    /// Whether a list query's count can be read from the counts: only filters the counts are kept by (intent level, fit
    /// level, team) may be set.
    /// </summary>
    public static bool Countable(LeadQuery query) =>
        query.MinScore is null && query.MaxScore is null && query.MinLikelihood is null && string.IsNullOrWhiteSpace(query.Search)
        && string.IsNullOrWhiteSpace(query.Category) && string.IsNullOrWhiteSpace(query.Stage) && !query.InPool && query.OwnerId is null;

    /// <summary>How many leads match <paramref name="query"/>, for a <see cref="Countable"/> query.</summary>
    public static async Task<int> CountAsync(this BehaviorPointsDbContext db, LeadQuery query, LeadAccess access, CancellationToken cancellationToken)
    {
        var counts = db.VisibleCounts(access, query.TeamId);
        if (!string.IsNullOrWhiteSpace(query.IntentLevel))
        {
            counts = counts.Where(c => c.IntentLevel == query.IntentLevel);
        }
        if (!string.IsNullOrWhiteSpace(query.FitLevel))
        {
            counts = counts.Where(c => c.FitLevel == query.FitLevel);
        }
        return await counts.SumAsync(c => c.Count, cancellationToken);
    }
}
