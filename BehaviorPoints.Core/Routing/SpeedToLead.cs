using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Dashboard;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Routing;

/// <summary>How fast one team or rep acts: the time from a lead entering a trigger to its first completed task.</summary>
public sealed record SpeedRow(string Name, int Leads, TimeSpan Median, TimeSpan Percentile90);

/// <summary>A rep's open follow-up tasks that are past due now.</summary>
public sealed record OverdueRow(string Name, int Overdue, int Open);

/// <summary>The dashboard's "speed to lead" (SPEC §10) for the filter's period and team.</summary>
public sealed record SpeedToLeadData(
    IReadOnlyList<SpeedRow> Teams,
    IReadOnlyList<SpeedRow> Reps,
    IReadOnlyList<OverdueRow> Overdue,
    IReadOnlyList<(DateOnly Week, int Reclaims)> ReclaimsPerWeek,
    int Waiting)
{
    public bool IsEmpty => Teams.Count == 0 && Overdue.Count == 0 && ReclaimsPerWeek.All(w => w.Reclaims == 0) && Waiting == 0;
}

/// <summary>
/// Speed to lead: for every time a lead entered a routing rule's trigger in the period, the time until the first task of
/// that firing was completed (across reclaims: the clock starts when the lead entered the trigger), as median and 90th
/// percentile per team and per rep who completed it; overdue tasks per rep now; reclaims per week.
/// </summary>
public sealed class SpeedToLeadService(IDbContextFactory<BehaviorPointsDbContext> dbFactory, TimeProvider clock)
{
    public async Task<SpeedToLeadData> GetAsync(DashboardFilter filter, LeadAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var from = filter.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var to = filter.To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var leads = db.Leads.VisibleTo(access);
        if (filter.TeamId is { } teamId)
        {
            leads = leads.Where(l => l.TeamId == teamId);
        }
        var leadIds = leads.Select(l => l.Id);

        var firings = await db.FollowUpTasks.AsNoTracking()
            .Where(t => t.TriggeredAt >= from && t.TriggeredAt < to && leadIds.Contains(t.LeadId))
            .Join(db.Leads, t => t.LeadId, l => l.Id, (t, l) => new { t.LeadId, t.TriggeredAt, t.Status, t.CompletedAt, t.AssigneeId, TeamId = t.RotationTeamId ?? l.TeamId })
            .ToListAsync(cancellationToken);
        var chains = firings.GroupBy(t => (t.LeadId, t.TriggeredAt)).ToList();
        var firstDone = chains
            .Select(c => (Chain: c.Key, Done: c.Where(t => t.Status == FollowUpStatus.Done && t.CompletedAt is not null).OrderBy(t => t.CompletedAt).FirstOrDefault()))
            .Where(c => c.Done is not null)
            .Select(c => (c.Done!.TeamId, c.Done.AssigneeId, Took: c.Done.CompletedAt!.Value - c.Chain.TriggeredAt))
            .ToList();
        var waiting = chains.Count(c => c.All(t => t.Status != FollowUpStatus.Done) && c.Any(t => t.Status == FollowUpStatus.Open));

        var teamNames = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var userIds = firstDone.Select(d => d.AssigneeId).Distinct().ToList();
        var overdueCounts = await db.FollowUpTasks.AsNoTracking()
            .Where(t => t.Status == FollowUpStatus.Open && leadIds.Contains(t.LeadId))
            .GroupBy(t => t.AssigneeId)
            .Select(g => new { UserId = g.Key, Open = g.Count(), Overdue = g.Count(t => t.DueAt < now) })
            .ToListAsync(cancellationToken);
        userIds.AddRange(overdueCounts.Select(o => o.UserId));
        var userNames = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, Name = u.DisplayName ?? u.Email ?? "" }).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);

        var teams = firstDone.GroupBy(d => d.TeamId)
            .Select(g => Row(g.Key is { } id ? teamNames.GetValueOrDefault(id, "(removed team)") : "No team", g.Select(d => d.Took)))
            .OrderBy(r => r.Median).ToList();
        var reps = firstDone.GroupBy(d => d.AssigneeId)
            .Select(g => Row(userNames.GetValueOrDefault(g.Key, "(removed user)"), g.Select(d => d.Took)))
            .OrderBy(r => r.Median).ToList();
        var overdue = overdueCounts.Where(o => o.Overdue > 0)
            .Select(o => new OverdueRow(userNames.GetValueOrDefault(o.UserId, "(removed user)"), o.Overdue, o.Open))
            .OrderByDescending(o => o.Overdue).ToList();

        var reclaims = await db.LeadActivities.AsNoTracking()
            .Where(a => a.Kind == LeadActivityKind.Reclaimed && a.At >= from && a.At < to && leadIds.Contains(a.LeadId))
            .Select(a => a.At)
            .ToListAsync(cancellationToken);
        var weeks = new List<(DateOnly, int)>();
        for (var week = WeekOf(filter.From); week <= filter.To; week = week.AddDays(7))
        {
            var start = week.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            weeks.Add((week, reclaims.Count(at => at >= start && at < start.AddDays(7))));
        }
        return new SpeedToLeadData(teams, reps, overdue, weeks, waiting);
    }

    private static SpeedRow Row(string name, IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Order().ToList();
        return new SpeedRow(name, sorted.Count, Percentile(sorted, 0.5), Percentile(sorted, 0.9));
    }

    /// <summary>The nearest-rank percentile of sorted durations.</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
