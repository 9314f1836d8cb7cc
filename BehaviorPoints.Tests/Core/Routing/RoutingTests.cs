using BehaviorPoints.Core;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Routing;

/// <summary>Routing (SPEC §10) through the ledger: edge-triggered firing, round-robin turns, tasks, reclaims, the pool.</summary>
public sealed class RoutingTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    // A demo request is worth 60: two make a lead High (101+), one more keeps it there.
    private static readonly RuleSetDefinition s_rules = RuleSet(
            Rule("Demo request", "form.submit", 60),
            Rule("Pricing", "website.visit", 30).In("CRM"))
        .WithFunnel(["CRM"], "New", "Engaged");

    private static RoutingRuleDefinition HotNorth(int minIntervalDays = 7, int? capacity = null, RoutingTaskDefinition? task = null) => new()
    {
        Name = "Hot leads North",
        Trigger = new RoutingTriggerDefinition { IntentLevel = "High" },
        Assign = new RoutingAssignDefinition { Mode = RoutingAssignDefinition.RoundRobinMode, Team = "North", Capacity = capacity },
        Task = task ?? new RoutingTaskDefinition { DueAfterMinutes = 60, GraceMinutes = 30, MaxReclaims = 1 },
        MinIntervalDays = minIntervalDays,
    };

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(s_rules);
        await ruleSets.PublishAsync("tests");
        await _database.CreateUserAsync("ana@example.com", Roles.Sales, "North");
        await _database.CreateUserAsync("bo@example.com", Roles.Sales, "North");
        await _database.CreateUserAsync("cy@example.com", Roles.Sales, "North");
        await _database.CreateUserAsync("south@example.com", Roles.Sales, "South");
        await _database.CreateUserAsync("boss@example.com", Roles.Manager, "North");
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private DateTime Now => _database.Clock.GetUtcNow().UtcDateTime;

    private Task SaveAsync(params RoutingRuleDefinition[] rules) =>
        _database.Get<RoutingRuleService>().SaveAsync(new RoutingRuleList { Rules = rules }, "tests");

    private async Task<long> CreateLeadAsync(string name = "Zofia Nowak", string team = "North", string? owner = null) =>
        (await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = name, Team = team, OwnerEmail = owner }, LeadAccess.All)).Id;

    private async Task SendAsync(string behavior, params long[] leadIds)
    {
        var now = Now;
        var batch = leadIds.Select(id => EventReader.Read(Json(new { eventId = Guid.NewGuid().ToString("N"), behavior, leadId = id, occurredAt = now.AddSeconds(-1).ToString("O") }), now, BehaviorCatalog.BuiltInOnly))
            .Select(r => r.Behavior ?? throw new InvalidOperationException(r.Error))
            .ToList();
        await _database.Get<Ledger>().IngestAsync(batch);
    }

    private async Task<string?> OwnerEmailAsync(long leadId)
    {
        await using var db = await _database.NewContextAsync();
        return await db.Leads.Where(l => l.Id == leadId).Select(l => l.Owner!.Email).SingleOrDefaultAsync();
    }

    private async Task<List<FollowUpTask>> TasksAsync(long leadId)
    {
        await using var db = await _database.NewContextAsync();
        return await db.FollowUpTasks.AsNoTracking().Include(t => t.Assignee).Where(t => t.LeadId == leadId).OrderBy(t => t.Id).ToListAsync();
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var db = await _database.NewContextAsync();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    [Fact]
    public async Task A_lead_entering_High_is_assigned_with_a_task_in_the_scoring_transaction_and_only_on_entering()
    {
        await SaveAsync(HotNorth());
        var lead = await CreateLeadAsync();

        await SendAsync("form.submit", lead);
        Assert.Null(await OwnerEmailAsync(lead));

        await SendAsync("form.submit", lead);
        var owner = await OwnerEmailAsync(lead);
        Assert.NotNull(owner);
        var task = Assert.Single(await TasksAsync(lead));
        Assert.Equal((owner, FollowUpStatus.Open, Now.AddMinutes(60), "Hot leads North"), (task.Assignee!.Email, task.Status, task.DueAt, task.RuleName));

        // Staying inside the trigger does not fire again.
        await SendAsync("form.submit", lead);
        Assert.Single(await TasksAsync(lead));

        var timeline = await _database.Get<FollowUps>().TimelineAsync(lead);
        Assert.Contains(timeline, a => a.Kind == LeadActivityKind.Assigned && a.Reason.Contains("by rule 'Hot leads North' when Intent Level became High", StringComparison.Ordinal));
        Assert.Contains(timeline, a => a.Kind == LeadActivityKind.TaskCreated);
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task A_rule_re_arms_after_the_lead_left_its_trigger_and_not_within_its_minimum_interval()
    {
        await SaveAsync(HotNorth(minIntervalDays: 7));
        var lead = await CreateLeadAsync();
        await SendAsync("form.submit", lead, lead);
        var task = Assert.Single(await TasksAsync(lead));
        // The rep follows up (a lead whose task is still open is left with its rep: it would not fire for that reason).
        var access = await _database.Get<LeadAccessService>().ForUserAsync(task.AssigneeId, [Roles.Sales]);
        await _database.Get<FollowUps>().CompleteAsync(task.Id, FollowUpOutcome.Contacted, null, new Actor(task.AssigneeId, "Rep", access));

        // Out (below High) and back in on the same day: inside the 7-day interval, nothing fires.
        await _database.Get<Ledger>().AdjustAsync(lead, -50, "Test: cools down", "tests", LeadAccess.All);
        await _database.Get<Ledger>().AdjustAsync(lead, 50, "Test: warms up", "tests", LeadAccess.All);
        Assert.Single(await TasksAsync(lead));

        // Out and in again eight days later: it fires.
        _database.Clock.Advance(TimeSpan.FromDays(8));
        await _database.Get<Ledger>().AdjustAsync(lead, -50, "Test: cools down", "tests", LeadAccess.All);
        await _database.Get<Ledger>().AdjustAsync(lead, 50, "Test: warms up", "tests", LeadAccess.All);
        Assert.Equal(2, (await TasksAsync(lead)).Count);
    }

    [Fact]
    public async Task Round_robin_gives_each_active_rep_a_turn_in_order_and_skips_away_and_disabled_reps()
    {
        await SaveAsync(HotNorth(minIntervalDays: 0));
        var leads = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            leads.Add(await CreateLeadAsync($"Lead {i}"));
        }
        await SendAsync("form.submit", [.. leads, .. leads]);
        var owners = new List<string?>();
        foreach (var lead in leads)
        {
            owners.Add(await OwnerEmailAsync(lead));
        }
        Assert.Equal(2, owners.Count(o => o == "ana@example.com"));
        Assert.Equal(2, owners.Count(o => o == "bo@example.com"));
        Assert.Equal(2, owners.Count(o => o == "cy@example.com"));
        // Turns alternate: no rep gets two in a row.
        Assert.All(owners.Zip(owners.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));

        await _database.Get<UserDirectory>().SetAwayAsync(await UserIdAsync("bo@example.com"), true);
        await _database.Get<UserDirectory>().SetDisabledAsync(await UserIdAsync("cy@example.com"), true);
        var more = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            more.Add(await CreateLeadAsync($"More {i}"));
        }
        await SendAsync("form.submit", [.. more, .. more]);
        foreach (var lead in more)
        {
            Assert.Equal("ana@example.com", await OwnerEmailAsync(lead));
        }
    }

    [Fact]
    public async Task When_every_rep_is_at_capacity_the_lead_stays_in_the_pool_and_the_manager_is_told()
    {
        await SaveAsync(HotNorth(capacity: 1));
        var leads = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            leads.Add(await CreateLeadAsync($"Lead {i}"));
        }
        await SendAsync("form.submit", [.. leads, .. leads]);

        Assert.Equal(3, (await Task.WhenAll(leads.Select(OwnerEmailAsync))).Count(o => o is not null));
        var pooled = leads.Last();
        Assert.Null(await OwnerEmailAsync(pooled));
        var boss = await UserIdAsync("boss@example.com");
        var told = await _database.Get<NotificationCenter>().RecentAsync(boss);
        var note = Assert.Single(told);
        Assert.Equal((NotificationKind.NobodyAvailable, pooled), (note.Kind, note.LeadId));
        Assert.Equal(1, await _database.Get<NotificationCenter>().UnreadCountAsync(boss));
    }

    [Fact]
    public async Task An_owned_lead_keeps_its_owner_unless_the_rule_reassigns_owned_leads()
    {
        await SaveAsync(HotNorth());
        var lead = await CreateLeadAsync(owner: "cy@example.com");
        await SendAsync("form.submit", lead, lead);
        Assert.Equal("cy@example.com", await OwnerEmailAsync(lead));
        Assert.Equal("cy@example.com", Assert.Single(await TasksAsync(lead)).Assignee!.Email);

        await SaveAsync(HotNorth(minIntervalDays: 0) with
        {
            ReassignOwned = true,
            Name = "Take over",
            Assign = new RoutingAssignDefinition { Mode = RoutingAssignDefinition.UserMode, UserEmail = "ana@example.com" },
        });
        var other = await CreateLeadAsync(owner: "cy@example.com");
        await SendAsync("form.submit", other, other);
        Assert.Equal("ana@example.com", await OwnerEmailAsync(other));
        Assert.Equal("ana@example.com", Assert.Single(await TasksAsync(other)).Assignee!.Email);
    }

    [Fact]
    public async Task A_lapsed_task_is_reclaimed_once_and_re_routed_to_another_rep_then_left_in_the_pool_at_the_rule_s_limit()
    {
        await SaveAsync(HotNorth(task: new RoutingTaskDefinition { DueAfterMinutes = 10, GraceMinutes = 5, MaxReclaims = 1 }));
        var lead = await CreateLeadAsync();
        await SendAsync("form.submit", lead, lead);
        var first = await OwnerEmailAsync(lead);

        // Due but within grace: the rep is told it is overdue, the lead stays.
        _database.Clock.Advance(TimeSpan.FromMinutes(11));
        await _database.Get<Reclaims>().RunAsync();
        Assert.Equal(first, await OwnerEmailAsync(lead));
        var firstId = await UserIdAsync(first!);
        Assert.Contains(await _database.Get<NotificationCenter>().RecentAsync(firstId), n => n.Kind == NotificationKind.TaskOverdue);

        // Past due plus grace: back to the pool and on to another rep, with a new task; a second worker finds nothing left to do.
        _database.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, await _database.Get<Reclaims>().RunAsync());
        Assert.Equal(0, await _database.New<Reclaims>().RunAsync());
        var second = await OwnerEmailAsync(lead);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        var tasks = await TasksAsync(lead);
        Assert.Equal([FollowUpStatus.Reclaimed, FollowUpStatus.Open], tasks.Select(t => t.Status));
        Assert.Equal(1, tasks[1].Reclaims);

        // The rule allows one reclaim: the next lapse leaves the lead in the pool and tells the manager.
        _database.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(1, await _database.New<Reclaims>().RunAsync());
        Assert.Null(await OwnerEmailAsync(lead));
        Assert.Equal([FollowUpStatus.Reclaimed, FollowUpStatus.Reclaimed], (await TasksAsync(lead)).Select(t => t.Status));
        Assert.Contains(await _database.Get<NotificationCenter>().RecentAsync(await UserIdAsync("boss@example.com")), n => n.Kind == NotificationKind.NobodyAvailable && n.LeadId == lead);
        var timeline = await _database.Get<FollowUps>().TimelineAsync(lead);
        Assert.Equal(2, timeline.Count(a => a.Kind == LeadActivityKind.Reclaimed));
        Assert.Contains(timeline, a => a.Kind == LeadActivityKind.LeftInPool && a.Reason.Contains("the most rule 'Hot leads North' allows is 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_that_dies_after_its_first_batch_leaves_every_lapsed_task_reclaimed_exactly_once_after_the_restart()
    {
        await SaveAsync(HotNorth(task: new RoutingTaskDefinition { DueAfterMinutes = 10, GraceMinutes = 5, MaxReclaims = 1 }));
        var leads = await LapsedLeadsAsync(Reclaims.BatchSize + 50);

        // The process dies while writing its second batch: the first batch is committed, the second rolled back.
        var dying = _database.New<Reclaims>(new DyingRoutingStore(_database.Get<IRoutingStore>(), dieOnWrite: 2));
        await Assert.ThrowsAsync<IOException>(() => dying.RunAsync());
        Assert.Equal(Reclaims.BatchSize, await ReclaimedTasksAsync());

        // The restarted instance waits out the dead one's lease, then finishes the rest.
        var restarted = _database.New<Reclaims>(new JobLeases(new AppInstance()));
        Assert.Equal(0, await restarted.RunAsync());
        _database.Clock.Advance(JobLeases.Duration);
        Assert.Equal(50, await restarted.RunAsync());

        await AssertReclaimedOnceAsync(leads);
    }

    [Fact]
    public async Task Two_instances_reclaiming_at_once_reclaim_every_lapsed_task_exactly_once()
    {
        await SaveAsync(HotNorth(task: new RoutingTaskDefinition { DueAfterMinutes = 10, GraceMinutes = 5, MaxReclaims = 1 }));
        var leads = await LapsedLeadsAsync(Reclaims.BatchSize + 50);

        var first = _database.New<Reclaims>(new JobLeases(new AppInstance()));
        var second = _database.New<Reclaims>(new JobLeases(new AppInstance()));
        var done = await Task.WhenAll(Task.Run(() => first.RunAsync()), Task.Run(() => second.RunAsync()));

        Assert.Equal(leads.Count, done.Sum());
        await AssertReclaimedOnceAsync(leads);
    }

    // Leads of North, each routed with an open task whose due time plus grace has passed.
    private async Task<List<long>> LapsedLeadsAsync(int count)
    {
        var leads = new List<long>();
        for (var i = 0; i < count; i++)
        {
            leads.Add(await CreateLeadAsync($"Lead {i}"));
        }
        await SendAsync("form.submit", [.. leads, .. leads]);
        Assert.Equal(count, await OpenTasksAsync());
        _database.Clock.Advance(TimeSpan.FromMinutes(16));
        return leads;
    }

    private async Task<int> OpenTasksAsync()
    {
        await using var db = await _database.NewContextAsync();
        return await db.FollowUpTasks.CountAsync(t => t.Status == FollowUpStatus.Open);
    }

    private async Task<int> ReclaimedTasksAsync()
    {
        await using var db = await _database.NewContextAsync();
        return await db.FollowUpTasks.CountAsync(t => t.Status == FollowUpStatus.Reclaimed);
    }

    // Each lead's first task reclaimed once, with one reclaim on its timeline, and one new open task for another rep.
    private async Task AssertReclaimedOnceAsync(IReadOnlyList<long> leads)
    {
        await using var db = await _database.NewContextAsync();
        var tasks = await db.FollowUpTasks.AsNoTracking().ToListAsync();
        var reclaims = await db.LeadActivities.AsNoTracking().Where(a => a.Kind == LeadActivityKind.Reclaimed).Select(a => a.LeadId).ToListAsync();
        foreach (var lead in leads)
        {
            var own = tasks.Where(t => t.LeadId == lead).OrderBy(t => t.Id).ToList();
            Assert.Equal([FollowUpStatus.Reclaimed, FollowUpStatus.Open], own.Select(t => t.Status));
            Assert.NotEqual(own[0].AssigneeId, own[1].AssigneeId);
            Assert.Equal(1, reclaims.Count(id => id == lead));
        }
    }

    // Routing's writes that fail on the n-th batch, as if the process died in the middle of a run.
    private sealed class DyingRoutingStore(IRoutingStore inner, int dieOnWrite) : IRoutingStore
    {
        private readonly int _dieOnWrite = dieOnWrite;
        private int _writes;

        public IRoutingStatements On(BehaviorPointsDbContext db) => new Statements(this, inner.On(db));

        private sealed class Statements(DyingRoutingStore store, IRoutingStatements inner) : IRoutingStatements
        {
            public void Write(RoutingWrites writes)
            {
                if (Interlocked.Increment(ref store._writes) == store._dieOnWrite)
                {
                    throw new IOException("The process died while writing.");
                }
                inner.Write(writes);
            }
        }
    }

    [Fact]
    public async Task A_completed_task_is_never_reclaimed_and_a_pool_lead_can_be_claimed_once()
    {
        await SaveAsync(HotNorth());
        var lead = await CreateLeadAsync();
        await SendAsync("form.submit", lead, lead);
        var task = Assert.Single(await TasksAsync(lead));
        var assignee = task.Assignee!;
        var access = await _database.Get<LeadAccessService>().ForUserAsync(assignee.Id, [Roles.Sales]);
        var done = await _database.Get<FollowUps>().CompleteAsync(task.Id, FollowUpOutcome.Contacted, "Booked a demo", new Actor(assignee.Id, "Rep", access));
        Assert.Equal((FollowUpStatus.Done, FollowUpOutcome.Contacted, "Booked a demo"), (done!.Status, done.Outcome, done.Note));
        await Assert.ThrowsAsync<ConflictException>(() => _database.Get<FollowUps>().CompleteAsync(task.Id, FollowUpOutcome.Contacted, null, new Actor(assignee.Id, "Rep", access)));

        _database.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await _database.Get<Reclaims>().RunAsync());
        Assert.Equal(assignee.Email, await OwnerEmailAsync(lead));

        // A rep of another team may not complete it; nor claim a lead they cannot see.
        var southId = await UserIdAsync("south@example.com");
        var south = await _database.Get<LeadAccessService>().ForUserAsync(southId, [Roles.Sales]);
        var pooled = await CreateLeadAsync("In the pool");
        Assert.False(await _database.Get<FollowUps>().ClaimAsync(pooled, new Actor(southId, "South", south)));
        var anaId = await UserIdAsync("ana@example.com");
        var ana = await _database.Get<LeadAccessService>().ForUserAsync(anaId, [Roles.Sales]);
        Assert.True(await _database.Get<FollowUps>().ClaimAsync(pooled, new Actor(anaId, "Ana", ana)));
        Assert.Equal("ana@example.com", await OwnerEmailAsync(pooled));
        await Assert.ThrowsAsync<ConflictException>(() => _database.Get<FollowUps>().ClaimAsync(pooled, new Actor(anaId, "Ana", ana)));
        Assert.Contains(await _database.Get<FollowUps>().TimelineAsync(pooled), a => a.Kind == LeadActivityKind.Claimed && a.Reason == "Claimed from the pool by ana@example.com");
    }

    [Fact]
    public async Task A_claim_names_the_claimer_as_the_pages_do_on_the_timeline_and_in_lead_assigned()
    {
        await using (var scope = _database.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync("dana@example.com", "Test!Pass1", Roles.Sales, ["North"], "Dana Lee");
        }
        var lead = await CreateLeadAsync();
        var dana = await UserIdAsync("dana@example.com");
        var access = await _database.Get<LeadAccessService>().ForUserAsync(dana, [Roles.Sales]);

        // The actor's name is what the sign-in carries (the email); the page shows the display name.
        Assert.True(await _database.Get<FollowUps>().ClaimAsync(lead, new Actor(dana, "dana@example.com", access)));

        var claimed = Assert.Single(await _database.Get<FollowUps>().TimelineAsync(lead), a => a.Kind == LeadActivityKind.Claimed);
        Assert.Equal("Claimed from the pool by Dana Lee", claimed.Reason);
    }

    [Fact]
    public async Task A_category_trigger_fires_when_the_category_score_reaches_its_number_and_the_first_matching_rule_wins()
    {
        var crm = new RoutingRuleDefinition
        {
            Name = "CRM interest to Ana",
            Trigger = new RoutingTriggerDefinition { Category = "crm", MinScore = 50 },
            Assign = new RoutingAssignDefinition { Mode = RoutingAssignDefinition.UserMode, UserEmail = "ANA@example.com" },
            MinIntervalDays = 0,
        };
        var southOnly = HotNorth() with
        {
            Name = "South only",
            Trigger = new RoutingTriggerDefinition { Category = "CRM", MinScore = 50 },
            Conditions = [new RoutingConditionDefinition { Field = "team", Operator = "equals", Value = Json("South") }],
            Assign = new RoutingAssignDefinition { Mode = RoutingAssignDefinition.UserMode, UserEmail = "south@example.com" },
        };
        await SaveAsync(southOnly, crm);
        var saved = await _database.Get<RoutingRuleService>().GetAsync();
        Assert.Equal(("CRM", "ana@example.com"), (saved.List.Rules[1].Trigger.Category, saved.List.Rules[1].Assign.UserEmail));

        var lead = await CreateLeadAsync();
        await SendAsync("website.visit", lead);
        Assert.Null(await OwnerEmailAsync(lead));
        await SendAsync("website.visit", lead);
        Assert.Equal("ana@example.com", await OwnerEmailAsync(lead));
        Assert.Empty(await TasksAsync(lead));
    }

    [Fact]
    public async Task Applying_a_rule_to_existing_leads_routes_the_ones_inside_its_trigger_in_batches()
    {
        var leads = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            leads.Add(await CreateLeadAsync($"Lead {i}", team: i < 4 ? "North" : "South"));
        }
        await SendAsync("form.submit", [.. leads, .. leads]);
        var rule = HotNorth() with { Conditions = [new RoutingConditionDefinition { Field = "team", Operator = "equals", Value = Json("North") }] };
        await SaveAsync(rule);
        var service = _database.Get<RoutingRuleService>();
        Assert.Equal(4, await service.CountInsideAsync(rule));
        Assert.All(await Task.WhenAll(leads.Select(OwnerEmailAsync)), Assert.Null);

        await service.StartApplyAsync("hot leads north", "tests");
        await Assert.ThrowsAsync<ConflictException>(() => service.StartApplyAsync("Hot leads North", "tests"));
        Assert.Equal(5, await _database.Get<RoutingApply>().RunAsync());

        var owners = await Task.WhenAll(leads.Select(OwnerEmailAsync));
        Assert.All(owners.Take(4), Assert.NotNull);
        Assert.Null(owners[4]);
        Assert.Equal(4, (await Task.WhenAll(leads.Take(4).Select(TasksAsync))).Count(t => t.Count == 1));
    }

    private async Task CloseAsync(long leadId, LeadStatus status)
    {
        var view = (await _database.Get<LeadQueries>().FindAsync(leadId, LeadAccess.All))!;
        await _database.Get<LeadCommands>().UpdateAsync(leadId, view.ToInput() with { Status = status }, LeadAccess.All);
    }

    private static RoutingRuleDefinition SouthToItsRep() => new()
    {
        Name = "South to its rep",
        Trigger = new RoutingTriggerDefinition { IntentLevel = "High" },
        Conditions = [new RoutingConditionDefinition { Field = "team", Operator = "equals", Value = Json("South") }],
        Assign = new RoutingAssignDefinition { Mode = RoutingAssignDefinition.UserMode, UserEmail = "south@example.com" },
        Task = new RoutingTaskDefinition { DueAfterMinutes = 60, GraceMinutes = 30, MaxReclaims = 1 },
        MinIntervalDays = 7,
    };

    [Fact]
    public async Task Firing_applying_and_reclaiming_never_route_a_closed_lead_nor_give_a_lead_a_second_open_task()
    {
        // South's lead is High first, while only the South rule exists: it holds an open task from that rule.
        await SaveAsync(SouthToItsRep());
        var open = await CreateLeadAsync("Open");
        var converted = await CreateLeadAsync("Converted");
        var lost = await CreateLeadAsync("Lost");
        var withTask = await CreateLeadAsync("South with a task", team: "South");
        await SendAsync("form.submit", open, open, converted, converted, lost, lost, withTask, withTask);
        Assert.Single(await TasksAsync(withTask));
        await CloseAsync(converted, LeadStatus.Converted);
        await CloseAsync(lost, LeadStatus.Lost);

        // Applying the North rule to the leads already High: the closed leads are not even counted.
        await SaveAsync(SouthToItsRep(), HotNorth());
        var service = _database.Get<RoutingRuleService>();
        Assert.Equal(2, await service.CountInsideAsync(HotNorth()));
        await service.StartApplyAsync("Hot leads North", "tests");
        await _database.Get<RoutingApply>().RunAsync();

        Assert.Single(await TasksAsync(open));
        Assert.Empty(await TasksAsync(converted));
        Assert.Empty(await TasksAsync(lost));
        Assert.Equal(["south@example.com"], (await TasksAsync(withTask)).Select(t => t.Assignee!.Email));

        // Firing: a lost lead entering High is not routed.
        var lostFirst = await CreateLeadAsync("Lost before it was High");
        await CloseAsync(lostFirst, LeadStatus.Lost);
        await SendAsync("form.submit", lostFirst, lostFirst);
        Assert.Empty(await TasksAsync(lostFirst));
        Assert.Null(await OwnerEmailAsync(lostFirst));

        // Reclaim: a lead converted while its task was open keeps its owner when the task lapses, and gets no new task.
        var owner = await OwnerEmailAsync(open);
        await CloseAsync(open, LeadStatus.Converted);
        _database.Clock.Advance(TimeSpan.FromMinutes(91));
        await _database.Get<Reclaims>().RunAsync();
        var tasks = await TasksAsync(open);
        Assert.Equal([FollowUpStatus.Reclaimed], tasks.Select(t => t.Status));
        Assert.Equal(owner, await OwnerEmailAsync(open));
    }

    [Fact]
    public async Task A_bulk_apply_tells_each_rep_of_every_task_it_gave_them_including_for_leads_they_owned()
    {
        var leads = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            leads.Add(await CreateLeadAsync($"Lead {i}", owner: i < 5 ? "ana@example.com" : null));
        }
        await SendAsync("form.submit", [.. leads, .. leads]);
        await SaveAsync(HotNorth());
        var service = _database.Get<RoutingRuleService>();
        await service.StartApplyAsync("Hot leads North", "tests");
        await _database.Get<RoutingApply>().RunAsync();

        await using var db = await _database.NewContextAsync();
        var tasks = await db.FollowUpTasks.GroupBy(t => t.AssigneeId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        var notifications = await db.UserNotifications.AsNoTracking().ToListAsync();
        Assert.Equal(12, tasks.Values.Sum());
        foreach (var (rep, count) in tasks)
        {
            // A summary says how many leads it stands for; any other notification is one lead.
            var told = notifications.Where(n => n.UserId == rep)
                .Sum(n => System.Text.RegularExpressions.Regex.Match(n.Text, @"^(\d+) leads were routed to you at once") is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 1);
            Assert.Equal(count, told);
        }
    }

    [Fact]
    public async Task Applying_a_rule_to_ten_batches_and_a_half_of_leads_routes_each_once_with_even_turns_and_summarized_notifications()
    {
        // Ten full batches and a part one: enough to show the batching, the turns across batches and the last short
        // batch (the benchmark applies a rule to 100,000 leads for the time it takes).
        const int Leads = 10 * RoutingApply.BatchSize + RoutingApply.BatchSize / 2;
        int north;
        await using (var db = await _database.NewContextAsync())
        {
            north = await db.Teams.Where(t => t.Name == "North").Select(t => t.Id).SingleAsync();
            // Both providers read this: a recursive count, every lead High already (150 points) in North's pool.
            await db.Database.ExecuteSqlAsync($"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Leads})
                INSERT INTO "Leads" ("Name", "Status", "BehaviorPoints", "IntentLevel", "CreatedAt", "UpdatedAt", "Stage", "StageScore", "StageVisit", "TeamId")
                SELECT 'Bulk ' || i, 'Open', 150, 'High', '2026-11-01 00:00:00', '2026-11-01 00:00:00', 'New', 0, 0, {north} FROM n
                """);
        }
        await SaveAsync(HotNorth());
        var service = _database.Get<RoutingRuleService>();
        Assert.Equal(Leads, await service.CountInsideAsync(HotNorth()));

        var apply = _database.Get<RoutingApply>();
        var reports = 0;
        apply.Changed += _ => Interlocked.Increment(ref reports);
        await service.StartApplyAsync("Hot leads North", "tests");
        Assert.Equal(Leads, await apply.RunAsync());

        Assert.True(reports >= Leads / RoutingApply.BatchSize + 1, $"{reports} progress reports for {Leads / RoutingApply.BatchSize + 1} batches");
        await using var check = await _database.NewContextAsync();
        Assert.Equal(Leads, await check.Leads.CountAsync(l => l.OwnerId != null));
        Assert.Equal(Leads, await check.FollowUpTasks.CountAsync());
        Assert.Equal(Leads, await check.FollowUpTasks.Select(t => t.LeadId).Distinct().CountAsync());
        var perRep = await check.FollowUpTasks.GroupBy(t => t.AssigneeId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(3, perRep.Count);
        Assert.True(perRep.Max() - perRep.Min() <= 1, string.Join(", ", perRep));
        // One summary per rep and batch, not a notification per lead.
        Assert.InRange(await check.UserNotifications.CountAsync(), 3, 3 * (Leads / RoutingApply.BatchSize + 1));

        // Applying again routes nobody: every lead fired within the rule's minimum interval.
        await service.StartApplyAsync("Hot leads North", "tests");
        await apply.RunAsync();
        Assert.Equal(Leads, await check.FollowUpTasks.CountAsync());
    }

    [Fact]
    public async Task A_list_naming_what_does_not_exist_or_outside_the_ranges_is_refused_with_every_problem()
    {
        var bad = new RoutingRuleDefinition
        {
            Name = "Bad",
            Trigger = new RoutingTriggerDefinition { Category = "Service", MinScore = 0 },
            Conditions = [new RoutingConditionDefinition { Field = "salary", Operator = "equals", Value = Json("x") }],
            Assign = new RoutingAssignDefinition { Mode = RoutingAssignDefinition.RoundRobinMode, Team = "West", Capacity = 0 },
            Task = new RoutingTaskDefinition { DueAfterMinutes = 0, GraceMinutes = 10_081, MaxReclaims = 11 },
            MinIntervalDays = 366,
        };
        var user = HotNorth() with { Name = "bad", Trigger = new RoutingTriggerDefinition { IntentLevel = "Boiling" }, Assign = new RoutingAssignDefinition { Mode = "user", UserEmail = "nobody@example.com" } };
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => SaveAsync(bad, user));
        Assert.Equal(
            ["rules[0].trigger.category", "rules[0].trigger.minScore", "rules[0].conditions[0].field", "rules[0].assign.team", "rules[0].assign.capacity",
             "rules[0].task.dueAfterMinutes", "rules[0].task.graceMinutes", "rules[0].task.maxReclaims", "rules[0].minIntervalDays",
             "rules[1].name", "rules[1].trigger.intentLevel", "rules[1].assign.userEmail"],
            error.Errors.Select(e => e.Field));
        Assert.Empty((await _database.Get<RoutingRuleService>().GetAsync()).List.Rules);
    }
}
