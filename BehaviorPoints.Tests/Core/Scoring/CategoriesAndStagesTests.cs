using BehaviorPoints.Core;
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

/// <summary>Categories and stages (SPEC §12) through ingest, adjustments, fading, manual moves and the re-score.</summary>
public sealed class CategoriesAndStagesTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    // Pricing visits +15 for CRM, webinars +25 for Marketing Cloud, form +10 and +12 more for CRM (two entries per form).
    // New advances at 20, Engaged at 40; Marketing qualified only by hand.
    private static readonly RuleSetDefinition s_funnel = RuleSet(
            Rule("Pricing", "website.visit", 15).In("CRM"),
            Rule("Webinar", "webinar.attend", 25).In("Marketing Cloud"),
            Rule("Form", "form.submit", 10),
            Rule("Form for CRM", "form.submit", 12).In("crm"))
        .WithFunnel(["CRM", "Marketing Cloud"], "New:20", "Engaged:40", "Marketing qualified", "Sales qualified");

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private DateTime Now => _database.Clock.GetUtcNow().UtcDateTime;

    private async Task PublishAsync(RuleSetDefinition definition, PublishMode mode = PublishMode.NewBehaviorsOnly)
    {
        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(definition);
        await ruleSets.PublishAsync("tests", mode);
    }

    private async Task<long> CreateLeadAsync(string name = "Zofia Nowak", string? email = null) =>
        (await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = name, Email = email }, LeadAccess.All)).Id;

    private async Task<IReadOnlyList<IngestResult>> SendAsync(params (string Behavior, long LeadId)[] events)
    {
        var now = Now;
        var batch = events.Select((e, i) => EventReader.Read(Json(new { eventId = Guid.NewGuid().ToString("N"), behavior = e.Behavior, leadId = e.LeadId, occurredAt = now.AddSeconds(i - events.Length).ToString("O") }), now, BehaviorCatalog.BuiltInOnly))
            .Select(r => r.Behavior ?? throw new InvalidOperationException(r.Error))
            .ToList();
        return await _database.Get<Ledger>().IngestAsync(batch);
    }

    private async Task<Lead> LeadAsync(long id)
    {
        await using var db = await _database.NewContextAsync();
        return await db.Leads.AsNoTracking().SingleAsync(l => l.Id == id);
    }

    // Every number a rep reads is a sum of entries: the total, each category's score, and the stage score.
    private async Task AssertSumsAsync()
    {
        await using var db = await _database.NewContextAsync();
        var entries = await db.ScoreEntries.AsNoTracking().ToListAsync();
        var leads = await db.Leads.AsNoTracking().ToListAsync();
        var categories = await db.LeadCategoryScores.AsNoTracking().ToListAsync();
        foreach (var lead in leads)
        {
            var mine = entries.Where(e => e.LeadId == lead.Id).ToList();
            Assert.Equal(mine.Sum(e => (long)e.Points), lead.BehaviorPoints);
            Assert.Equal(mine.Where(e => e.StageVisit == lead.StageVisit).Sum(e => (long)e.Points), lead.StageScore);
            var expected = mine.Where(e => e.Category is not null).GroupBy(e => e.Category!).ToDictionary(g => g.Key, g => g.Sum(e => (long)e.Points));
            var stored = categories.Where(c => c.LeadId == lead.Id && (c.Points != 0 || expected.ContainsKey(c.Category))).ToDictionary(c => c.Category, c => c.Points);
            Assert.Equal(expected.OrderBy(p => p.Key), stored.OrderBy(p => p.Key));
        }
    }

    [Fact]
    public async Task Entries_count_toward_their_rules_category_and_the_answer_shows_every_category_and_the_stage()
    {
        await PublishAsync(s_funnel);
        var lead = await CreateLeadAsync();

        var result = Assert.Single(await SendAsync(("form.submit", lead)));

        Assert.Equal([new EntrySummary("Form", 10), new EntrySummary("Form for CRM", 12, ScoreEntryKind.Rule, "CRM")], result.Entries);
        Assert.Equal(new Dictionary<string, long> { ["CRM"] = 12, ["Marketing Cloud"] = 0 }, result.Categories);
        // 10 then 12: the second entry took the stage score to 22 >= 20, so the lead moved on with both counted in New.
        Assert.Equal(("Engaged", 0L), (result.Stage, result.StageScore));
        await AssertSumsAsync();

        var score = (await _database.Get<ScoreHistory>().GetScoreAsync(lead, LeadAccess.All))!;
        Assert.Equal(12, score.Categories["CRM"]);
        var crmOnly = (await _database.Get<ScoreHistory>().GetScoreAsync(lead, LeadAccess.All, filter: new EntryFilter(Category: "CRM")))!;
        Assert.Equal([("Form for CRM", 12L)], crmOnly.Entries.Select(e => (e.RuleName, e.RunningTotal)));
    }

    [Fact]
    public async Task A_lead_advances_exactly_when_its_stage_score_reaches_the_threshold_and_the_move_records_the_points_earned()
    {
        await PublishAsync(s_funnel);
        var lead = await CreateLeadAsync();

        var first = Assert.Single(await SendAsync(("website.visit", lead)));
        Assert.Equal(("New", 15L), (first.Stage, first.StageScore));
        // 15 + 15 = 30 >= 20: advances on the second visit; 19 would not have.
        var second = Assert.Single(await SendAsync(("website.visit", lead)));
        Assert.Equal(("Engaged", 0L), (second.Stage, second.StageScore));
        var more = await SendAsync(("webinar.attend", lead), ("website.visit", lead));
        Assert.Equal([("Engaged", 25L), ("Marketing qualified", 0L)], more.Select(r => (r.Stage!, r.StageScore!.Value)));
        // Marketing qualified has no threshold: points keep adding up there.
        var stays = Assert.Single(await SendAsync(("webinar.attend", lead)));
        Assert.Equal(("Marketing qualified", 25L), (stays.Stage, stays.StageScore));

        await using var db = await _database.NewContextAsync();
        var moves = await db.StageChanges.AsNoTracking().Where(c => c.LeadId == lead).OrderBy(c => c.Id).ToListAsync();
        Assert.Equal(
            [("New", "Engaged", 30L, StageChangeReason.Advanced, (long?)20, 1), ("Engaged", "Marketing qualified", 40L, StageChangeReason.Advanced, (long?)40, 2)],
            moves.Select(m => (m.From, m.To, m.PointsEarned, m.Reason, m.Threshold, m.Visit)));
        var stored = await LeadAsync(lead);
        Assert.Equal(("Marketing qualified", 25L, 2), (stored.Stage, stored.StageScore, stored.StageVisit));
        await AssertSumsAsync();
    }

    [Fact]
    public async Task Manual_adjustments_and_manual_moves_count_and_are_recorded_and_an_unknown_category_or_stage_is_refused()
    {
        await PublishAsync(s_funnel);
        var lead = await CreateLeadAsync();
        var ledger = _database.Get<Ledger>();

        var adjusted = await ledger.AdjustAsync(lead, 7, "Called about CRM", "manager@example.com", LeadAccess.All, category: "crm");
        Assert.Equal(("CRM", 7L), (adjusted!.Entry.Category, adjusted.Total));
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => ledger.AdjustAsync(lead, 7, "Typo", "manager@example.com", LeadAccess.All, category: "ERP"));
        Assert.Equal("category", Assert.Single(refused.Errors).Field);

        var commands = _database.Get<LeadCommands>();
        var moved = await commands.MoveStageAsync(lead, "marketing QUALIFIED", "manager@example.com", LeadAccess.All);
        Assert.Equal(("Marketing qualified", 0L), (moved!.Stage, moved.StageScore));
        var badStage = await Assert.ThrowsAsync<ValidationFailedException>(() => commands.MoveStageAsync(lead, "Won", "manager@example.com", LeadAccess.All));
        Assert.Contains("New, Engaged, Marketing qualified, Sales qualified", Assert.Single(badStage.Errors).Message);

        await using var db = await _database.NewContextAsync();
        var move = await db.StageChanges.AsNoTracking().SingleAsync(c => c.LeadId == lead);
        Assert.Equal(("New", "Marketing qualified", 7L, StageChangeReason.Manual, "manager@example.com"), (move.From, move.To, move.PointsEarned, move.Reason, move.ChangedBy));
        Assert.Equal(0, await _database.Get<LeadQueries>().ListAsync(new LeadQuery { Stage = "New" }, LeadAccess.All) is var page ? page.TotalCount : -1);
        await AssertSumsAsync();
    }

    [Fact]
    public async Task The_list_filters_and_sorts_by_a_categorys_score_and_filters_by_stage()
    {
        await PublishAsync(s_funnel);
        var low = await CreateLeadAsync("Low");
        var high = await CreateLeadAsync("High");
        var none = await CreateLeadAsync("None");
        await SendAsync(("website.visit", low), ("website.visit", high), ("website.visit", high), ("website.visit", high), ("webinar.attend", none));

        var queries = _database.Get<LeadQueries>();
        var crm = await queries.ListAsync(new LeadQuery { Category = "CRM", Sort = LeadSort.CategoryScoreDesc }, LeadAccess.All);
        Assert.Equal([("High", 45L), ("Low", 15L)], crm.Leads.Select(l => (l.Name, l.CategoryScore!.Value)));
        Assert.Equal(2, crm.TotalCount);
        var atLeast = await queries.ListAsync(new LeadQuery { Category = "CRM", MinCategoryScore = 20 }, LeadAccess.All);
        Assert.Equal(["High"], atLeast.Leads.Select(l => l.Name));
        var engaged = await queries.ListAsync(new LeadQuery { Stage = "Engaged" }, LeadAccess.All);
        Assert.Equal(["None", "High"], engaged.Leads.Select(l => l.Name).Order().Reverse());
        Assert.Equal(2, engaged.TotalCount);

        // Another filter beside the category counts too: only one of the two CRM leads is likely to convert.
        await using (var db = await _database.NewContextAsync())
        {
            await db.Leads.Where(l => l.Id == high).ExecuteUpdateAsync(s => s.SetProperty(l => l.ConversionProbability, 0.9));
        }
        var likely = await queries.ListAsync(new LeadQuery { Category = "CRM", MinLikelihood = 0.5 }, LeadAccess.All);
        Assert.Equal(["High"], likely.Leads.Select(l => l.Name));
        Assert.Equal(1, likely.TotalCount);
    }

    [Fact]
    public async Task Over_thousands_of_leads_the_category_list_pages_through_exactly_the_leads_at_or_above_the_minimum_in_score_order()
    {
        await PublishAsync(s_funnel);
        await using (var db = await _database.NewContextAsync())
        {
            var now = Now;
            var leads = Enumerable.Range(1, 3000).Select(i => new Lead(new LeadFields { Name = $"Lead {i:D4}" }, now, null, i % 4 == 0 ? "Engaged" : "New")).ToList();
            db.Leads.AddRange(leads);
            await db.SaveChangesAsync();
            // Two in three leads have CRM points, many with the same score (ties go by id).
            db.LeadCategoryScores.AddRange(leads.Where(l => l.Id % 3 != 0).Select(l => new LeadCategoryScore { LeadId = l.Id, Category = "CRM", Points = (l.Id * 7919) % 150 - 20 }));
            db.LeadCategoryScores.AddRange(leads.Where(l => l.Id % 2 == 0).Select(l => new LeadCategoryScore { LeadId = l.Id, Category = "Marketing Cloud", Points = 500 }));
            await db.SaveChangesAsync();
        }
        await using var read = await _database.NewContextAsync();
        var expected = await read.LeadCategoryScores.AsNoTracking().Where(c => c.Category == "CRM" && c.Points >= 60)
            .Join(read.Leads.Where(l => l.Stage == "Engaged"), c => c.LeadId, l => l.Id, (c, l) => new { l.Name, c.Points, l.Id })
            .ToListAsync();
        Assert.True(expected.Count > 100, "the data set should give several pages");

        var queries = _database.Get<LeadQueries>();
        var seen = new List<(string Name, long Points)>();
        for (var offset = 0; ; offset += 97)
        {
            var page = await queries.ListAsync(new LeadQuery { Category = "CRM", MinCategoryScore = 60, Stage = "Engaged", Sort = LeadSort.CategoryScoreDesc, Offset = offset, Limit = 97 }, LeadAccess.All);
            Assert.Equal(expected.Count, page.TotalCount);
            if (page.Leads.Count == 0)
            {
                break;
            }
            seen.AddRange(page.Leads.Select(l => (l.Name, l.CategoryScore!.Value)));
        }
        Assert.Equal(expected.OrderByDescending(e => e.Points).ThenBy(e => e.Id).Select(e => (e.Name, e.Points)), seen);
    }

    [Fact]
    public async Task Fading_counts_in_the_category_and_the_current_stage()
    {
        await PublishAsync(RuleSet(Rule("Pricing", "website.visit", 10).In("CRM").Fading((30, 0)))
            .WithFunnel(["CRM"], "New:15", "Engaged"));
        var lead = await CreateLeadAsync();
        await SendAsync(("website.visit", lead));
        await SendAsync(("website.visit", lead)); // 20 >= 15: Engaged
        _database.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal(2, await _database.Get<Fading>().RunAsync());

        var stored = await LeadAsync(lead);
        Assert.Equal((0L, "Engaged", -20L), (stored.BehaviorPoints, stored.Stage, stored.StageScore));
        await using var db = await _database.NewContextAsync();
        Assert.Equal(0, (await db.LeadCategoryScores.SingleAsync(c => c.LeadId == lead)).Points);
        await AssertSumsAsync();
    }

    [Fact]
    public async Task A_rescore_rebuilds_category_scores_and_stage_history_keeping_manual_adjustments_and_moves()
    {
        await PublishAsync(s_funnel);
        var lead = await CreateLeadAsync();
        var other = await CreateLeadAsync("Other");
        await SendAsync(("website.visit", lead), ("website.visit", lead), ("webinar.attend", other));
        await _database.Get<Ledger>().AdjustAsync(lead, 5, "Met at the fair", "rep@example.com", LeadAccess.All, category: "CRM");
        _database.Clock.Advance(TimeSpan.FromMinutes(1));
        await _database.Get<LeadCommands>().MoveStageAsync(other, "Sales qualified", "rep@example.com", LeadAccess.All);

        // Pricing is now worth 5 for Marketing Cloud, and New advances only at 100.
        _database.Clock.Advance(TimeSpan.FromMinutes(1));
        var draft = RuleSet(Rule("Pricing", "website.visit", 5).In("Marketing Cloud"), Rule("Webinar", "webinar.attend", 25).In("Marketing Cloud"))
            .WithFunnel(["CRM", "Marketing Cloud"], "New:100", "Engaged", "Marketing qualified", "Sales qualified");
        var preview = await _database.Get<RescorePreview>().RunAsync(draft);
        Assert.Equal([new StageMove("Engaged", "New", 1)], preview.StageMoves);
        var after = preview.Categories.ToDictionary(c => c.Category, c => c.Buckets.Where(b => b.After > 0).Select(b => (b.Label, b.After)).ToList());
        Assert.Equal([("0", 1), ("1–24", 1)], after["CRM"]);
        Assert.Equal([("1–24", 1), ("25–49", 1)], after["Marketing Cloud"]);
        await PublishAsync(draft, PublishMode.RescoreEveryLead);
        await _database.Get<Rescoring>().RunAsync();

        var rescored = await LeadAsync(lead);
        Assert.Equal((15L, "New", 15L, 0), (rescored.BehaviorPoints, rescored.Stage, rescored.StageScore, rescored.StageVisit));
        var score = (await _database.Get<ScoreHistory>().GetScoreAsync(lead, LeadAccess.All))!;
        Assert.Equal(new Dictionary<string, long> { ["CRM"] = 5, ["Marketing Cloud"] = 10 }, score.Categories.OrderBy(c => c.Key).ToDictionary());
        var kept = await LeadAsync(other);
        Assert.Equal(("Sales qualified", 0L), (kept.Stage, kept.StageScore));
        await using var db = await _database.NewContextAsync();
        Assert.Empty(await db.StageChanges.AsNoTracking().Where(c => c.LeadId == lead).ToListAsync());
        var otherMoves = await db.StageChanges.AsNoTracking().Where(c => c.LeadId == other).OrderBy(c => c.Id).ToListAsync();
        Assert.Equal([("New", "Sales qualified", StageChangeReason.Manual, 25L)], otherMoves.Select(c => (c.From, c.To, c.Reason, c.PointsEarned)));
        await AssertSumsAsync();
    }

    [Fact]
    public async Task The_rule_set_refuses_a_rule_naming_an_unlisted_category_and_bad_stages_with_messages_naming_the_field()
    {
        var definition = RuleSet(Rule("Pricing", "website.visit", 15).In("ERP"))
            .WithFunnel(["CRM", "crm"], "New:0", "New", "Closed:10");
        var errors = RuleSetValidator.Validate(definition, BehaviorCatalog.BuiltInOnly).ToDictionary(e => e.Field, e => e.Message);

        Assert.Contains("'ERP' is not listed", errors["rules[0].category"]);
        Assert.Contains("'crm' is already category 1", errors["categories[1].name"]);
        Assert.Contains("1 to 1,000,000", errors["stages[0].advanceAt"]);
        Assert.Contains("already stage 1", errors["stages[1].name"]);
        Assert.Contains("last stage", errors["stages[2].advanceAt"]);

        var ranged = RuleSet().WithFunnel(["CRM"]) with
        {
            Categories = [new CategoryDefinition { Name = "CRM", Ranges = [new() { Label = "Cold", Max = 9 }, new() { Label = "Hot", Min = 20 }] }],
        };
        Assert.Contains(RuleSetValidator.Validate(ranged, BehaviorCatalog.BuiltInOnly), e => e.Field == "categories[0].ranges");
    }
}
