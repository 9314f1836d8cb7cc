using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Dashboard;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core;
using BehaviorPoints.Tests.Core.Fit;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Dashboard;

/// <summary>
/// Every dashboard number against the same number computed here independently, from the leads, entries and change
/// records loaded into memory, over a database seeded with known leads in two teams and three weeks of behaviors.
/// </summary>
public sealed class DashboardServiceTests : IAsyncLifetime
{
    private static readonly DateOnly s_today = new(2026, 11, 20);
    private CoreDatabase _database = null!;
    private int _north;
    private int _south;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        _database.Clock.Now = new DateTimeOffset(2026, 10, 28, 9, 0, 0, TimeSpan.Zero); // a Wednesday, four weeks back
        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(RuleSet(
            Rule("Demo request", "form.submit", 60),
            Rule("Webinar", "webinar.attend", 30),
            Rule("Newsletter open", "email.open", 5),
            Rule("Unsubscribed", "email.unsubscribe", -20)));
        await ruleSets.PublishAsync("tests");
        var fit = _database.Get<FitModelService>();
        await fit.SaveDraftAsync(FitModelTests.Example);
        await fit.PublishAsync("tests");

        var commands = _database.Get<LeadCommands>();
        var queries = _database.Get<LeadQueries>();
        async Task<long> Lead(string name, string team, string? industry, string? jobTitle, LeadStatus status) =>
            (await commands.CreateAsync(new LeadInput { Name = name, Team = team, Industry = industry, JobTitle = jobTitle, Region = "Europe", Status = status }, LeadAccess.All)).Id;

        // Fit: Software+Head = 65 High; Software = 40 Medium; Retail = 10 Low.
        var hotFitConverted = await Lead("Hot fit converted", "North", "Software", "Head of IT", LeadStatus.Converted);
        var hotFitOpen = await Lead("Hot fit open", "North", "Software", "Head of Data", LeadStatus.Open);
        var warmMedium = await Lead("Warm medium fit", "North", "Software", null, LeadStatus.Qualified);
        var hotLowFit = await Lead("Hot low fit", "South", "Retail", null, LeadStatus.Converted);
        var coldLow = await Lead("Cold low fit", "South", "Retail", null, LeadStatus.Lost);
        await Lead("Untouched", "South", null, null, LeadStatus.Open);
        _north = (await queries.FindAsync(hotFitConverted, LeadAccess.All))!.TeamId!.Value;
        _south = (await queries.FindAsync(hotLowFit, LeadAccess.All))!.TeamId!.Value;

