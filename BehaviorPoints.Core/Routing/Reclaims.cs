using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Routing;

/// <summary>
/// Watches follow-up tasks (SPEC §10): tells the assignee once a task is overdue, and takes the lead back to the pool
/// when the task is still open at its due time plus grace, re-routing it to the next rep of the rotation (never the same
/// one) up to the rule's maximum of reclaims. Each task changes state in the transaction that acts on it, so a task is
/// reclaimed exactly once whatever crashes or restarts; the worker runs every few seconds and at start, which catches up
/// on what fell due while the app was down. With several app instances one holds the job's lease.
/// </summary>
public sealed class Reclaims(IDbContextFactory<BehaviorPointsDbContext> dbFactory, UnitOfWork unitOfWork, JobLeases leases, IRoutingStore store, UserSignals signals, WebhookOutbox outbox, TimeProvider clock) : BackgroundJob
{
    // Who a task's assignee is when their account is gone.
    private static readonly Said s_removedUser = Said.Of("a removed user");

    public const string JobCode = "reclaim";
    public const int BatchSize = 200;

    private static readonly TimeSpan MaxYield = TimeSpan.FromMilliseconds(250);

    public override string Name => "Reclaims";

    public override async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var due = await db.FollowUpTasks.AnyAsync(t => t.Status == FollowUpStatus.Open
                && (t.ReclaimAt <= started || (t.DueAt <= started && t.OverdueNotifiedAt == null)), cancellationToken);
            if (!due)
            {
                return 0;
            }
        }
        var done = 0;
        while (true)
        {
            var handled = await unitOfWork.WriteInBackgroundAsync(scope => ActAsync(scope, cancellationToken), MaxYield, cancellationToken);
            if (handled <= 0)
            {
                return done;
            }
            done += handled;
        }
    }

    // One batch of overdue and lapsed tasks: -1 when another instance holds the job, else how many tasks it acted on.
    private async Task<int> ActAsync(WriteScope scope, CancellationToken cancellationToken)
    {
        var db = scope.Db;
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await leases.HoldAsync(db, JobCode, now, cancellationToken))
        {
            return -1;
        }
        var work = new RoutingWork(scope, store, signals, outbox, now);

        var overdue = await db.FollowUpTasks
            .Where(t => t.Status == FollowUpStatus.Open && t.DueAt <= now && t.OverdueNotifiedAt == null && t.ReclaimAt > now)
            .OrderBy(t => t.DueAt).Take(BatchSize).ToListAsync(cancellationToken);
        var lapsed = await db.FollowUpTasks
            .Where(t => t.Status == FollowUpStatus.Open && t.ReclaimAt <= now)
            .OrderBy(t => t.ReclaimAt).ThenBy(t => t.Id).Take(BatchSize).ToListAsync(cancellationToken);
        if (overdue.Count == 0 && lapsed.Count == 0)
        {
            await leases.ReleaseAsync(db, JobCode, now, cancellationToken);
            return 0;
        }
        var leadIds = overdue.Concat(lapsed).Select(t => t.LeadId).Distinct().ToList();
        var leads = await db.Leads.Where(l => leadIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);

        foreach (var task in overdue)
        {
            task.OverdueNotifiedAt = now;
            var lead = leads[task.LeadId];
            var assignee = await work.UserByIdAsync(task.AssigneeId, cancellationToken);
            work.Activity(lead.Id, LeadActivityKind.TaskOverdue, Said.Of("Follow-up task for {0} is overdue", (object?)assignee?.Label ?? s_removedUser), task.AssigneeId, task.RuleName, task);
            work.Notify(task.AssigneeId, NotificationKind.TaskOverdue, lead.Id, Said.Of("Your follow-up task for {0} is overdue.", lead.Name));
        }

        foreach (var task in lapsed)
        {
            task.Status = FollowUpStatus.Reclaimed;
            task.CompletedAt = now;
            task.OverdueNotifiedAt ??= now;
            work.TaskClosed(task.AssigneeId);
            var lead = leads[task.LeadId];
            var assignee = await work.UserByIdAsync(task.AssigneeId, cancellationToken);
            var name = (object?)assignee?.Label ?? s_removedUser;
            if (Lead.IsClosed(lead.Status))
            {
                // A closed lead keeps its owner and is never routed again: only the task closes.
                work.Activity(lead.Id, LeadActivityKind.Reclaimed, Said.Of("Follow-up task for {0} closed when it lapsed; the lead is closed", name), task.AssigneeId, task.RuleName, task);
                continue;
            }
            if (lead.OwnerId != task.AssigneeId)
            {
                // The lead changed hands since (claimed, reassigned by hand): only the task closes.
                work.Activity(lead.Id, LeadActivityKind.Reclaimed, Said.Of("Follow-up task for {0} closed when it lapsed; the lead had changed hands already", name), task.AssigneeId, task.RuleName, task);
                continue;
            }
            lead.AssignTo(null, lead.TeamId);
            work.Activity(lead.Id, LeadActivityKind.Reclaimed,
                Said.Of("Returned to the pool: {0}'s follow-up task was still open {1} after it was created (due time plus grace)",
                    name, LeadRouter.DurationSaid(task.GraceMinutes == 0 ? task.DueAfterMinutes : task.DueAfterMinutes + task.GraceMinutes)),
                task.AssigneeId, task.RuleName, task);
            work.Notify(task.AssigneeId, NotificationKind.Reclaimed, lead.Id, Said.Of("{0} went back to the pool: its follow-up task lapsed.", lead.Name));
            await LeadRouter.RerouteAsync(work, task, lead, cancellationToken);
        }
        await work.FlushAsync(cancellationToken);
        return overdue.Count + lapsed.Count;
    }
}
