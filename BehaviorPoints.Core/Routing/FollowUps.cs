using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Routing;

/// <summary>Who acts on tasks and the pool: the signed-in user (or the API key's name) and the leads they may see.</summary>
public sealed record Actor(string? UserId, string Name, LeadAccess Access);

/// <summary>A follow-up task as pages and the API show it.</summary>
public sealed record FollowUpTaskView(
    long Id,
    long LeadId,
    string LeadName,
    string? Company,
    string? IntentLevel,
    long BehaviorPoints,
    string AssigneeId,
    string AssigneeEmail,
    string AssigneeName,
    DateTime DueAt,
    FollowUpStatus Status,
    FollowUpOutcome? Outcome,
    string? Note,
    string? RuleName,
    DateTime CreatedAt,
    DateTime? CompletedAt,
    int Reclaims)
{
    public bool IsOverdue(DateTime nowUtc) => Status == FollowUpStatus.Open && DueAt < nowUtc;
}

/// <summary>Which tasks to list; every part optional.</summary>
public sealed record TaskQuery(string? AssigneeId = null, string? AssigneeEmail = null, FollowUpStatus? Status = null, long? LeadId = null, int Limit = 500);

/// <summary>A rep's open and overdue tasks, for managers.</summary>
public sealed record RepTaskCount(string UserId, string Name, string Email, int Open, int Overdue, bool Away);

/// <summary>One thing on a lead's timeline: an assignment, claim, task or reclaim with its reason.</summary>
public sealed record LeadActivityView(long Id, LeadActivityKind Kind, DateTime At, string Reason, string? RuleName, long? TaskId)
{
    /// <summary>The reason to be said in the reader's language; null on rows written before it was kept.</summary>
    public Said? ReasonSaid { get; init; }
}

/// <summary>
/// Follow-up tasks and the lead pool (SPEC §10): listing tasks (a rep's own, overdue first; a manager's view of every
/// rep), completing one with an outcome and a note, claiming a lead from the pool, and the lead's timeline.
/// </summary>
public sealed class FollowUps(IDbContextFactory<BehaviorPointsDbContext> dbFactory, UnitOfWork unitOfWork, UserSignals signals, WebhookOutbox outbox, TimeProvider clock)
{
    public const int MaxNoteLength = 2000;

    /// <summary>Tasks the actor may see (assigned to them, or on leads they see when they see every team's), overdue first, then by due time.</summary>
    public async Task<IReadOnlyList<FollowUpTaskView>> ListAsync(TaskQuery query, LeadAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tasks = db.FollowUpTasks.AsNoTracking().OfLeadsVisibleTo(db.Leads, access, t => t.LeadId);
        if (query.AssigneeId is { } assignee)
        {
            tasks = tasks.Where(t => t.AssigneeId == assignee);
        }
        if (!string.IsNullOrWhiteSpace(query.AssigneeEmail))
        {
            var normalized = query.AssigneeEmail.Trim().ToUpperInvariant();
            tasks = tasks.Where(t => t.Assignee!.NormalizedEmail == normalized);
        }
        if (query.Status is { } status)
        {
            tasks = tasks.Where(t => t.Status == status);
        }
        if (query.LeadId is { } leadId)
        {
            tasks = tasks.Where(t => t.LeadId == leadId);
        }
        // Open tasks by due time (so the overdue ones come first), then the closed ones newest first.
        var limit = Math.Clamp(query.Limit, 1, 5000);
        var open = await Views(db, tasks.Where(t => t.Status == FollowUpStatus.Open).OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(limit)).ToListAsync(cancellationToken);
        if (open.Count < limit && query.Status != FollowUpStatus.Open)
        {
            open.AddRange(await Views(db, tasks.Where(t => t.Status != FollowUpStatus.Open).OrderByDescending(t => t.Id).Take(limit - open.Count)).ToListAsync(cancellationToken));
        }
        return open;
    }

