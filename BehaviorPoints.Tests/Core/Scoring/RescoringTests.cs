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

/// <summary>Re-scoring every lead under a new version, and the preview that says beforehand what it will do.</summary>
public sealed class RescoringTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    // Version 1: views +5 each, forms +60. Version 2: views +3 at most twice a day, forms +40, webinars +25.
    private static readonly RuleSetDefinition s_v1 = RuleSet(Rule("View content", "content.view", 5), Rule("Submit form", "form.submit", 60));
    private static readonly RuleSetDefinition s_v2 = RuleSet(
        Rule("View content", "content.view", 3).Limited(2, "day"),
        Rule("Submit form", "form.submit", 40),
        Rule("Attend webinar", "webinar.attend", 25));

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static async Task PublishAsync(CoreDatabase database, RuleSetDefinition definition, PublishMode mode = PublishMode.NewBehaviorsOnly)
    {
        var ruleSets = database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(definition);
        await ruleSets.PublishAsync("tests", mode);
    }

    private static async Task<List<long>> CreateLeadsAsync(CoreDatabase database, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = $"Lead {i}" }, LeadAccess.All)).Id);
        }
        return ids;
    }

    // A fixed history per lead: views on two days (three on the first), a form, a webinar.
    private static List<object> History(IReadOnlyList<long> leadIds, string prefix = "e") => leadIds.SelectMany((id, n) => new object[]
    {
        new { eventId = $"{prefix}-{n}-1", behavior = "content.view", leadId = id, occurredAt = "2026-11-18T09:00:00Z" },
        new { eventId = $"{prefix}-{n}-2", behavior = "content.view", leadId = id, occurredAt = "2026-11-18T10:00:00Z" },
        new { eventId = $"{prefix}-{n}-3", behavior = "content.view", leadId = id, occurredAt = "2026-11-18T11:00:00Z" },
        new { eventId = $"{prefix}-{n}-4", behavior = "form.submit", leadId = id, occurredAt = "2026-11-19T09:00:00Z" },
        new { eventId = $"{prefix}-{n}-5", behavior = "content.view", leadId = id, occurredAt = "2026-11-19T10:00:00Z" },
        new { eventId = $"{prefix}-{n}-6", behavior = "webinar.attend", leadId = id, occurredAt = "2026-11-19T11:00:00Z" },
    }).ToList();

    private static async Task SendAsync(CoreDatabase database, IEnumerable<object> events)
    {
        var now = database.Clock.GetUtcNow().UtcDateTime;
        var batch = events.Select(e => EventReader.Read(Json(e), now, BehaviorCatalog.BuiltInOnly).Behavior!).ToList();
        foreach (var chunk in batch.Chunk(100))
        {
            await database.Get<Ledger>().IngestAsync(chunk);
        }
    }

    private static async Task<List<(long Lead, string? EventId, string Rule, int Points, int? Version)>> CurrentEntriesAsync(CoreDatabase database)
    {
        await using var db = await database.NewContextAsync();
        return (await db.ScoreEntries.OrderBy(e => e.LeadId).ThenBy(e => e.EventId).ThenBy(e => e.RuleName)
                .Select(e => new { e.LeadId, e.EventId, e.RuleName, e.Points, e.RuleSetVersion }).ToListAsync())
            .Select(e => (e.LeadId, e.EventId, e.RuleName, e.Points, e.RuleSetVersion)).ToList();
    }

    [Fact]
    public async Task Re_scoring_under_a_version_gives_exactly_the_entries_a_fresh_ingest_would()
    {
        await PublishAsync(_database, s_v1);
        var leads = await CreateLeadsAsync(_database, 3);
        await SendAsync(_database, History(leads));

        await PublishAsync(_database, s_v2, PublishMode.RescoreEveryLead);
        Assert.Equal(3, await _database.Get<Rescoring>().RunAsync());

        await using var fresh = await CoreDatabase.CreateAsync();
        await PublishAsync(fresh, s_v1);
        await PublishAsync(fresh, s_v2); // the same version number, 2, so entries compare whole
        var freshLeads = await CreateLeadsAsync(fresh, 3);
        Assert.Equal(leads, freshLeads);
        await SendAsync(fresh, History(freshLeads));

        Assert.Equal(await CurrentEntriesAsync(fresh), await CurrentEntriesAsync(_database));
        await using var db = await _database.NewContextAsync();
        await using var freshDb = await fresh.NewContextAsync();
        Assert.Equal(
            await freshDb.Leads.OrderBy(l => l.Id).Select(l => new { l.BehaviorPoints, l.IntentLevel }).ToListAsync(),
            await db.Leads.OrderBy(l => l.Id).Select(l => new { l.BehaviorPoints, l.IntentLevel }).ToListAsync());
        Assert.Equal(
            await freshDb.LimitCounters.OrderBy(c => c.LeadId).ThenBy(c => c.Period).Select(c => new { c.LeadId, c.RuleName, c.Period, c.Count }).ToListAsync(),
            await db.LimitCounters.OrderBy(c => c.LeadId).ThenBy(c => c.Period).Select(c => new { c.LeadId, c.RuleName, c.Period, c.Count }).ToListAsync());
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task After_a_re_score_adjustments_keep_their_place_in_time_and_running_totals_follow_that_order()
    {
        await PublishAsync(_database, s_v1);
        var lead = (await CreateLeadsAsync(_database, 1))[0];
        // Behaviors on the 18th and 19th; the clock says the 20th. One adjustment today, one back on the 19th's noon.
        await SendAsync(_database, History([lead]));
        _database.Clock.Now = new DateTimeOffset(2026, 11, 19, 12, 0, 0, TimeSpan.Zero);
        await _database.Get<Ledger>().AdjustAsync(lead, -15, "Duplicate webinar sign-up", "ana@example.com", LeadAccess.All);
        _database.Clock.Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
        await _database.Get<Ledger>().AdjustAsync(lead, 7, "Called us", "ana@example.com", LeadAccess.All);
        var leads = _database.Get<ScoreHistory>();
        var cursorBeforeRescore = (await leads.GetScoreAsync(lead, LeadAccess.All, limit: 2))!.Next;

        await PublishAsync(_database, s_v2, PublishMode.RescoreEveryLead);
        await _database.Get<Rescoring>().RunAsync();

        var score = (await leads.GetScoreAsync(lead, LeadAccess.All))!;
        Assert.Equal(
            ["Manual adjustment", "Manual adjustment", "Attend webinar", "View content", "Submit form", "View content", "View content"],
            score.Entries.Select(e => e.RuleName));
        Assert.Equal(score.Entries.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Select(e => e.Id), score.Entries.Select(e => e.Id));
        var running = score.Total;
        foreach (var entry in score.Entries)
        {
            Assert.Equal(running, entry.RunningTotal);
            running -= entry.Points;
        }
        Assert.Equal(0, running);
        Assert.Equal([66, 59], score.Entries.Take(2).Select(e => (int)e.RunningTotal));

        // A cursor taken before the re-score still pages from the same place in time.
        var rest = (await leads.GetScoreAsync(lead, LeadAccess.All, before: cursorBeforeRescore))!;
        Assert.Equal(score.Entries.Skip(2).Select(e => (e.Id, e.RunningTotal)), rest.Entries.Select(e => (e.Id, e.RunningTotal)));
    }

    [Fact]
    public async Task Limits_are_re_evaluated_over_the_whole_history_and_old_entries_are_kept_with_their_version()
    {
        await PublishAsync(_database, s_v1);
        var lead = (await CreateLeadsAsync(_database, 1))[0];
        await SendAsync(_database, History([lead]));
        var before = await CurrentEntriesAsync(_database);
        Assert.Equal(4 * 5 + 60, (await _database.Get<LeadQueries>().FindAsync(lead, LeadAccess.All))!.BehaviorPoints);

        await PublishAsync(_database, s_v2, PublishMode.RescoreEveryLead);
        await _database.Get<Rescoring>().RunAsync();

        // Three views on the 18th, limit two a day: two count. One view on the 19th counts. Form 40, webinar 25.
        var after = await CurrentEntriesAsync(_database);
        Assert.Equal(3, after.Count(e => e.Rule == "View content"));
        Assert.DoesNotContain(after, e => e.EventId == $"e-0-3");
        Assert.All(after, e => Assert.Equal(2, e.Version));
        var view = (await _database.Get<LeadQueries>().FindAsync(lead, LeadAccess.All))!;
        Assert.Equal(3 * 3 + 40 + 25, view.BehaviorPoints);
        Assert.Equal(2, view.RescoredVersion);
        Assert.Equal(_database.Clock.GetUtcNow().UtcDateTime, view.RescoredAt);

        var (superseded, _) = await _database.Get<ScoreHistory>().GetSupersededEntriesAsync(lead, LeadAccess.All);
        Assert.Equal(before.Count, superseded.Count);
        Assert.All(superseded, e => Assert.Equal((1, 2), (e.RuleSetVersion, e.SupersededByVersion)));
        await using var db = await _database.NewContextAsync();
        // The webinar matched nothing under version 1 and matches now; the third view of the 18th is over the limit.
        Assert.Equal(BehaviorOutcome.Scored, await db.Behaviors.Where(b => b.Type == "webinar.attend").Select(b => b.Outcome).SingleAsync());
        Assert.Equal(BehaviorOutcome.NoMatch, await db.Behaviors.Where(b => b.EventId == "e-0-3").Select(b => b.Outcome).SingleAsync());
    }

    [Fact]
    public async Task Manual_adjustments_survive_a_re_score_and_the_daily_roll_up_follows_the_new_entries()
    {
        await PublishAsync(_database, s_v1);
        var lead = (await CreateLeadsAsync(_database, 1))[0];
        await SendAsync(_database, History([lead]));
        await _database.Get<Ledger>().AdjustAsync(lead, 7, "Called us", "tests", LeadAccess.All);

        await PublishAsync(_database, s_v2, PublishMode.RescoreEveryLead);
        await _database.Get<Rescoring>().RunAsync();

        Assert.Equal(3 * 3 + 40 + 25 + 7, (await _database.Get<LeadQueries>().FindAsync(lead, LeadAccess.All))!.BehaviorPoints);
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
        await using var db = await _database.NewContextAsync();
        var fromEntries = (await db.ScoreEntries.Where(e => e.Kind == ScoreEntryKind.Rule).ToListAsync())
            .GroupBy(e => (e.OccurredAt.Date, e.RuleName)).ToDictionary(g => g.Key, g => (Points: g.Sum(e => (long)e.Points), Entries: g.Count()));
        var rolledUp = (await db.DailyPoints.Where(d => d.Entries != 0).ToListAsync())
            .ToDictionary(d => (d.Day, d.RuleName), d => (d.Points, d.Entries));
        Assert.Equal(fromEntries.OrderBy(p => p.Key).ToList(), rolledUp.OrderBy(p => p.Key).ToList());
    }

    [Fact]
    public async Task A_re_score_stopped_half_way_resumes_after_the_last_committed_lead_without_double_entries()
    {
        await PublishAsync(_database, s_v1);
        var leads = await CreateLeadsAsync(_database, Rescoring.BatchSize * 2 + 7);
        await SendAsync(_database, History(leads));
        int originalEntries;
        await using (var db = await _database.NewContextAsync())
        {
            originalEntries = await db.ScoreEntries.CountAsync();
        }
        await PublishAsync(_database, s_v2, PublishMode.RescoreEveryLead);

        // Stop after the first transaction, as a shutdown or crash would; then a fresh worker (a restart) continues.
        var first = _database.Get<Rescoring>();
        using var stop = new CancellationTokenSource();
        first.Changed += p => { if (p.Done >= Rescoring.BatchSize) stop.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(stop.Token));
        var restarted = _database.New<Rescoring>();
        var resumed = await restarted.RunAsync();

        Assert.Equal(Rescoring.BatchSize + 7, resumed);
        Assert.False(restarted.Progress!.Running);
        Assert.Equal(leads.Count, restarted.Progress.Done);
        await using var after = await _database.NewContextAsync();
        // Each lead: two views on the 18th, one on the 19th, the form, the webinar = five entries, each once.
        Assert.Equal(leads.Count * 5, await after.ScoreEntries.CountAsync());
        Assert.Equal(0, await after.ScoreEntries.GroupBy(e => new { e.EventId, e.RuleName }).CountAsync(g => g.Count() > 1));
        Assert.Equal(originalEntries, await after.SupersededScoreEntries.CountAsync());
        Assert.Equal(leads.Count, await after.Leads.CountAsync(l => l.BehaviorPoints == 3 * 3 + 40 + 25 && l.RescoredVersion == 2));
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task Behaviors_arriving_during_a_re_score_are_scored_exactly_once_under_the_new_version()
    {
        await PublishAsync(_database, s_v1);
        var leads = await CreateLeadsAsync(_database, Rescoring.BatchSize * 2);
        await SendAsync(_database, History(leads));
        await PublishAsync(_database, s_v2, PublishMode.RescoreEveryLead);
        var rescoring = _database.Get<Rescoring>();
        using var stop = new CancellationTokenSource();
        rescoring.Changed += p => { if (p.Done >= Rescoring.BatchSize) stop.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rescoring.RunAsync(stop.Token));

        // One webinar for a lead already re-scored and one for a lead not yet re-scored, then the run finishes.
        var (done, waiting) = (leads[0], leads[^1]);
        await SendAsync(_database, [
            new { eventId = "late-1", behavior = "webinar.attend", leadId = done, occurredAt = "2026-11-20T09:00:00Z" },
            new { eventId = "late-2", behavior = "webinar.attend", leadId = waiting, occurredAt = "2026-11-20T09:00:00Z" }]);
        await rescoring.RunAsync();

        await using var db = await _database.NewContextAsync();
        foreach (var eventId in new[] { "late-1", "late-2" })
        {
            var entry = Assert.Single(await db.ScoreEntries.Where(e => e.EventId == eventId).ToListAsync());
            Assert.Equal((25, 2), (entry.Points, entry.RuleSetVersion));
        }
        Assert.Equal(2, await db.Leads.CountAsync(l => l.BehaviorPoints == 3 * 3 + 40 + 25 + 25));
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task The_preview_writes_nothing_and_its_numbers_are_what_the_re_score_then_writes()
    {
        await PublishAsync(_database, s_v1);
        var leads = await CreateLeadsAsync(_database, 30);
        // Lead n gets n views and, for every third lead, a form: a spread of totals and levels.
        var events = new List<object>();
        for (var n = 0; n < leads.Count; n++)
        {
            for (var v = 0; v < n; v++)
            {
                events.Add(new { eventId = $"v-{n}-{v}", behavior = "content.view", leadId = leads[n], occurredAt = $"2026-11-{1 + v % 19:00}T09:00:00Z" });
            }
            if (n % 3 == 0)
            {
                events.Add(new { eventId = $"f-{n}", behavior = "form.submit", leadId = leads[n], occurredAt = "2026-11-19T12:00:00Z" });
                events.Add(new { eventId = $"w-{n}", behavior = "webinar.attend", leadId = leads[n], occurredAt = "2026-11-19T13:00:00Z" });
            }
        }
        await SendAsync(_database, events);
        await using var db = await _database.NewContextAsync();
        var before = await db.Leads.AsNoTracking().OrderBy(l => l.Id).ToDictionaryAsync(l => l.Id, l => (l.BehaviorPoints, l.IntentLevel));
        var entriesBefore = await db.ScoreEntries.CountAsync();
        var reports = new List<PreviewProgress>();

        var preview = await _database.Get<RescorePreview>().RunAsync(s_v2, new SynchronousProgress<PreviewProgress>(reports.Add));

        Assert.Equal(entriesBefore, await db.ScoreEntries.CountAsync());
        Assert.Equal(before, await db.Leads.AsNoTracking().OrderBy(l => l.Id).ToDictionaryAsync(l => l.Id, l => (l.BehaviorPoints, l.IntentLevel)));
        Assert.Equal(100, reports[^1].Percent);
        Assert.Equal(events.Count, reports[^1].BehaviorsDone);

        await PublishAsync(_database, s_v2, PublishMode.RescoreEveryLead);
        await _database.Get<Rescoring>().RunAsync();
        var after = await db.Leads.AsNoTracking().OrderBy(l => l.Id).ToDictionaryAsync(l => l.Id, l => (l.BehaviorPoints, l.IntentLevel));

        Assert.Equal(leads.Count, preview.Leads);
        Assert.Equal(after.Count(p => p.Value.BehaviorPoints != before[p.Key].BehaviorPoints), preview.LeadsChanged);
        var moves = leads.GroupBy(id => (before[id].IntentLevel, after[id].IntentLevel)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(moves.OrderBy(m => m.Key).ToList(), preview.Moves.ToDictionary(m => (m.From, m.To), m => m.Leads).OrderBy(m => m.Key).ToList());
        Assert.Equal(leads.Count, preview.Distribution.Sum(b => b.After));
        foreach (var bucket in preview.Distribution)
        {
            Assert.Equal(after.Values.Count(v => (bucket.Min is null || v.BehaviorPoints >= bucket.Min) && (bucket.Max is null || v.BehaviorPoints <= bucket.Max)), bucket.After);
            Assert.Equal(before.Values.Count(v => (bucket.Min is null || v.BehaviorPoints >= bucket.Min) && (bucket.Max is null || v.BehaviorPoints <= bucket.Max)), bucket.Before);
        }
        var expectedBiggest = leads.Select(id => (Id: id, Delta: after[id].BehaviorPoints - before[id].BehaviorPoints))
            .Where(c => c.Delta != 0).OrderByDescending(c => Math.Abs(c.Delta)).ThenBy(c => c.Id).Take(RescorePreview.BiggestChangeCount).ToList();
        Assert.Equal(expectedBiggest, preview.BiggestChanges.Select(c => (c.LeadId, c.Delta)).ToList());
        Assert.All(preview.BiggestChanges, c => Assert.Equal(after[c.LeadId].BehaviorPoints, c.After));
    }

    [Fact]
    public async Task A_cancelled_preview_stops_and_an_invalid_draft_is_refused()
    {
        await PublishAsync(_database, s_v1);
        await CreateLeadsAsync(_database, 2);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _database.Get<RescorePreview>().RunAsync(s_v2, null, cancelled.Token));

        var invalid = await Assert.ThrowsAsync<BehaviorPoints.Core.ValidationFailedException>(() =>
            _database.Get<RescorePreview>().RunAsync(RuleSet(Rule("", "content.view", 5))));
        Assert.Contains(invalid.Errors, e => e.Field == "rules[0].name");
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