        // Week of Oct 26: forms and webinars. Week of Nov 2: newsletters. Week of Nov 16: more forms, an unsubscribe.
        await SendAsync(("form.submit", hotFitConverted), ("form.submit", hotFitOpen), ("webinar.attend", warmMedium), ("webinar.attend", warmMedium), ("form.submit", hotLowFit));
        _database.Clock.Now = new DateTimeOffset(2026, 11, 4, 9, 0, 0, TimeSpan.Zero);
        await SendAsync(("email.open", hotFitConverted), ("email.open", coldLow), ("email.open", coldLow));
        _database.Clock.Now = new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.Zero);
        await SendAsync(("form.submit", hotFitConverted), ("form.submit", hotFitOpen), ("form.submit", hotLowFit), ("email.unsubscribe", coldLow));
        _database.Clock.Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private int _sequence;

    private async Task SendAsync(params (string Type, long LeadId)[] events)
    {
        var now = _database.Clock.GetUtcNow().UtcDateTime;
        var batch = events.Select(e => EventReader.Read(Json(new { eventId = $"e-{++_sequence}", behavior = e.Type, leadId = e.LeadId, occurredAt = now.AddMinutes(-_sequence) }), now, BehaviorCatalog.BuiltInOnly).Behavior!).ToList();
        await _database.Get<Ledger>().IngestAsync(batch);
    }

    private Task<DashboardData> DashboardAsync(int? team = null, DateOnly? from = null) =>
        _database.Get<DashboardService>().GetAsync(new DashboardFilter(team, from ?? s_today.AddDays(-27), s_today), LeadAccess.All);

    [Fact]
    public async Task Level_counts_shares_and_conversion_equal_the_leads_counted_one_by_one()
    {
        foreach (var team in new int?[] { null, _north, _south })
        {
            var dashboard = await DashboardAsync(team);
            await using var db = await _database.NewContextAsync();
            var leads = await db.Leads.Where(l => team == null || l.TeamId == team).ToListAsync();

            Assert.Equal(leads.Count, dashboard.TotalLeads);
            Assert.Equal(["Low", "Medium", "High"], dashboard.Levels.Select(l => l.Level));
            foreach (var row in dashboard.Levels)
            {
                var inLevel = leads.Where(l => l.IntentLevel == row.Level).ToList();
                Assert.Equal(inLevel.Count, row.Leads);
                Assert.Equal((double)inLevel.Count / leads.Count, row.Share, 6);
                Assert.Equal(inLevel.Count(l => l.Status == LeadStatus.Converted), row.Converted);
            }
        }

        // The known picture: 2 Low, 1 Medium, 3 High of which two converted.
        var all = await DashboardAsync();
        Assert.Equal([2, 1, 3], all.Levels.Select(l => l.Leads));
        Assert.Equal(2.0 / 3, all.Levels[2].ConversionRate!.Value, 6);
    }

    [Fact]
    public async Task The_overview_counts_the_last_seven_days_behaviors_of_the_leads_its_reader_sees()
    {
        // Two days ago: two forms in North, a form and an unsubscribe in South; the other behaviors are older than a week.
        foreach (var (access, team) in new[] { (LeadAccess.All, (int?)null), (LeadAccess.Teams([_north]), _north), (LeadAccess.Teams([_south]), _south) })
        {
            var overview = await _database.Get<OverviewService>().GetAsync(access);
            await using var db = await _database.NewContextAsync();
            var since = _database.Clock.GetUtcNow().UtcDateTime.AddDays(-7);
            var teams = await db.Leads.ToDictionaryAsync(l => l.Id, l => l.TeamId);
            var expected = (await db.Behaviors.Where(b => b.OccurredAt >= since && b.LeadId != null).ToListAsync()).Count(b => team == null || teams[b.LeadId!.Value] == team);

            Assert.Equal(expected, overview.BehaviorsLast7Days);
        }
        Assert.Equal(4, (await _database.Get<OverviewService>().GetAsync(LeadAccess.All)).BehaviorsLast7Days);
    }

    [Fact]
    public async Task The_grid_counts_each_fit_and_intent_pair_like_the_leads_do()
    {
        var dashboard = await DashboardAsync();
        await using var db = await _database.NewContextAsync();
        var leads = await db.Leads.ToListAsync();

        Assert.Equal(["High", "Medium", "Low"], dashboard.Grid.FitLevels);
        foreach (var fit in dashboard.Grid.FitLevels)
        {
            foreach (var intent in dashboard.Grid.IntentLevels)
            {
                Assert.Equal(leads.Count(l => l.FitLevel == fit && l.IntentLevel == intent), dashboard.Grid[fit, intent]);
            }
        }
        Assert.Equal(2, dashboard.Grid["High", "High"]);
        Assert.Equal(1, dashboard.Grid["Low", "High"]);
        Assert.Equal(0, dashboard.Grid.NotScored);
        Assert.True(dashboard.FitPublished);
    }

    [Fact]
    public async Task The_trend_counts_entries_into_each_level_per_week_from_the_change_records()
    {
        foreach (var team in new int?[] { null, _south })
        {
            var dashboard = await DashboardAsync(team);
            await using var db = await _database.NewContextAsync();
            var changes = await db.IntentLevelChanges.Join(db.Leads, c => c.LeadId, l => l.Id, (c, l) => new { c.To, c.ChangedAt, l.TeamId }).ToListAsync();

            Assert.Equal([new DateOnly(2026, 10, 19), new(2026, 10, 26), new(2026, 11, 2), new(2026, 11, 9), new(2026, 11, 16)], dashboard.Trend.Select(w => w.WeekStart));
            foreach (var week in dashboard.Trend)
            {
                foreach (var (level, entered) in week.Entered)
                {
                    var expected = changes.Count(c => c.To == level && (team == null || c.TeamId == team)
                        && DateOnly.FromDateTime(c.ChangedAt) >= week.WeekStart && DateOnly.FromDateTime(c.ChangedAt) < week.WeekStart.AddDays(7)
                        && DateOnly.FromDateTime(c.ChangedAt) >= s_today.AddDays(-27));
                    Assert.Equal(expected, entered);
                }
            }
        }

        var all = await DashboardAsync();
        // Six new leads entered Low in the week of Oct 26; that week's forms and webinars lifted four to Medium; the
        // forms of the week of Nov 16 lifted three to High.
        Assert.Equal(6, all.Trend[1].Entered["Low"]);
        Assert.Equal(4, all.Trend[1].Entered["Medium"]);
        Assert.Equal(3, all.Trend[4].Entered["High"]);
    }

    [Fact]
    public async Task Level_changes_from_re_banding_on_publish_and_from_adjustments_count_in_the_trend_too()
    {
        var before = (await DashboardAsync()).Trend[^1].Entered;
        var ruleSets = _database.Get<RuleSetService>();
        var draft = (await ruleSets.GetDraftAsync())!;
        // Narrower ranges: High from 61 moves the 60-point lead up; Low up to 9 keeps the -10 lead Low.
        await ruleSets.SaveDraftAsync(draft with
        {
            IntentField = new IntentFieldDefinition
            {
                Name = "Intent Level",
                Options = [new() { Label = "Low", Max = 9 }, new() { Label = "Medium", Min = 10, Max = 59 }, new() { Label = "High", Min = 60 }],
            },
        });
        await ruleSets.PublishAsync("tests");
        var untouched = (await _database.Get<LeadQueries>().ListAsync(new LeadQuery { Search = "Untouched" }, LeadAccess.All)).Leads[0];
        await _database.Get<Ledger>().AdjustAsync(untouched.Id, 15, "Met at a fair", "tests", LeadAccess.All);

        var after = (await DashboardAsync()).Trend[^1].Entered;
        await using var db = await _database.NewContextAsync();
        var thisWeek = DashboardService.WeekStart(s_today).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var changes = await db.IntentLevelChanges.Where(c => c.ChangedAt >= thisWeek).ToListAsync();
        foreach (var level in new[] { "Low", "Medium", "High" })
        {
            Assert.Equal(changes.Count(c => c.To == level), after[level]);
        }
        Assert.Equal(before["High"] + 1, after["High"]);   // the 60-point lead, re-banded
        Assert.Equal(before["Medium"] + 1, after["Medium"]); // the adjusted lead
    }

    [Fact]
    public async Task Points_earned_per_behavior_and_rule_in_the_period_equal_the_entries()
    {
        foreach (var (team, from) in new (int?, DateOnly)[] { (null, s_today.AddDays(-27)), (_north, s_today.AddDays(-27)), (null, new DateOnly(2026, 11, 1)) })
        {
            var dashboard = await DashboardAsync(team, from);
            await using var db = await _database.NewContextAsync();
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var entries = await db.ScoreEntries.Join(db.Leads, e => e.LeadId, l => l.Id, (e, l) => new { e.BehaviorType, e.RuleName, e.Points, e.OccurredAt, l.TeamId })
                .Where(e => e.OccurredAt >= start && (team == null || e.TeamId == team)).ToListAsync();

            var byType = entries.GroupBy(e => e.BehaviorType!).Select(g => (g.Key, Points: g.Sum(e => (long)e.Points), Entries: g.Count()))
                .OrderByDescending(g => g.Points).ThenBy(g => g.Key).ToList();
            Assert.Equal(byType, dashboard.TopBehaviors.Select(b => (b.Key, b.Points, b.Entries)));
            var byRule = entries.GroupBy(e => e.RuleName).Select(g => (g.Key, Points: g.Sum(e => (long)e.Points), Entries: g.Count()))
                .OrderByDescending(g => g.Points).ThenBy(g => g.Key).ToList();
            Assert.Equal(byRule, dashboard.TopRules.Select(b => (b.Key, b.Points, b.Entries)));
        }

        var period = await DashboardAsync(from: new DateOnly(2026, 11, 1));
        Assert.Equal(("form.submit", "Submits form", 180L), (period.TopBehaviors[0].Key, period.TopBehaviors[0].Label, period.TopBehaviors[0].Points));
    }

    [Fact]
    public async Task Sales_access_is_refused_and_a_backwards_period_is_a_clear_error()
    {
        var service = _database.Get<DashboardService>();
        await Assert.ThrowsAsync<NotAllowedException>(() => service.GetAsync(DashboardFilter.Default(s_today), LeadAccess.Teams([_north])));
        var backwards = await Assert.ThrowsAsync<ValidationFailedException>(() => service.GetAsync(new DashboardFilter(null, s_today, s_today.AddDays(-1)), LeadAccess.All));
        Assert.Contains("before it starts", backwards.Errors[0].Message);
    }

    [Fact]
    public void Weeks_start_on_monday()
    {
        Assert.Equal(new DateOnly(2026, 11, 16), DashboardService.WeekStart(new DateOnly(2026, 11, 20)));
        Assert.Equal(new DateOnly(2026, 11, 16), DashboardService.WeekStart(new DateOnly(2026, 11, 16)));
        Assert.Equal(new DateOnly(2026, 11, 16), DashboardService.WeekStart(new DateOnly(2026, 11, 22)));
    }
}