    // Tasks as views, with their lead's name and score and the assignee's email and name.
    private static IQueryable<FollowUpTaskView> Views(BehaviorPointsDbContext db, IQueryable<FollowUpTask> tasks) =>
        tasks.Join(db.Leads, t => t.LeadId, l => l.Id, (t, l) => new FollowUpTaskView(
            t.Id, t.LeadId, l.Name, l.Company, l.IntentLevel, l.BehaviorPoints, t.AssigneeId, t.Assignee!.Email ?? "", t.Assignee.DisplayName ?? t.Assignee.Email ?? "",
            t.DueAt, t.Status, t.Outcome, t.Note, t.RuleName, t.CreatedAt, t.CompletedAt, t.Reclaims));

    /// <summary>The number of the user's open tasks and how many of them are overdue (the menu's count).</summary>
    public async Task<(int Open, int Overdue)> CountAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var open = db.FollowUpTasks.Where(t => t.AssigneeId == userId && t.Status == FollowUpStatus.Open);
        return (await open.CountAsync(cancellationToken), await open.CountAsync(t => t.DueAt < now, cancellationToken));
    }

    /// <summary>Every rep with open tasks on leads the manager sees, most overdue first.</summary>
    public async Task<IReadOnlyList<RepTaskCount>> ByRepAsync(LeadAccess access, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var counts = await db.FollowUpTasks.AsNoTracking()
            .Where(t => t.Status == FollowUpStatus.Open)
            .OfLeadsVisibleTo(db.Leads, access, t => t.LeadId)
            .GroupBy(t => t.AssigneeId)
            .Select(g => new { UserId = g.Key, Open = g.Count(), Overdue = g.Count(t => t.DueAt < now) })
            .ToListAsync(cancellationToken);
        var ids = counts.Select(c => c.UserId).ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Email, u.DisplayName, u.IsAway }).ToDictionaryAsync(u => u.Id, cancellationToken);
        return [.. counts
            .Select(c => users.TryGetValue(c.UserId, out var u)
                ? new RepTaskCount(c.UserId, u.DisplayName ?? u.Email ?? "", u.Email ?? "", c.Open, c.Overdue, u.IsAway)
                : new RepTaskCount(c.UserId, "(removed user)", "", c.Open, c.Overdue, false))
            .OrderByDescending(c => c.Overdue).ThenByDescending(c => c.Open).ThenBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>
    /// Completes an open task with an outcome and an optional note: its assignee may, and whoever may edit the lead's
    /// team among managers and administrators. Null when the task does not exist or is not visible.
    /// </summary>
    public async Task<FollowUpTaskView?> CompleteAsync(long taskId, FollowUpOutcome outcome, string? note, Actor actor, CancellationToken cancellationToken = default)
    {
        if (note is not null && note.Trim().Length > MaxNoteLength)
        {
            throw new ValidationFailedException("note", "The note is {0} characters long; the limit is {1}.", note.Trim().Length, MaxNoteLength);
        }
        if (note is not null && UserText.HasControlCharacters(note, allowLineBreaks: true))
        {
            throw new ValidationFailedException("note", "The note must not contain control characters.");
        }
        if (!Enum.IsDefined(outcome))
        {
            throw new ValidationFailedException("outcome", "The outcome is one of contacted, not_reached, disqualified.");
        }
        var done = await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var task = await db.FollowUpTasks.FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
            var lead = task is null ? null : await db.Leads.VisibleTo(actor.Access).FirstOrDefaultAsync(l => l.Id == task.LeadId, cancellationToken);
            if (task is null || lead is null)
            {
                return false;
            }
            var mayComplete = task.AssigneeId == actor.UserId || (actor.Access.SeesAll && actor.Access.CanEdit(lead.TeamId));
            if (!mayComplete)
            {
                throw new NotAllowedException("Only the task's assignee, the team's managers and administrators may complete it.");
            }
            if (task.Status != FollowUpStatus.Open)
            {
                throw new ConflictException(task.Status == FollowUpStatus.Done
                    ? "This task is done already."
                    : "This task was reclaimed: the lead went back to the pool when it lapsed.");
            }
            var now = clock.GetUtcNow().UtcDateTime;
            task.Status = FollowUpStatus.Done;
            task.Outcome = outcome;
            task.Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
            task.CompletedAt = now;
            task.CompletedBy = actor.Name;
            var doneSaid = task.Note is null
                ? Said.Of("Follow-up task done by {0}: {1}", actor.Name, OutcomeSaid(outcome))
                : Said.Of("Follow-up task done by {0}: {1}: {2}", actor.Name, OutcomeSaid(outcome), task.Note);
            db.LeadActivities.Add(new LeadActivity
            {
                LeadId = lead.Id,
                Kind = LeadActivityKind.TaskCompleted,
                At = now,
                UserId = task.AssigneeId,
                TaskId = task.Id,
                RuleName = task.RuleName,
                Reason = Shorten(doneSaid.ToString()),
                ReasonSaid = doneSaid.ToStoredJson(),
            });
            await signals.AnnounceAsync(scope, [task.AssigneeId], cancellationToken);
            return true;
        }, cancellationToken);
        return done ? await FindAsync(taskId, cancellationToken) : null;
    }

    private async Task<FollowUpTaskView?> FindAsync(long taskId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Views(db, db.FollowUpTasks.AsNoTracking().Where(t => t.Id == taskId)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Takes a lead from its team's pool: the actor becomes its owner (recorded on the timeline). Refused when the lead
    /// has an owner already or the actor may not edit it. False when the lead is not visible.
    /// </summary>
    public async Task<bool> ClaimAsync(long leadId, Actor actor, CancellationToken cancellationToken = default)
    {
        if (actor.UserId is not { } userId)
        {
            throw new NotAllowedException("Only a signed-in user can claim a lead.");
        }
        return await unitOfWork.WriteAsync(async scope =>
        {
            var db = scope.Db;
            var lead = await db.Leads.VisibleTo(actor.Access).FirstOrDefaultAsync(l => l.Id == leadId, cancellationToken);
            if (lead is null)
            {
                return false;
            }
            if (!actor.Access.CanEdit(lead.TeamId))
            {
                throw new NotAllowedException("Only the lead's team may claim it from the pool.");
            }
            if (lead.OwnerId is not null)
            {
                throw new ConflictException(lead.OwnerId == userId ? "You own this lead already." : "Someone owns this lead already: only leads in the pool can be claimed.");
            }
            lead.AssignTo(userId, lead.TeamId);
            var now = clock.GetUtcNow().UtcDateTime;
            // The claimer by the name the pages show (the display name; the email when there is none), not the sign-in.
            var claimer = await db.Users.Where(u => u.Id == userId).Select(u => new { u.Email, u.DisplayName }).FirstOrDefaultAsync(cancellationToken);
            var name = string.IsNullOrWhiteSpace(claimer?.DisplayName) ? claimer?.Email ?? actor.Name : claimer.DisplayName;
            var claimed = Said.Of("Claimed from the pool by {0}", name);
            var reason = Shorten(claimed.ToString());
            db.LeadActivities.Add(new LeadActivity { LeadId = lead.Id, Kind = LeadActivityKind.Claimed, At = now, UserId = userId, Reason = reason, ReasonSaid = claimed.ToStoredJson() });
            if (await outbox.WantsAsync(scope, LeadAssigned.TypeName, cancellationToken))
            {
                await outbox.AddAsync(scope, [new LeadAssigned(lead.Id, claimer?.Email, name, null, reason, now)], cancellationToken);
            }
            return true;
        }, cancellationToken);
    }

    /// <summary>The lead's timeline of assignments, claims, tasks and reclaims, newest first (the caller checked the lead is visible).</summary>
    public async Task<IReadOnlyList<LeadActivityView>> TimelineAsync(long leadId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.LeadActivities.AsNoTracking().Where(a => a.LeadId == leadId)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(200)
            .Select(a => new LeadActivityView(a.Id, a.Kind, a.At, a.Reason, a.RuleName, a.TaskId) { ReasonSaid = Said.FromJson(a.ReasonSaid) })
            .ToListAsync(cancellationToken);
    }

    private static Said OutcomeSaid(FollowUpOutcome outcome) => Said.Name("Outcome:" + outcome, OutcomeWords(outcome));

    public static string OutcomeWords(FollowUpOutcome outcome) => outcome switch
    {
        FollowUpOutcome.Contacted => "contacted",
        FollowUpOutcome.NotReached => "not reached",
        _ => "disqualified",
    };

    private static string Shorten(string text) => text.Length <= 1000 ? text : text[..997] + "...";
}
