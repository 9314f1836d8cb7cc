using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Routing;

/// <summary>
/// Fires routing rules (SPEC §10) in the transaction of the score change that makes a lead enter a rule's trigger:
/// edge-triggered (a lead inside the trigger before the change is not entering it, so a rule re-arms only once the lead
/// has left), the first rule in order whose trigger the change entered and whose conditions the lead passes, and not
/// within that rule's minimum interval of its last firing for the lead. A re-score routes nobody: it rewrites history
/// under a new rule set (an administrator's act, the leads did nothing new), and saving a routing rule offers to apply it
/// to the leads already inside its trigger.
/// </summary>
public sealed class LeadRouter(PublishedRoutingRules routingRules, ILedgerStore ledger, IRoutingStore store, UserSignals signals, WebhookOutbox outbox) : IScoreChangeHandler
{
    /// <summary>
    /// Routes the leads the changes moved, after their rows are written (the category scores are read back as they are
    /// now). Costs one indexed read per transaction when nothing enters a trigger.
    /// </summary>
    public async Task HandleAsync(ScoreChanges changes, CancellationToken cancellationToken)
    {
        var (scope, writes, ruleSet, now) = (changes.Scope, changes.Writes, changes.RuleSet, changes.Now);
        if (writes.Leads.Count == 0 || changes.Cause == ScoreChangeCause.Rescore)
        {
            return;
        }
        var rules = await routingRules.CurrentAsync(scope.Db, cancellationToken);
        if (rules.Rules.Count == 0)
        {
            return;
        }
        var bands = PublishedRuleSets.BandsOf(ruleSet);
        var triggers = rules.Rules.Select(r => r.TriggerUnder(bands)).ToArray();

        Dictionary<long, Dictionary<string, long>>? categoriesAfter = null;
        if (rules.AnyCategoryTrigger && writes.CategoryPoints.Count > 0)
        {
            categoriesAfter = ledger.On(scope.Db).CategoryScores(writes.CategoryPoints.Keys.Select(k => k.LeadId).Distinct());
        }

        var entered = new Dictionary<long, List<int>>();
        var noCategories = new Dictionary<string, long>();
        foreach (var (lead, stored) in writes.Leads)
        {
            var after = categoriesAfter?.GetValueOrDefault(lead.Id);
            if (lead.IntentLevel == stored.Level && after is null)
            {
                continue;
            }
            var before = after is null ? null : new Dictionary<string, long>(after);
            if (before is not null)
            {
                foreach (var category in after!.Keys)
                {
                    before[category] -= writes.CategoryPoints.GetValueOrDefault((lead.Id, category));
                }
            }
            var scoresBefore = new TriggerScores(stored.Level, before ?? noCategories);
            var scoresAfter = new TriggerScores(lead.IntentLevel, after ?? noCategories);
            for (var i = 0; i < triggers.Length; i++)
            {
                if (triggers[i].Entered(scoresBefore, scoresAfter))
                {
                    (entered.TryGetValue(lead.Id, out var list) ? list : entered[lead.Id] = []).Add(i);
                }
            }
        }
        if (entered.Count == 0)
        {
            return;
        }

        var work = new RoutingWork(scope, store, signals, outbox, now);
        var ids = entered.Keys.ToList();
        // Read as they stand (the caller may track one, changed); what routing changes on them is written with its rows.
        var leads = await scope.Db.Leads.AsNoTracking().Where(l => ids.Contains(l.Id)).ToListAsync(cancellationToken);
        await work.LoadFiringsAsync(ids, cancellationToken);
        await work.LoadOpenTasksAsync(ids, cancellationToken);
        foreach (var lead in leads.OrderBy(l => l.Id))
        {
            var fields = CompiledRoutingRule.FieldsOf(lead, await work.TeamNameAsync(lead.TeamId, cancellationToken));
            var first = entered[lead.Id].Select(i => rules.Rules[i]).FirstOrDefault(r => r.Matches(fields));
            if (first is not null && !work.FiredWithin(lead.Id, first))
            {
                await FireAsync(work, first, lead, first.TriggerWords(bands), cancellationToken);
            }
        }
        await work.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Does what <paramref name="rule"/> says for <paramref name="lead"/>: assigns it
    /// (unless it is owned and the rule keeps owners), creates the follow-up task, records the firing, writes the
    /// timeline and tells the people concerned. <paramref name="when"/> ends the timeline's sentence. A closed lead
    /// (converted or lost) is never routed, and a lead whose follow-up task is still open is left with the rep working
    /// it (one open routing task per lead): the rule does not fire for either (call <see cref="RoutingWork.LoadOpenTasksAsync"/> first).
    /// </summary>
    internal static async Task FireAsync(RoutingWork work, CompiledRoutingRule rule, Lead lead, Said when, CancellationToken cancellationToken)
    {
        if (Lead.IsClosed(lead.Status) || work.HasOpenTask(lead.Id))
        {
            return;
        }
        work.RecordFiring(lead.Id, rule);
        var assign = rule.Definition.Assign;
        var assignedNow = false;
        RoutingUser? assignee;
        int? rotationTeam = null;
        if (lead.OwnerId is not null && !rule.Definition.ReassignOwned)
        {
            assignee = await work.UserByIdAsync(lead.OwnerId, cancellationToken);
        }
        else
        {
            (assignee, rotationTeam) = await ChooseAsync(work, assign, cancellationToken);
            if (assignee is null)
            {
                await LeaveInPoolAsync(work, lead, rule.Name, Said.Of("Nobody could take it by rule '{0}' {1}: {2}", rule.Name, when, NobodyReason(assign)), cancellationToken);
                return;
            }
            if (assignee.Id != lead.OwnerId)
            {
                assignedNow = true;
                await AssignAsync(work, lead, assignee, rotationTeam, cancellationToken);
                work.Activity(lead.Id, LeadActivityKind.Assigned, Said.Of("Assigned to {0} by rule '{1}' {2}", assignee.Label, rule.Name, when), assignee.Id, rule.Name);
                work.Notify(assignee.Id, NotificationKind.Assigned, lead.Id, Said.Of("{0} was assigned to you by rule '{1}' {2}.", lead.Name, rule.Name, when));
            }
        }
        if (assignee is not null && rule.Definition.Task is { } task)
        {
            var team = rotationTeam ?? (assign.Mode == RoutingAssignDefinition.RoundRobinMode ? await TeamOfAsync(work, assign, cancellationToken) : null);
            CreateTask(work, lead, assignee, rule.Name, task, team, work.Now, reclaims: 0);
            if (assignee.Id == lead.OwnerId && !assignedNow)
            {
                // An owner who kept the lead hears of the new task too, so the bell counts every task routing gives.
                work.Notify(assignee.Id, NotificationKind.TaskCreated, lead.Id, Said.Of("A follow-up task for {0} was created for you by rule '{1}' {2}.", lead.Name, rule.Name, when));
            }
        }
    }

    /// <summary>
    /// Gives a reclaimed lead to the next rep of the task's rotation (never the one who let it lapse), with a new task
    /// counting one more reclaim; when the rule's maximum is reached or nobody can take it, the lead stays in the pool and
    /// the team's managers are told.
    /// </summary>
    internal static async Task RerouteAsync(RoutingWork work, FollowUpTask lapsed, Lead lead, CancellationToken cancellationToken)
    {
        var reclaims = lapsed.Reclaims + 1;
        var ruleName = lapsed.RuleName ?? "(removed)";
        var previous = await work.UserByIdAsync(lapsed.AssigneeId, cancellationToken);
        if (reclaims > lapsed.MaxReclaims || lapsed.RotationTeamId is not { } team)
        {
            var why = lapsed.RotationTeamId is null
                ? Said.Of("Stays in the pool: the rule assigns one named user, so there is no next rep")
                : reclaims == 1
                    ? Said.Of("Stays in the pool: it was reclaimed 1 time, the most rule '{0}' allows is {1}", ruleName, lapsed.MaxReclaims)
                    : Said.Of("Stays in the pool: it was reclaimed {0} times, the most rule '{1}' allows is {2}", reclaims, ruleName, lapsed.MaxReclaims);
            await LeaveInPoolAsync(work, lead, lapsed.RuleName, why, cancellationToken);
            return;
        }
        var next = await work.NextTurnAsync(team, capacity: null, exclude: lapsed.AssigneeId, cancellationToken);
        if (next is null)
        {
            await LeaveInPoolAsync(work, lead, lapsed.RuleName, Said.Of("Stays in the pool: no other active sales rep in {0} can take it", await work.TeamNameAsync(team, cancellationToken)), cancellationToken);
            return;
        }
        await AssignAsync(work, lead, next, team, cancellationToken);
        work.Activity(lead.Id, LeadActivityKind.Assigned, previous is null
            ? Said.Of("Reassigned to {0} by rule '{1}' after the follow-up task lapsed (reclaim {2} of {3})", next.Label, ruleName, reclaims, lapsed.MaxReclaims)
            : Said.Of("Reassigned to {0} from {1} by rule '{2}' after the follow-up task lapsed (reclaim {3} of {4})", next.Label, previous.Label, ruleName, reclaims, lapsed.MaxReclaims),
            next.Id, lapsed.RuleName);
        work.Notify(next.Id, NotificationKind.Assigned, lead.Id, previous is null
            ? Said.Of("{0} was reassigned to you: the follow-up task lapsed.", lead.Name)
            : Said.Of("{0} was reassigned to you from {1}: the follow-up task lapsed.", lead.Name, previous.Label));
        var task = new RoutingTaskDefinition { DueAfterMinutes = lapsed.DueAfterMinutes, GraceMinutes = lapsed.GraceMinutes, MaxReclaims = lapsed.MaxReclaims };
        CreateTask(work, lead, next, lapsed.RuleName, task, team, lapsed.TriggeredAt, reclaims);
    }

    // A follow-up task for the lead's new (or kept) owner, on the timeline.
    private static void CreateTask(RoutingWork work, Lead lead, RoutingUser assignee, string? ruleName, RoutingTaskDefinition task, int? rotationTeam, DateTime triggeredAt, int reclaims)
    {
        var created = work.CreateTask(lead, assignee, ruleName, task, rotationTeam, triggeredAt, reclaims);
        work.Activity(lead.Id, LeadActivityKind.TaskCreated, Said.Of("Follow-up task for {0}, due in {1}, by rule '{2}'", assignee.Label, DurationSaid(task.DueAfterMinutes), ruleName ?? "(removed)"), assignee.Id, ruleName, created);
    }

    private static async Task<(RoutingUser? User, int? RotationTeam)> ChooseAsync(RoutingWork work, RoutingAssignDefinition assign, CancellationToken cancellationToken)
    {
        if (assign.Mode == RoutingAssignDefinition.UserMode)
        {
            var user = assign.UserEmail is { } email ? await work.UserByEmailAsync(email, cancellationToken) : null;
            return (user is { Disabled: false, Away: false } ? user : null, null);
        }
        var team = await TeamOfAsync(work, assign, cancellationToken);
        return team is { } id ? (await work.NextTurnAsync(id, assign.Capacity, exclude: null, cancellationToken), id) : (null, null);
    }

    private static async Task<int?> TeamOfAsync(RoutingWork work, RoutingAssignDefinition assign, CancellationToken cancellationToken) =>
        assign.Team is { } name ? await work.TeamIdAsync(name, cancellationToken) : null;

    // The lead goes to the rep; a round-robin rule's team becomes the lead's (its owner works in its team), a named user
    // keeps the lead's team when they are in it.
    private static async Task AssignAsync(RoutingWork work, Lead lead, RoutingUser user, int? rotationTeam, CancellationToken cancellationToken)
    {
        var team = rotationTeam ?? lead.TeamId;
        if (rotationTeam is null && lead.TeamId is { } current)
        {
            var userId = user.Id;
            var inTeam = await work.Db.Users.AnyAsync(u => u.Id == userId && u.Teams.Any(t => t.Id == current), cancellationToken);
            if (!inTeam)
            {
                team = await work.Db.Users.Where(u => u.Id == userId).SelectMany(u => u.Teams).OrderBy(t => t.Name).Select(t => (int?)t.Id).FirstOrDefaultAsync(cancellationToken) ?? current;
            }
        }
        work.Assign(lead, user.Id, team);
    }

    private static async Task LeaveInPoolAsync(RoutingWork work, Lead lead, string? ruleName, Said reason, CancellationToken cancellationToken)
    {
        work.Activity(lead.Id, LeadActivityKind.LeftInPool, reason, null, ruleName);
        foreach (var manager in await work.ManagersAsync(lead.TeamId, cancellationToken))
        {
            work.Notify(manager.Id, NotificationKind.NobodyAvailable, lead.Id, Said.Of("{0} waits in the pool. {1}.", lead.Name, reason));
        }
    }

    private static Said NobodyReason(RoutingAssignDefinition assign) => assign.Mode == RoutingAssignDefinition.UserMode
        ? Said.Of("{0} is away, disabled or gone", assign.UserEmail)
        : assign.Capacity is { } cap
            ? Said.Of("every active sales rep in {0} is away or has {1} open tasks", assign.Team, cap)
            : Said.Of("no active sales rep in {0}", assign.Team);

    /// <summary>A duration kept to be said in the reader's language: "4 hours", "90 minutes", "2 days".</summary>
    public static Said DurationSaid(int minutes) => minutes switch
    {
        1440 => Said.Of("1 day"),
        _ when minutes % 1440 == 0 => Said.Of("{0} days", minutes / 1440),
        60 => Said.Of("1 hour"),
        _ when minutes % 60 == 0 => Said.Of("{0} hours", minutes / 60),
        1 => Said.Of("1 minute"),
        _ => Said.Of("{0} minutes", minutes),
    };

    /// <summary>"4 hours", "90 minutes", "2 days": a task's due time as a rep reads it, in <paramref name="words"/>' language.</summary>
    public static string Duration(int minutes, IWords? words = null) => DurationSaid(minutes).In(words ?? Words.English);
}
