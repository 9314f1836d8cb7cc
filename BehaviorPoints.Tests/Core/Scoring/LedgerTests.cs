using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Scoring;

public sealed class LedgerTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        await PublishAsync(RuleSet(SeedExample[0], SeedExample[1].Limited(1, "ever"), Rule("Submit form", "form.submit", 60)));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private async Task<int> PublishAsync(RuleSetDefinition definition)
    {
        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(definition);
        return await ruleSets.PublishAsync("tests");
    }

    private Task<LeadView> CreateLeadAsync(string name = "Li Wei", string? email = "li.wei@example.com", string? phone = null, string? externalId = null) =>
        _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = name, Email = email, Phone = phone, ExternalId = externalId }, LeadAccess.All);

    private async Task<IReadOnlyList<IngestResult>> SendAsync(params object[] events)
    {
        var now = _database.Clock.GetUtcNow().UtcDateTime;
        var batch = events.Select(e => EventReader.Read(Json(e), now, BehaviorCatalog.BuiltInOnly))
            .Select(r => r.Behavior ?? throw new InvalidOperationException(r.Error))
            .ToList();
        return await _database.Get<Ledger>().IngestAsync(batch);
    }

    private static object Follow(string eventId, object who, string account = "sharecrm", string? at = null) => new Dictionary<string, object?>
    {
        ["eventId"] = eventId,
        ["behavior"] = "official_account.follow",
        ["occurredAt"] = at,
        [who is long ? "leadId" : "contact"] = who,
        ["attributes"] = new { accountId = account },
    };

    [Fact]
    public async Task The_seed_example_scores_three_points_in_two_entries_and_updates_the_lead()
    {
        var lead = await CreateLeadAsync();

        var result = Assert.Single(await SendAsync(Follow("evt-1", lead.Id)));

        Assert.Equal(IngestStatus.Scored, result.Status);
        Assert.Equal(3, result.Points);
        Assert.Equal(3, result.Total);
        Assert.Equal("Low", result.IntentLevel);
        Assert.Equal([new EntrySummary("Follow any account", 1), new EntrySummary("Follow ShareCRM", 2)], result.Entries);
        var score = await _database.Get<ScoreHistory>().GetScoreAsync(lead.Id, LeadAccess.All);
        Assert.Equal(3, score!.Total);
        Assert.Equal([2, 1], score.Entries.Select(e => e.Points)); // newest first
        Assert.All(score.Entries, e => Assert.Equal(1, e.RuleSetVersion));
        Assert.All(score.Entries, e => Assert.Equal("evt-1", e.EventId));
        await using var db = await _database.NewContextAsync();
        var behaviorIds = score.Entries.Select(e => e.BehaviorId).Distinct().ToList();
        Assert.Equal("evt-1", (await db.Behaviors.SingleAsync(b => b.Id == behaviorIds.Single())).EventId);
    }

    [Fact]
    public async Task Every_entry_of_a_batch_points_at_its_own_behavior()
    {
        var lead = await CreateLeadAsync();
        await SendAsync(Enumerable.Range(0, 250).Select(i => (object)new { eventId = $"own-{i}", behavior = "form.submit", leadId = lead.Id }).ToArray());

        await using var db = await _database.NewContextAsync();
        var pairs = await db.ScoreEntries.Where(e => e.LeadId == lead.Id).Select(e => new { e.EventId, BehaviorEventId = e.Behavior!.EventId }).ToListAsync();
        Assert.Equal(250, pairs.Count);
        Assert.All(pairs, p => Assert.Equal(p.EventId, p.BehaviorEventId));
    }

    [Fact]
    public async Task The_same_event_id_is_scored_once()
    {
        var lead = await CreateLeadAsync();

        var first = await SendAsync(Follow("evt-1", lead.Id));
        var again = await SendAsync(Follow("evt-1", lead.Id), Follow("evt-2", lead.Id, "other"), Follow("evt-2", lead.Id, "other"));

        Assert.Equal(IngestStatus.Scored, first[0].Status);
        Assert.Equal([IngestStatus.Duplicate, IngestStatus.Scored, IngestStatus.Duplicate], again.Select(r => r.Status));
        Assert.Equal(lead.Id, again[0].LeadId);
        var score = await _database.Get<ScoreHistory>().GetScoreAsync(lead.Id, LeadAccess.All);
        Assert.Equal(4, score!.Total);
        Assert.Equal(3, score.Entries.Count);
        await using var db = await _database.NewContextAsync();
        Assert.Equal(2, await db.Behaviors.CountAsync());
    }

    [Fact]
    public async Task A_behavior_that_matches_no_rule_is_stored_as_no_match()
    {
        var lead = await CreateLeadAsync();

        var result = Assert.Single(await SendAsync(new { eventId = "evt-1", behavior = "purchase", leadId = lead.Id, attributes = new { amount = 10 } }));

        Assert.Equal(IngestStatus.NoMatch, result.Status);
        Assert.Equal(0, result.Points);
        Assert.Equal(0, result.Total);
        await using var db = await _database.NewContextAsync();
        Assert.Equal(BehaviorOutcome.NoMatch, (await db.Behaviors.SingleAsync()).Outcome);
    }

    [Fact]
    public async Task The_stored_lead_follows_its_total_level_and_last_activity_whichever_of_them_a_batch_changes()
    {
        var a = await CreateLeadAsync("A", "a@example.com");
        var b = await CreateLeadAsync("B", "b@example.com");
        object Purchase(string id, long lead, string at) => new { eventId = id, behavior = "purchase", leadId = lead, occurredAt = at, attributes = new { amount = 10 } };
        object Submit(string id, long lead, string at) => new { eventId = id, behavior = "form.submit", leadId = lead, occurredAt = at };

        // A: points, level and activity change; B: only its last activity (no rule matches).
        var first = await SendAsync(Submit("e1", a.Id, "2026-11-19T10:00:00Z"), Purchase("e2", b.Id, "2026-11-19T11:00:00Z"));
        // A: only points (an older behavior, same level); B: nothing (an older behavior that matches nothing).
        var second = await SendAsync(Follow("e3", a.Id, "other", "2026-11-18T09:00:00Z"), Purchase("e4", b.Id, "2026-11-18T09:00:00Z"));

        Assert.NotEqual(a.IntentLevel, first[0].IntentLevel);
        Assert.Equal(first[0].IntentLevel, second[0].IntentLevel);
        await using var db = await _database.NewContextAsync();
        var stored = await db.Leads.AsNoTracking().Where(l => l.Id == a.Id || l.Id == b.Id).OrderBy(l => l.Id).ToListAsync();
        Assert.Equal((61L, second[0].IntentLevel, new DateTime(2026, 11, 19, 10, 0, 0, DateTimeKind.Utc)), (stored[0].BehaviorPoints, stored[0].IntentLevel, stored[0].LastActivityAt));
        Assert.Equal((0L, b.IntentLevel, new DateTime(2026, 11, 19, 11, 0, 0, DateTimeKind.Utc)), (stored[1].BehaviorPoints, stored[1].IntentLevel, stored[1].LastActivityAt));
    }

    [Fact]
    public async Task A_limit_used_up_under_one_version_stays_used_up_under_the_next_where_its_rule_moved()
    {
        var lead = await CreateLeadAsync();
        var before = Assert.Single(await SendAsync(Follow("evt-1", lead.Id)));

        // The limited rule moves from second to fourth place; its count belongs to its name.
        await PublishAsync(RuleSet(Rule("Submit form", "form.submit", 60), Rule("Open email", "email.open", 1), SeedExample[0], SeedExample[1].Limited(1, "ever")));
        var after = Assert.Single(await SendAsync(Follow("evt-2", lead.Id)));

        Assert.Equal(["Follow any account", "Follow ShareCRM"], before.Entries!.Select(e => e.RuleName));
        Assert.Equal(["Follow any account"], after.Entries!.Select(e => e.RuleName));
    }

    [Fact]
    public async Task A_daily_limit_holds_for_a_late_behavior_of_an_earlier_day_and_not_for_the_next_day()
    {
        await PublishAsync(RuleSet(Rule("Open email", "email.open", 5).Limited(1, "day")));
        var lead = await CreateLeadAsync();
        object Open(string id, string at) => new { eventId = id, behavior = "email.open", leadId = lead.Id, occurredAt = at };

        var first = await SendAsync(Open("e1", "2026-11-18T09:00:00Z"));
        // One batch: the next day's first open, and a late one from the day whose limit is used up.
        var later = await SendAsync(Open("e2", "2026-11-19T09:00:00Z"), Open("e3", "2026-11-18T15:00:00Z"));

        Assert.Equal([5, 5, 0], new[] { first[0], later[0], later[1] }.Select(r => r.Points));
        Assert.Equal(IngestStatus.NoMatch, later[1].Status);
    }

    [Fact]
    public async Task A_lead_id_that_names_no_lead_rejects_only_that_event()
    {
        var lead = await CreateLeadAsync();

        var results = await SendAsync(Follow("evt-1", 999L), Follow("evt-2", lead.Id));

        Assert.Equal(IngestStatus.Rejected, results[0].Status);
        Assert.Equal("leadId 999 names no lead.", results[0].Error);
        Assert.Equal(IngestStatus.Scored, results[1].Status);
        await using var db = await _database.NewContextAsync();
        Assert.Equal(["evt-2"], await db.Behaviors.Select(b => b.EventId).ToListAsync());
    }

    [Fact]
    public async Task A_contact_finds_its_lead_by_email_ignoring_case_or_by_phone_or_external_id()
    {
        var lead = await CreateLeadAsync(email: "li.wei@example.com", phone: "+86 138 0013 8000", externalId: "mkt-7");

        var results = await SendAsync(
            Follow("evt-1", new { email = "LI.WEI@Example.com" }, "a"),
            Follow("evt-2", new { phone = "+8613800138000" }, "b"),
            Follow("evt-3", new { externalId = "mkt-7" }, "c"));

        Assert.All(results, r => Assert.Equal(lead.Id, r.LeadId));
        Assert.Equal([1L, 2L, 3L], results.Select(r => r.Total!.Value));
    }

    [Fact]
    public async Task Unlinked_behaviors_are_kept_and_scored_in_time_order_when_their_lead_appears()
    {
        var contact = new { email = "new.person@example.com" };
        // Sent out of order: the later follow first. The ever-limited ShareCRM rule must go to the earliest.
        var unlinked = await SendAsync(
            new { eventId = "late", behavior = "official_account.follow", occurredAt = "2026-11-19T10:00:00Z", contact, attributes = new { accountId = "sharecrm" } },
            new { eventId = "early", behavior = "official_account.follow", occurredAt = "2026-11-18T10:00:00Z", contact, attributes = new { accountId = "sharecrm" } });
        Assert.All(unlinked, r => Assert.Equal(IngestStatus.Unlinked, r.Status));
        Assert.All(unlinked, r => Assert.Null(r.LeadId));

        var lead = await CreateLeadAsync(name: "New Person", email: "New.Person@example.com");

        Assert.Equal(4, lead.BehaviorPoints); // early: +1 +2, late: +1 (ShareCRM's once-ever is used up)
        var entries = (await _database.Get<ScoreHistory>().GetScoreAsync(lead.Id, LeadAccess.All))!.Entries.Reverse().ToList();
        Assert.Equal(["early", "early", "late"], entries.Select(e => e.EventId));
        Assert.Equal([1, 2, 1], entries.Select(e => e.Points));
        await using var db = await _database.NewContextAsync();
        Assert.All(await db.Behaviors.ToListAsync(), b => Assert.Equal(lead.Id, b.LeadId));
    }

    [Fact]
    public async Task Updating_a_lead_to_carry_an_identity_links_its_waiting_behaviors()
    {
        var lead = await CreateLeadAsync(email: null, externalId: null);
        await SendAsync(Follow("evt-1", new { externalId = "crm-42" }));

        var updated = await _database.Get<LeadCommands>().UpdateAsync(lead.Id, new LeadInput { Name = lead.Name, ExternalId = "crm-42" }, LeadAccess.All);

        Assert.Equal(3, updated!.BehaviorPoints);
        var again = await SendAsync(Follow("evt-1", new { externalId = "crm-42" }));
        Assert.Equal(IngestStatus.Duplicate, again[0].Status);
    }

    [Fact]
    public async Task The_total_is_the_sum_of_entries_and_the_level_follows_the_total()
    {
        var leads = new List<LeadView>();
        for (var i = 0; i < 5; i++)
        {
            leads.Add(await CreateLeadAsync($"Lead {i}", $"lead{i}@example.com"));
        }
        var events = Enumerable.Range(0, 200).Select(i => (object)new
        {
            eventId = $"evt-{i}",
            behavior = i % 3 == 0 ? "form.submit" : "official_account.follow",
            leadId = leads[i % 5].Id,
            attributes = new { accountId = i % 2 == 0 ? "sharecrm" : "other" },
        }).ToArray();

        await SendAsync(events[..120]);
        await SendAsync(events[100..]);

        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
        await using var db = await _database.NewContextAsync();
        foreach (var lead in await db.Leads.ToListAsync())
        {
            Assert.Equal(IntentBands.Default.LevelOf(lead.BehaviorPoints), lead.IntentLevel);
            Assert.Equal(1, await db.ScoreEntries.CountAsync(e => e.LeadId == lead.Id && e.RuleName == "Follow ShareCRM"));
        }
        Assert.Equal(200, await db.Behaviors.CountAsync());
    }

    [Fact]
    public async Task A_new_lead_enters_the_lowest_level_and_crossing_a_band_boundary_records_the_level_change()
    {
        var lead = await CreateLeadAsync();

        await SendAsync(new { eventId = "f1", behavior = "form.submit", leadId = lead.Id });
        await SendAsync(new { eventId = "f2", behavior = "form.submit", leadId = lead.Id });

        await using var db = await _database.NewContextAsync();
        var changes = await db.IntentLevelChanges.Where(c => c.LeadId == lead.Id).OrderBy(c => c.Id).Select(c => new { c.From, c.To }).ToListAsync();
        Assert.Equal([new { From = (string?)null, To = (string?)"Low" }, new { From = (string?)"Low", To = (string?)"Medium" }, new { From = (string?)"Medium", To = (string?)"High" }], changes);
    }

    [Fact]
    public async Task Publishing_a_new_version_scores_from_then_on_and_rebands_every_lead()
    {
        var lead = await CreateLeadAsync();
        await SendAsync(new { eventId = "f1", behavior = "form.submit", leadId = lead.Id });
        Assert.Equal("Medium", (await _database.Get<LeadQueries>().FindAsync(lead.Id, LeadAccess.All))!.IntentLevel);

        var version = await PublishAsync(RuleSet(Rule("Submit form", "form.submit", 5)) with
        {
            IntentField = new IntentFieldDefinition { Name = "Heat", Options = [new() { Label = "Cold", Max = 59 }, new() { Label = "Hot", Min = 60 }] },
        });
        var result = Assert.Single(await SendAsync(new { eventId = "f2", behavior = "form.submit", leadId = lead.Id }));

        Assert.Equal(2, version);
        Assert.Equal(65, result.Total);
        Assert.Equal("Hot", result.IntentLevel);
        var entries = (await _database.Get<ScoreHistory>().GetScoreAsync(lead.Id, LeadAccess.All))!.Entries;
        Assert.Equal([(5, 2), (60, 1)], entries.Select(e => (e.Points, e.RuleSetVersion ?? 0)));
    }

    [Fact]
    public async Task Score_entries_that_happened_at_once_page_newest_first_by_entry_id()
    {
        var lead = await CreateLeadAsync();
        await SendAsync(Enumerable.Range(0, 7).Select(i => (object)new { eventId = $"f{i}", behavior = "form.submit", leadId = lead.Id }).ToArray());
        var leads = _database.Get<ScoreHistory>();

        var first = await leads.GetScoreAsync(lead.Id, LeadAccess.All, limit: 3);
        var second = await leads.GetScoreAsync(lead.Id, LeadAccess.All, limit: 3, before: first!.Next);
        var last = await leads.GetScoreAsync(lead.Id, LeadAccess.All, limit: 3, before: second!.Next);

        var ids = first.Entries.Concat(second.Entries).Concat(last!.Entries).Select(e => e.Id).ToList();
        Assert.Equal(7, ids.Distinct().Count());
        Assert.Equal(ids.OrderByDescending(i => i), ids);
        Assert.Null(last.NextBefore);
        Assert.Single(last.Entries);
    }

    [Fact]
    public async Task Parallel_overlapping_batches_score_every_event_exactly_once()
    {
        var leads = new List<LeadView>();
        for (var i = 0; i < 4; i++)
        {
            leads.Add(await CreateLeadAsync($"Parallel {i}", $"parallel{i}@example.com"));
        }
        // Eight senders, each sending events 0..299 shifted so that every event id is sent by several of them.
        var senders = Enumerable.Range(0, 8).Select(sender => Task.Run(async () =>
        {
            for (var start = sender * 25; start < sender * 25 + 300; start += 50)
            {
                await SendAsync(Enumerable.Range(start, 50).Select(i => (object)new
                {
                    eventId = $"p-{i % 300}",
                    behavior = "official_account.follow",
                    leadId = leads[i % 300 % 4].Id,
                    attributes = new { accountId = "other" },
                }).ToArray());
            }
        }));

        await Task.WhenAll(senders);

        await using var db = await _database.NewContextAsync();
        Assert.Equal(300, await db.Behaviors.CountAsync());
        Assert.Equal(300, await db.ScoreEntries.CountAsync());
        Assert.Equal([75L, 75L, 75L, 75L], await db.Leads.OrderBy(l => l.Id).Select(l => l.BehaviorPoints).ToListAsync());
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task The_daily_roll_up_equals_the_entries_also_for_behaviors_linked_when_their_lead_appears()
    {
        var lead = await CreateLeadAsync();
        await SendAsync(
            Follow("r1", lead.Id, at: "2026-11-18T10:00:00Z"),
            Follow("r2", lead.Id, account: "other", at: "2026-11-19T10:00:00Z"),
            Follow("r3", new { email = "later@example.com" }, at: "2026-11-19T11:00:00Z"),
            new { eventId = "r4", behavior = "form.submit", leadId = lead.Id, occurredAt = "2026-11-19T12:00:00Z" });
        await CreateLeadAsync("Later", "later@example.com");

        await using var db = await _database.NewContextAsync();
        var fromEntries = (await db.ScoreEntries.Where(e => e.Kind == ScoreEntryKind.Rule).ToListAsync())
            .GroupBy(e => (e.OccurredAt.Date, e.BehaviorType, e.RuleName))
            .Select(g => (g.Key.Date, g.Key.BehaviorType, g.Key.RuleName, Points: g.Sum(e => (long)e.Points), Entries: g.Count()))
            .OrderBy(r => r.Date).ThenBy(r => r.RuleName).ToList();
        var rolledUp = (await db.DailyPoints.ToListAsync())
            .Select(d => (d.Day, (string?)d.BehaviorType, d.RuleName, d.Points, d.Entries))
            .OrderBy(r => r.Day).ThenBy(r => r.RuleName).ToList();
        Assert.Equal(fromEntries, rolledUp);
        Assert.Contains(rolledUp, r => r.Day == new DateTime(2026, 11, 19) && r.RuleName == "Follow any account" && r.Entries == 2);
    }

    [Fact]
    public async Task Requests_queued_behind_the_writer_are_committed_together_and_each_gets_only_its_own_results()
    {
        var lead = await CreateLeadAsync();
        var now = _database.Clock.GetUtcNow().UtcDateTime;
        IncomingBehavior Form(string id) => EventReader.Read(Json(new { eventId = id, behavior = "form.submit", leadId = lead.Id }), now, BehaviorCatalog.BuiltInOnly).Behavior!;
        var ledger = _database.Get<Ledger>();

        // Hold the writer until every request has queued behind it, then let them all through.
        Task<IReadOnlyList<IngestResult>>[] requests;
        using var transactions = DatabaseActivity.For(_database.Path);
        using (await _database.Get<BehaviorPoints.Core.Persistence.WriteGate>().EnterAsync())
        {
            requests = Enumerable.Range(0, 20)
                .Select(i => Task.Run(() => ledger.IngestAsync([Form($"g-{i}"), Form($"g-{i}-b"), Form(i % 2 == 0 ? "shared" : $"g-{i}-c")])))
                .ToArray();
            var queued = Task.Run(async () =>
            {
                while (ledger.PendingRequests < requests.Length)
                {
                    await Task.Delay(10);
                }
            });
            await queued.WaitAsync(TimeSpan.FromSeconds(10));
        }
        var answers = await Task.WhenAll(requests);

        Assert.Equal(1, transactions.Commits);

        for (var i = 0; i < answers.Length; i++)
        {
            Assert.Equal([$"g-{i}", $"g-{i}-b", i % 2 == 0 ? "shared" : $"g-{i}-c"], answers[i].Select(r => r.EventId));
            Assert.All(answers[i].Take(2), r => Assert.Equal(IngestStatus.Scored, r.Status));
        }
        // "shared" came in ten requests: scored once, a duplicate in the other nine.
        var shared = answers.Where((_, i) => i % 2 == 0).Select(a => a[2].Status).ToList();
        Assert.Equal(1, shared.Count(s => s == IngestStatus.Scored));
        Assert.Equal(9, shared.Count(s => s == IngestStatus.Duplicate));
        Assert.Equal((20 * 2 + 10 + 1) * 60, (await _database.Get<LeadQueries>().FindAsync(lead.Id, LeadAccess.All))!.BehaviorPoints);
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }
}
