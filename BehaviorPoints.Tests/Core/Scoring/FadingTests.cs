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

/// <summary>Points that fade (SPEC §9) through the ledger, the worker, the re-score and the history.</summary>
public sealed class FadingTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    // Visits +5, halving after 30 days and gone after 90; forms +60 for good.
    private static readonly RuleSetDefinition s_fading = RuleSet(Rule("Visit", "website.visit", 5).Fading((30, 50), (90, 0)), Rule("Submit form", "form.submit", 60));

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private DateTime Now => _database.Clock.GetUtcNow().UtcDateTime;

    private static async Task PublishAsync(CoreDatabase database, RuleSetDefinition definition, PublishMode mode = PublishMode.NewBehaviorsOnly)
    {
        var ruleSets = database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(definition);
        await ruleSets.PublishAsync("tests", mode);
    }

    private static async Task<long> CreateLeadAsync(CoreDatabase database, string name = "Li Wei") =>
        (await database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = name }, LeadAccess.All)).Id;

    private static object Event(string eventId, string behavior, long leadId, DateTime at) =>
        new { eventId, behavior, leadId, occurredAt = at.ToString("O") };

    private static async Task<IReadOnlyList<IngestResult>> SendAsync(CoreDatabase database, params object[] events)
    {
        var now = database.Clock.GetUtcNow().UtcDateTime;
        var batch = events.Select(e => EventReader.Read(Json(e), now, BehaviorCatalog.BuiltInOnly))
            .Select(r => r.Behavior ?? throw new InvalidOperationException(r.Error))
            .ToList();
        return await database.Get<Ledger>().IngestAsync(batch);
    }

    private static async Task<LeadView> LeadAsync(CoreDatabase database, long id) => (await database.Get<LeadQueries>().FindAsync(id, LeadAccess.All))!;

    private static async Task<List<ScoreEntry>> EntriesAsync(CoreDatabase database)
    {
        await using var db = await database.NewContextAsync();
        return await db.ScoreEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task A_behavior_whose_steps_are_due_already_is_written_with_them_and_the_answer_holds_them()
    {
        await PublishAsync(_database, s_fading);
        var lead = await CreateLeadAsync(_database);
        var at = Now.AddDays(-100);

        var result = Assert.Single(await SendAsync(_database, Event("old-visit", "website.visit", lead, at)));

        Assert.Equal((IngestStatus.Scored, 0, 0L), (result.Status, result.Points, result.Total));
        Assert.Equal([new EntrySummary("Visit", 5), new EntrySummary("Visit", -5, ScoreEntryKind.Decay)], result.Entries);
        var entries = await EntriesAsync(_database);
        var rule = entries[0];
        Assert.Equal(
            [(ScoreEntryKind.Rule, 5, (long?)null, (int?)null, at), (ScoreEntryKind.Decay, -2, rule.Id, 1, at.AddDays(30)), (ScoreEntryKind.Decay, -3, rule.Id, 2, at.AddDays(90))],
            entries.Select(e => (e.Kind, e.Points, e.DecaysEntryId, e.DecayStep, e.OccurredAt)));
        Assert.All(entries, e => Assert.Equal(("Visit", "old-visit", 1), (e.RuleName, e.EventId, e.RuleSetVersion)));
        await using var db = await _database.NewContextAsync();
        Assert.Empty(await db.PendingDecays.ToListAsync());

        // Forty days back: halved already, gone in fifty days.
        var recent = Assert.Single(await SendAsync(_database, Event("recent-visit", "website.visit", lead, Now.AddDays(-40))));
        Assert.Equal((3, 3L), (recent.Points, recent.Total));
        var pending = Assert.Single(await db.PendingDecays.ToListAsync());
        Assert.Equal((2, -3, 0, Now.AddDays(50)), (pending.Step, pending.Points, pending.Kept, pending.DueAt));
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task A_waiting_behavior_scored_when_its_lead_appears_fades_like_any_other()
    {
        await PublishAsync(_database, s_fading);
        var at = Now.AddDays(-40);
        await SendAsync(_database, new { eventId = "waiting", behavior = "website.visit", contact = new { email = "new.lead@example.com" }, occurredAt = at.ToString("O") });

        var lead = (await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "New Lead", Email = "new.lead@example.com" }, LeadAccess.All)).Id;

        Assert.Equal(3, (await LeadAsync(_database, lead)).BehaviorPoints);
        var entries = await EntriesAsync(_database);
        Assert.Equal([(ScoreEntryKind.Rule, 5, (long?)null), (ScoreEntryKind.Decay, -2, entries[0].Id)], entries.Select(e => (e.Kind, e.Points, e.DecaysEntryId)));
        await using var db = await _database.NewContextAsync();
        var pending = Assert.Single(await db.PendingDecays.ToListAsync());
        Assert.Equal((entries[0].Id, 2, at.AddDays(90)), (pending.EntryId, pending.Step, pending.DueAt));
    }

    [Fact]
    public async Task The_worker_writes_each_step_when_it_comes_due_and_only_once()
    {
        await PublishAsync(_database, s_fading);
        var lead = await CreateLeadAsync(_database);
        await SendAsync(_database, Event("visit", "website.visit", lead, Now.AddHours(-1)), Event("form", "form.submit", lead, Now.AddHours(-1)));
        var fading = _database.Get<Fading>();
        Assert.Equal(0, await fading.RunAsync());
        Assert.Equal(65, (await LeadAsync(_database, lead)).BehaviorPoints);

        _database.Clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await fading.RunAsync());
        _database.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await fading.RunAsync());
        Assert.Equal(0, await fading.RunAsync());
        Assert.Equal(63, (await LeadAsync(_database, lead)).BehaviorPoints);

        _database.Clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal(1, await fading.RunAsync());
        Assert.Equal(0, await fading.RunAsync());
        Assert.Equal(60, (await LeadAsync(_database, lead)).BehaviorPoints);
        Assert.Equal([5, 60, -2, -3], (await EntriesAsync(_database)).Select(e => e.Points));
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task Levels_that_fading_changes_are_recorded_like_any_other()
    {
        await PublishAsync(_database, RuleSet(Rule("Attend webinar", "webinar.attend", 110).Fading((30, 50), (90, 0))));
        var lead = await CreateLeadAsync(_database);
        await SendAsync(_database, Event("webinar", "webinar.attend", lead, Now));
        Assert.Equal("High", (await LeadAsync(_database, lead)).IntentLevel);

        _database.Clock.Advance(TimeSpan.FromDays(31));
        await _database.Get<Fading>().RunAsync();
        Assert.Equal((55L, "Medium"), ((await LeadAsync(_database, lead)).BehaviorPoints, (await LeadAsync(_database, lead)).IntentLevel));
        _database.Clock.Advance(TimeSpan.FromDays(60));
        await _database.Get<Fading>().RunAsync();
        Assert.Equal((0L, "Low"), ((await LeadAsync(_database, lead)).BehaviorPoints, (await LeadAsync(_database, lead)).IntentLevel));

        await using var db = await _database.NewContextAsync();
        Assert.Equal(
            [(null, "Low"), ("Low", "High"), ("High", "Medium"), ("Medium", "Low")],
            (await db.IntentLevelChanges.Where(c => c.LeadId == lead).OrderBy(c => c.Id).Select(c => new { c.From, c.To }).ToListAsync()).Select(c => (c.From, c.To)));
    }

    [Fact]
    public async Task A_catch_up_cut_short_by_a_restart_writes_every_step_exactly_once()
    {
        await PublishAsync(_database, s_fading);
        var leads = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            leads.Add(await CreateLeadAsync(_database, $"Lead {i}"));
        }
        var visits = Enumerable.Range(0, Fading.BatchSize + 3).Select(i => Event($"v-{i}", "website.visit", leads[i % leads.Count], Now.AddMinutes(-i))).ToArray();
        foreach (var chunk in visits.Chunk(1000))
        {
            await SendAsync(_database, chunk);
        }
        _database.Clock.Advance(TimeSpan.FromDays(100)); // both steps of every visit are overdue: "downtime"

        var first = _database.Get<Fading>();
        using var stop = new CancellationTokenSource();
        var doneBeforeStop = 0;
        first.Changed += p => { if (p.Done >= Fading.BatchSize && doneBeforeStop == 0) { doneBeforeStop = p.Done; stop.Cancel(); } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(stop.Token));
        var restarted = _database.New<Fading>();
        var resumed = await restarted.RunAsync();

        var steps = visits.Length * 2;
        Assert.InRange(doneBeforeStop, Fading.BatchSize, steps - 1);
        Assert.Equal(steps - doneBeforeStop, resumed);
        var decays = (await EntriesAsync(_database)).Where(e => e.Kind == ScoreEntryKind.Decay).ToList();
        Assert.Equal(steps, decays.Count);
        Assert.Equal(steps, decays.Select(d => (d.DecaysEntryId, d.DecayStep)).Distinct().Count());
        await using var db = await _database.NewContextAsync();
        Assert.Empty(await db.PendingDecays.ToListAsync());
        Assert.All(leads, l => Assert.Equal(0, db.Leads.Single(x => x.Id == l).BehaviorPoints));
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task Ingest_racing_the_worker_on_one_lead_keeps_its_total_the_sum_of_its_entries()
    {
        await PublishAsync(_database, s_fading);
        var lead = await CreateLeadAsync(_database);
        await SendAsync(_database, [.. Enumerable.Range(0, 3000).Select(i => Event($"early-{i}", "website.visit", lead, Now.AddSeconds(-i)))]);
        _database.Clock.Advance(TimeSpan.FromDays(31)); // the first step of 3000 entries is due

        var worker = Task.Run(() => _database.Get<Fading>().RunAsync());
        var ingest = Task.Run(async () =>
        {
            for (var batch = 0; batch < 30; batch++)
            {
                // Thirty-five days old: each one's first step is written with it.
                await SendAsync(_database, [.. Enumerable.Range(0, 10).Select(i => Event($"late-{batch}-{i}", "website.visit", lead, Now.AddDays(-35)))]);
            }
        });
        await Task.WhenAll(worker, ingest);
        await _database.Get<Fading>().RunAsync();

        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
        Assert.Equal(3300 * 3, (await LeadAsync(_database, lead)).BehaviorPoints);
        var decays = (await EntriesAsync(_database)).Where(e => e.Kind == ScoreEntryKind.Decay).ToList();
        Assert.Equal(3300, decays.Count);
        Assert.All(decays, d => Assert.Equal((-2, 1), (d.Points, d.DecayStep)));
    }

    // Three leads: a visit 100 days ago (gone), one 40 days ago (halved), one yesterday (whole), and a form.
    private static object[] History(IReadOnlyList<long> leads, DateTime now) => [.. leads.SelectMany((id, n) => new[]
    {
        Event($"{n}-old", "website.visit", id, now.AddDays(-100)),
        Event($"{n}-mid", "website.visit", id, now.AddDays(-40)),
        Event($"{n}-new", "website.visit", id, now.AddDays(-1)),
        Event($"{n}-form", "form.submit", id, now.AddDays(-2)),
    })];

    private static async Task<string> LedgerOfAsync(CoreDatabase database)
    {
        await using var db = await database.NewContextAsync();
        var entries = (await db.ScoreEntries.AsNoTracking().ToListAsync())
            .Select(e => $"{e.LeadId} {e.EventId} {e.RuleName} {e.Kind} {e.Points} v{e.RuleSetVersion} step {e.DecayStep} at {e.OccurredAt:O}")
            .Order(StringComparer.Ordinal);
        var pending = (await db.PendingDecays.Join(db.ScoreEntries, p => p.EntryId, e => e.Id, (p, e) => new { e.EventId, p.Step, p.Points, p.DueAt }).ToListAsync())
            .Select(p => $"pending {p.EventId} step {p.Step} {p.Points} at {p.DueAt:O}")
            .Order(StringComparer.Ordinal);
        var totals = await db.Leads.OrderBy(l => l.Id).Select(l => l.Id + ": " + l.BehaviorPoints + " " + l.IntentLevel).ToListAsync();
        return string.Join("\n", entries.Concat(pending).Concat(totals));
    }

    [Fact]
    public async Task Re_scoring_under_a_new_schedule_gives_what_a_fresh_ingest_would_at_the_same_moment()
    {
        var v1 = RuleSet(Rule("Visit", "website.visit", 5), Rule("Submit form", "form.submit", 60));
        await PublishAsync(_database, v1);
        var leads = new[] { await CreateLeadAsync(_database, "A"), await CreateLeadAsync(_database, "B") };
        await SendAsync(_database, History(leads, Now));
        Assert.Equal(75, (await LeadAsync(_database, leads[0])).BehaviorPoints);

        await PublishAsync(_database, s_fading, PublishMode.RescoreEveryLead);
        await _database.Get<Rescoring>().RunAsync();

        await using var fresh = await CoreDatabase.CreateAsync();
        await PublishAsync(fresh, v1);
        await PublishAsync(fresh, s_fading);
        long[] freshLeads = [await CreateLeadAsync(fresh, "A"), await CreateLeadAsync(fresh, "B")];
        Assert.Equal(leads, freshLeads);
        await SendAsync(fresh, History(leads, Now));

        Assert.Equal(60 + 0 + 3 + 5, (await LeadAsync(_database, leads[0])).BehaviorPoints);
        Assert.Equal(await LedgerOfAsync(fresh), await LedgerOfAsync(_database));

        // And they stay alike as the steps to come are written.
        foreach (var database in new[] { _database, fresh })
        {
            database.Clock.Advance(TimeSpan.FromDays(120));
            await database.Get<Fading>().RunAsync();
        }
        Assert.Equal(60, (await LeadAsync(_database, leads[0])).BehaviorPoints);
        Assert.Equal(await LedgerOfAsync(fresh), await LedgerOfAsync(_database));
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task The_preview_counts_the_fading_a_re_score_would_write()
    {
        await PublishAsync(_database, RuleSet(Rule("Visit", "website.visit", 60)));
        var lead = await CreateLeadAsync(_database);
        await SendAsync(_database, Event("visit", "website.visit", lead, Now.AddDays(-40)));
        Assert.Equal("Medium", (await LeadAsync(_database, lead)).IntentLevel);

        var preview = await _database.Get<RescorePreview>().RunAsync(RuleSet(Rule("Visit", "website.visit", 60).Fading((30, 50), (90, 0))));

        var change = Assert.Single(preview.BiggestChanges);
        Assert.Equal((60L, 30L), (change.Before, change.After));
        Assert.Equal(1, preview.MovesOutOf("Medium"));
    }

    [Fact]
    public async Task Manual_adjustments_never_fade()
    {
        await PublishAsync(_database, s_fading);
        var lead = await CreateLeadAsync(_database);
        await _database.Get<Ledger>().AdjustAsync(lead, 10, "Met at the fair", "tests", LeadAccess.All);

        _database.Clock.Advance(TimeSpan.FromDays(4000));

        Assert.Equal(0, await _database.Get<Fading>().RunAsync());
        Assert.Equal(10, (await LeadAsync(_database, lead)).BehaviorPoints);
    }

    [Fact]
    public async Task The_history_shows_each_entry_value_today_its_next_fades_and_what_a_decay_fades()
    {
        await PublishAsync(_database, s_fading);
        var lead = await CreateLeadAsync(_database);
        var at = Now.AddDays(-40);
        await SendAsync(_database, Event("visit", "website.visit", lead, at), Event("form", "form.submit", lead, at));

        var score = (await _database.Get<ScoreHistory>().GetScoreAsync(lead, LeadAccess.All))!;

        var decay = Assert.Single(score.Entries, e => e.Kind == ScoreEntryKind.Decay);
        var visit = Assert.Single(score.Entries, e => e.Kind == ScoreEntryKind.Rule && e.RuleName == "Visit");
        var form = Assert.Single(score.Entries, e => e.RuleName == "Submit form");
        Assert.Equal((visit.Id, at, -2, at.AddDays(30)), (decay.DecaysEntryId, decay.FadedBehaviorAt, decay.Points, decay.OccurredAt));
        Assert.Equal(3, visit.Fading!.Today);
        Assert.Equal([new UpcomingFade(at.AddDays(90), 0)], visit.Fading.Upcoming);
        Assert.Null(form.Fading);
        Assert.Equal(new FadingSoon(-3, 60), await _database.Get<ScoreHistory>().GetFadingSoonAsync(lead, LeadAccess.All, 60));
        Assert.Equal(new FadingSoon(0, 7), await _database.Get<ScoreHistory>().GetFadingSoonAsync(lead, LeadAccess.All));
    }

    [Fact]
    public async Task The_entries_export_says_each_entry_kind_and_what_a_decay_fades()
    {
        await PublishAsync(_database, s_fading);
        var lead = await CreateLeadAsync(_database);
        await SendAsync(_database, Event("visit", "website.visit", lead, Now.AddDays(-40)));
        using var output = new MemoryStream();

        await LeadCsv.WriteEntriesAsync(_database.Get<ScoreHistory>().StreamEntriesAsync(lead, LeadAccess.All), output);

        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.EndsWith(",kind,decaysEntryId,category", lines[0]);
        var ruleId = (await EntriesAsync(_database)).Single(e => e.Kind == ScoreEntryKind.Rule).Id;
        Assert.EndsWith($",decay,{ruleId},", lines[1]);
        Assert.EndsWith(",rule,,", lines[2]);
    }
}
