using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Predictive;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Pages.Leads;
using BehaviorPoints.Web.Components.Shared;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Web.Components.Leads;

public sealed class LeadPageTests : MudContext, IAsyncLifetime
{
    // Database work and a notification hop happen between the action and the render; allow for a busy machine.
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    // The drawer's page of entries, newest first by when they happened: one per refresh of the list.
    private const string EntriesPage = "ORDER BY \"s\".\"OccurredAt\" DESC";

    private CoreDatabase _database = null!;
    private LeadView _lead = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        SignIn(Roles.Administrator);
        foreach (var type in new[] { typeof(LeadQueries), typeof(LeadFunnelQueries), typeof(LeadCommands), typeof(ScoreHistory), typeof(LeadAccessService), typeof(ScoreNotifications), typeof(BehaviorTypes), typeof(Ledger), typeof(TeamService), typeof(LeadCsv), typeof(BehaviorPoints.Core.Routing.FollowUps), typeof(BehaviorPoints.Core.Tracking.SiteService) })
        {
            Services.AddSingleton(type, _database.Get<object>(type));
        }
        Services.AddScoped<CurrentLeadAccess>();
        Services.AddScoped<ViewerClock>();
        Services.AddSingleton<TimeProvider>(_database.Clock);

        await _database.Get<RuleSetService>().SaveDraftAsync(RuleSet([.. SeedExample, Rule("Submit form", "form.submit", 60)]));
        await _database.Get<RuleSetService>().PublishAsync("tests");
        _lead = await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "Li Wei", Team = "North" }, LeadAccess.All);
    }

    async Task IAsyncLifetime.DisposeAsync() => await _database.DisposeAsync();

    private Task SendAsync(int count, string behavior = "official_account.follow", object? attributes = null, string? at = null)
    {
        var now = _database.Clock.GetUtcNow().UtcDateTime;
        var batch = Enumerable.Range(0, count)
            .Select(i => EventReader.Read(Json(new { eventId = Guid.NewGuid().ToString("N"), behavior, leadId = _lead.Id, occurredAt = at ?? now.ToString("O"), attributes = attributes ?? new { accountId = i % 2 == 0 ? "sharecrm" : "other" } }), now, BehaviorCatalog.BuiltInOnly).Behavior!)
            .ToList();
        return _database.Get<Ledger>().IngestAsync(batch);
    }

    [Fact]
    public async Task Clicking_the_total_opens_the_drawer_with_entries_that_add_up()
    {
        await SendAsync(1);
        var cut = RenderInteractive<LeadDetail>(p => p.Add(c => c.Id, _lead.Id));
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=total-value]").TextContent), s_wait);
        Assert.Empty(cut.FindAll("[data-testid=entry]"));
        // The button says what it shows and what it does, for a screen reader.
        Assert.Equal("3 Behavior Points, show every entry", cut.Find("[data-testid=total]").GetAttribute("aria-label"));

        cut.Find("[data-testid=total]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=entry]").Count), s_wait);
        Assert.Equal(["3", "1"], cut.FindAll("[data-testid=entry-running-total]").Select(e => e.TextContent));
        Assert.Equal(["2", "1"], cut.FindAll("[data-testid=entry-points]").Select(e => e.GetAttribute("data-points")));
    }

    [Fact]
    public async Task A_behavior_scored_while_the_page_is_open_updates_total_chip_and_drawer()
    {
        var cut = RenderInteractive<LeadDetail>(p => p.Add(c => c.Id, _lead.Id));
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=total-value]").TextContent), s_wait);
        cut.Find("[data-testid=total]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=no-entries]"), s_wait);

        await SendAsync(2, "form.submit", new { formId = "demo" });

        cut.WaitForAssertion(() => Assert.Equal("120", cut.Find("[data-testid=total-value]").TextContent), s_wait);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=entry]").Count), s_wait);
        Assert.Equal("High", cut.Find("[data-testid=intent-chip]").GetAttribute("data-level"));
    }

    [Fact]
    public async Task A_burst_of_notifications_shows_the_last_total_and_refreshes_the_entries_once_not_per_batch()
    {
        // The page's timers run on a clock this test moves, so "once per interval" is exact, not a race.
        var pageClock = new FakeTimeProvider(_database.Clock.GetUtcNow());
        Services.AddSingleton<TimeProvider>(pageClock);
        var cut = RenderInteractive<LeadDetail>(p => p.Add(c => c.Id, _lead.Id));
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=total-value]").TextContent), s_wait);
        cut.Find("[data-testid=total]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=no-entries]"), s_wait);
        using var activity = DatabaseActivity.For(_database.Path);

        // What a hundred committed batches would announce: each carries the new total, level and newest entry.
        for (var i = 1; i <= 100; i++)
        {
            _database.Get<ScoreNotifications>().Publish([new LeadScoreChanged(_lead.Id, i, i > 100 ? "High" : i >= 50 ? "Medium" : "Low", i)]);
        }

        cut.WaitForAssertion(() => Assert.Equal("100", cut.Find("[data-testid=total-value]").TextContent), s_wait);
        Assert.Equal("Medium", cut.Find("[data-testid=intent-chip]").GetAttribute("data-level"));
        Assert.Equal(0, activity.Commands);

        // When the interval ends, the entry list and the chart refresh once for the whole burst.
        pageClock.Advance(LeadDetail.RefreshInterval);
        cut.WaitForAssertion(() => Assert.Equal(1, activity.CommandsContaining(EntriesPage)), s_wait);
        pageClock.Advance(LeadDetail.RefreshInterval);
        Assert.Equal(1, activity.CommandsContaining(EntriesPage));
        // One refresh: the lead (its owner may change with its score), the entries page, the chart, what fades, the
        // categories and the stage path, the tasks and the timeline, a few reads each.
        Assert.InRange(activity.Commands, 1, 18);
    }

    [Fact]
    public async Task An_adjustment_made_on_the_page_reloads_its_entries_once()
    {
        var cut = RenderInteractive<LeadDetail>(p => p.Add(c => c.Id, _lead.Id));
        cut.WaitForAssertion(() => Assert.Equal("0", cut.Find("[data-testid=total-value]").TextContent), s_wait);
        cut.Find("[data-testid=total]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=no-entries]"), s_wait);
        using var activity = DatabaseActivity.For(_database.Path);

        cut.Find("input[data-testid=adjust-points]").Change("15");
        cut.Find("textarea[data-testid=adjust-reason], input[data-testid=adjust-reason]").Input("Met at the fair");
        cut.Find("[data-testid=adjust-save]").Click();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=entry]")), s_wait);
        Assert.Equal("15", cut.Find("[data-testid=total-value]").TextContent);
        // Another change from elsewhere is the positive signal that the page has handled what came before it: by then,
        // the ledger's notification of the page's own adjustment has arrived too, and caused no second reload.
        await _database.Get<Ledger>().AdjustAsync(_lead.Id, 1, "A second one, from elsewhere", "tests", LeadAccess.All);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=entry]").Count), s_wait);
        Assert.Equal("16", cut.Find("[data-testid=total-value]").TextContent);
        Assert.Equal(2, activity.CommandsContaining(EntriesPage));
    }

    [Fact]
    public async Task Entries_page_with_running_totals_that_continue_across_pages()
    {
        await SendAsync(4); // ShareCRM, other, ShareCRM, other: entries +1 +2, +1, +1 +2, +1
        var access = LeadAccess.All;

        var cut = RenderInteractive<ScoreEntryList>(p => p.Add(c => c.LeadId, _lead.Id).Add(c => c.Access, access).Add(c => c.PageSize, 2));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=entry]").Count), s_wait);
        cut.Find("[data-testid=load-more]").Click();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=entry]").Count), s_wait);
        cut.Find("[data-testid=load-more]").Click();

        cut.WaitForAssertion(() => Assert.Equal(6, cut.FindAll("[data-testid=entry]").Count), s_wait);
        Assert.Empty(cut.FindAll("[data-testid=load-more]"));
        Assert.Equal(["8", "7", "5", "4", "3", "1"], cut.FindAll("[data-testid=entry-running-total]").Select(e => e.TextContent));
    }

    [Fact]
    public async Task After_a_re_score_the_drawer_lists_adjustments_in_their_place_in_time_with_running_totals_in_that_order()
    {
        var ledger = _database.Get<Ledger>();
        await SendAsync(1, attributes: new { accountId = "sharecrm" }, at: "2026-11-18T09:00:00Z");
        _database.Clock.Now = new DateTimeOffset(2026, 11, 19, 9, 0, 0, TimeSpan.Zero);
        await ledger.AdjustAsync(_lead.Id, -2, "Counted twice", "ana@example.com", LeadAccess.All);
        _database.Clock.Now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
        await SendAsync(1, attributes: new { accountId = "other" }, at: "2026-11-20T09:00:00Z");
        await _database.Get<RuleSetService>().SaveDraftAsync(RuleSet(Rule("Follow any account", "official_account.follow", 10)));
        await _database.Get<RuleSetService>().PublishAsync("tests", PublishMode.RescoreEveryLead);
        await _database.Get<Rescoring>().RunAsync();

        var cut = RenderInteractive<ScoreEntryList>(p => p.Add(c => c.LeadId, _lead.Id).Add(c => c.Access, LeadAccess.All));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=entry]").Count), s_wait);
        Assert.Equal(["10", "-2", "10"], cut.FindAll("[data-testid=entry-points]").Select(e => e.GetAttribute("data-points")));
        Assert.Equal(["18", "8", "10"], cut.FindAll("[data-testid=entry-running-total]").Select(e => e.TextContent));
    }

    [Fact]
    public async Task A_manual_adjustment_shows_its_reason_on_its_row()
    {
        await _database.Get<Ledger>().AdjustAsync(_lead.Id, 15, "Met at the trade fair", "ana@example.com", LeadAccess.All);

        var cut = RenderInteractive<ScoreEntryList>(p => p.Add(c => c.LeadId, _lead.Id).Add(c => c.Access, LeadAccess.All));

        cut.WaitForAssertion(() => Assert.Contains("Met at the trade fair", cut.Find("[data-testid=entry] [data-testid=entry-reason]").TextContent), s_wait);
        Assert.Empty(cut.FindAll("[data-testid=entry-details]"));
    }

    [Theory]
    [InlineData("20000", "between -10000 and 10000")]
    [InlineData("99999999999999999999", "not a whole number")]
    [InlineData("ten", "not a whole number")]
    public void Points_out_of_range_are_an_error_and_stay_in_the_field(string typed, string message)
    {
        var cut = RenderInteractive<ManualAdjustmentForm>(p => p.Add(c => c.LeadId, _lead.Id).Add(c => c.Access, LeadAccess.All).Add(c => c.UserName, "ana@example.com"));

        cut.Find("input[data-testid=adjust-points]").Change(typed);
        cut.Find("textarea[data-testid=adjust-reason], input[data-testid=adjust-reason]").Input("A reason");
        cut.Find("[data-testid=adjust-save]").Click();

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find("[data-testid=adjustment-form]").TextContent), s_wait);
        Assert.Equal(typed, cut.Find("input[data-testid=adjust-points]").GetAttribute("value"));
    }

    [Fact]
    public void A_reason_over_the_limit_keeps_every_character_and_says_how_long_it_is()
    {
        var cut = RenderInteractive<ManualAdjustmentForm>(p => p.Add(c => c.LeadId, _lead.Id).Add(c => c.Access, LeadAccess.All).Add(c => c.UserName, "ana@example.com"));
        var pasted = string.Concat(Enumerable.Repeat("Long story. ", 110)).Trim();

        cut.Find("input[data-testid=adjust-points]").Change("5");
        cut.Find("textarea[data-testid=adjust-reason], input[data-testid=adjust-reason]").Input(pasted);

        cut.WaitForAssertion(() => Assert.Contains($"The reason is {pasted.Length} characters long; the limit is 1000.", cut.Find("[data-testid=adjustment-form]").TextContent), s_wait);
        // The browser cuts at maxlength without a word: the field must not stop at the limit.
        var maxLength = cut.Find("textarea[data-testid=adjust-reason], input[data-testid=adjust-reason]").GetAttribute("maxlength");
        Assert.True(maxLength is null || int.Parse(maxLength, System.Globalization.CultureInfo.InvariantCulture) > pasted.Length, $"maxlength {maxLength}");
        cut.Find("[data-testid=adjust-save]").Click();
        cut.WaitForAssertion(() => Assert.Equal(pasted, cut.Find("textarea[data-testid=adjust-reason], input[data-testid=adjust-reason]").GetAttribute("value")), s_wait);
    }

    [Fact]
    public void A_lead_of_another_team_shows_not_found_to_a_sales_rep()
    {
        Authorization.SetRoles(Roles.Sales);

        var cut = RenderInteractive<LeadDetail>(p => p.Add(c => c.Id, _lead.Id));

        cut.WaitForAssertion(() => cut.Find("[data-testid=lead-not-found]"), s_wait);
        Assert.DoesNotContain("Li Wei", cut.Markup);
    }

    [Fact]
    public async Task User_text_is_rendered_escaped()
    {
        var hostile = await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "<script>alert('x')</script>", Company = "<img src=x onerror=alert(1)>", Team = "North" }, LeadAccess.All);

        var cut = RenderInteractive<LeadDetail>(p => p.Add(c => c.Id, hostile.Id));

        cut.WaitForAssertion(() => Assert.Contains("&lt;script&gt;alert", cut.Markup), s_wait);
        Assert.DoesNotContain("<script>alert", cut.Markup);
        Assert.DoesNotContain("<img src=x", cut.Markup);
    }

    [Theory]
    [InlineData("Low", "mud-chip-color-dark")]
    [InlineData("Medium", "mud-chip-color-warning")]
    [InlineData("High", "mud-chip-color-error")]
    public void Intent_chips_are_coloured_by_rank(string level, string colourClass)
    {
        var cut = RenderInteractive<IntentChip>(p => p.Add(c => c.Level, level).Add(c => c.Levels, ["Low", "Medium", "High"]));

        Assert.Contains(colourClass, cut.Find(".mud-chip").ClassName);
    }

    [Fact]
    public async Task The_drawer_explains_fading_each_entry_value_today_its_next_fade_and_what_each_decay_faded()
    {
        await _database.Get<RuleSetService>().SaveDraftAsync(RuleSet(Rule("Visit the website", "website.visit", 5).Fading((30, 50), (90, 0))));
        await _database.Get<RuleSetService>().PublishAsync("tests");
        // Clock: 2026-11-20 12:00 UTC; the visit 40 days before has halved and is gone on 18 Jan.
        await SendAsync(1, "website.visit", new { url = "/pricing" }, "2026-10-11T12:00:00Z");

        var cut = RenderInteractive<LeadDetail>(p => p.Add(c => c.Id, _lead.Id));
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=total-value]").TextContent), s_wait);
        cut.Find("[data-testid=total]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=entry]").Count), s_wait);
        var faded = cut.Find("[data-testid=entry-faded]");
        Assert.Equal("Faded: Visit the website (from Visits website on 11 Oct 2026)", Normalize(faded.TextContent));
        var ruleEntry = cut.Find("[data-kind=Rule]");
        Assert.Equal($"leads/{_lead.Id}#entry-{ruleEntry.GetAttribute("data-entry-id")}", cut.Find("[data-testid=faded-entry-link]").GetAttribute("href"));
        Assert.Equal("+5 · 3 today · gone after 9 Jan", Normalize(cut.Find("[data-testid=entry-fading]").TextContent));
        Assert.Equal(["-2", "5"], cut.FindAll("[data-testid=entry-points]").Select(e => e.GetAttribute("data-points")));
        Assert.Empty(cut.FindAll("[data-testid=fading-soon]"));
    }

    [Fact]
    public async Task Entries_a_re_score_replaced_say_which_were_fading_steps()
    {
        await _database.Get<RuleSetService>().SaveDraftAsync(RuleSet(Rule("Visit the website", "website.visit", 5).Fading((30, 50), (90, 0))));
        await _database.Get<RuleSetService>().PublishAsync("tests");
        await SendAsync(1, "website.visit", new { url = "/pricing" }, "2026-10-11T12:00:00Z");
        await _database.Get<RuleSetService>().SaveDraftAsync(RuleSet(Rule("Visit the website", "website.visit", 7)));
        await _database.Get<RuleSetService>().PublishAsync("tests", PublishMode.RescoreEveryLead);
        await _database.Get<Rescoring>().RunAsync();

        var cut = RenderInteractive<SupersededEntryList>(p => p.Add(c => c.LeadId, _lead.Id).Add(c => c.Access, LeadAccess.All));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=superseded-entry]").Count), s_wait);
        Assert.Contains("Faded: Visit the website", cut.FindAll("[data-testid=superseded-entry]")[0].TextContent);
        Assert.DoesNotContain("Faded", cut.FindAll("[data-testid=superseded-entry]")[1].TextContent);
    }

    [Fact]
    public async Task The_lead_page_says_how_much_fades_over_the_next_week()
    {
        await _database.Get<RuleSetService>().SaveDraftAsync(RuleSet(Rule("Visit the website", "website.visit", 5).Fading((30, 50), (90, 0))));
        await _database.Get<RuleSetService>().PublishAsync("tests");
        await SendAsync(4, "website.visit", new { url = "/pricing" }, "2026-10-25T12:00:00Z"); // halves on 24 Nov: −2 each

        var cut = RenderInteractive<LeadDetail>(p => p.Add(c => c.Id, _lead.Id));

        cut.WaitForAssertion(() => Assert.Equal("fading: −8 points over the next 7 days", Normalize(cut.Find("[data-testid=fading-soon]").TextContent)), s_wait);
    }

    [Fact]
    public async Task The_lead_page_shows_category_bars_with_levels_and_the_stage_path_and_each_number_opens_its_entries()
    {
        await _database.Get<RuleSetService>().SaveDraftAsync(RuleSet(Rule("Pricing", "website.visit", 15).In("CRM"), Rule("Webinar", "webinar.attend", 25).In("Marketing Cloud")) with
        {
            Categories =
            [
                new CategoryDefinition { Name = "CRM", Ranges = [new() { Label = "Cold", Max = 19 }, new() { Label = "Hot", Min = 20 }] },
                new CategoryDefinition { Name = "Marketing Cloud" },
            ],
            Stages = [new() { Name = "New", AdvanceAt = 20 }, new() { Name = "Engaged", AdvanceAt = 100 }, new() { Name = "Sales qualified" }],
        });
        await _database.Get<RuleSetService>().PublishAsync("tests");
        await SendAsync(2, "website.visit", new { url = "/pricing" }); // 15, then 30: New → Engaged on the second
        await SendAsync(1, "webinar.attend", new { webinarId = "wb-1" }); // 25 in Engaged

        var cut = RenderInteractive<LeadDetail>(p => p.Add(c => c.Id, _lead.Id));

        cut.WaitForAssertion(() => Assert.Equal("Engaged", cut.Find("[data-testid=stage]").TextContent), s_wait);
        Assert.Equal("25 points earned here", Normalize(cut.Find("[data-testid=stage-score]").TextContent));
        Assert.Equal("Moves on to Sales qualified at 100 points", Normalize(cut.Find("[data-testid=stage-next]").TextContent));
        Assert.Equal(["New · +30"], cut.FindAll("[data-testid=stage-passed]").Select(b => Normalize(b.TextContent)));
        var crm = cut.Find("[data-testid=category-score][data-category=CRM]");
        Assert.Equal("30", Normalize(crm.QuerySelector("[data-testid=category-points]")!.TextContent));
        Assert.Contains("Hot", crm.TextContent);
        var marketing = cut.Find("[data-testid=category-score][data-category='Marketing Cloud']");
        Assert.Equal("25", Normalize(marketing.QuerySelector("[data-testid=category-points]")!.TextContent));
        Assert.DoesNotContain("Hot", marketing.TextContent);

        // CRM's number: only its two entries, adding up to 30.
        cut.Find("[data-testid=category-score][data-category=CRM] button").Click();
        cut.WaitForAssertion(() => Assert.Equal(["30", "15"], cut.FindAll("[data-testid=entry-running-total]").Select(e => e.TextContent)), s_wait);
        Assert.Contains("Only the entries for CRM", cut.Find("[data-testid=drawer-filter]").TextContent);

        // New's points: the two entries written there.
        cut.Find("[data-testid=stage-passed]").Click();
        cut.WaitForAssertion(() => Assert.Contains("while the lead was in New", cut.Find("[data-testid=drawer-filter]").TextContent), s_wait);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=entry]").Count), s_wait);
    }

    [Fact]
    public async Task An_adjustment_made_on_the_page_may_count_toward_a_category_and_its_bar_follows()
    {
        await _database.Get<RuleSetService>().SaveDraftAsync(RuleSet(Rule("Pricing", "website.visit", 15).In("CRM")) with
        {
            Categories = [new CategoryDefinition { Name = "CRM" }, new CategoryDefinition { Name = "Marketing Cloud" }],
        });
        await _database.Get<RuleSetService>().PublishAsync("tests");
        var cut = RenderInteractive<LeadDetail>(p => p.Add(c => c.Id, _lead.Id));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=category-score]").Count), s_wait);
        cut.Find("[data-testid=total]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=no-entries]"), s_wait);

        cut.Find("input[data-testid=adjust-points]").Change("20");
        cut.Find("textarea[data-testid=adjust-reason], input[data-testid=adjust-reason]").Input("Asked for a demo");
        var category = cut.FindComponents<MudBlazor.MudSelect<string>>().Single(s => s.Instance.Label == "Also counts toward category");
        await cut.InvokeAsync(() => category.Instance.ValueChanged.InvokeAsync("Marketing Cloud"));
        cut.Find("[data-testid=adjust-save]").Click();

        cut.WaitForAssertion(() => Assert.Equal("20", Normalize(cut.Find("[data-testid=category-score][data-category='Marketing Cloud'] [data-testid=category-points]").TextContent)), s_wait);
        Assert.Equal("0", Normalize(cut.Find("[data-testid=category-score][data-category=CRM] [data-testid=category-points]").TextContent));
        Assert.Contains("Marketing Cloud", cut.Find("[data-testid=entry]").TextContent);
    }

    [Fact]
    public async Task The_likelihood_s_factors_are_grouped_into_what_raises_and_what_lowers_it_each_saying_why()
    {
        var factors = new[]
        {
            new ConversionFactor(FeatureSpace.BehaviorSlot("form.submit", 7), 2, 0.8),
            new ConversionFactor(FeatureSpace.BehaviorSlot("website.visit", 30), 5, -0.4),
            new ConversionFactor(FeatureSpace.SinceSlot, 12, -0.2),
        };
        await using (var db = await _database.NewContextAsync())
        {
            await db.Leads.Where(l => l.Id == _lead.Id).ExecuteUpdateAsync(s => s
                .SetProperty(l => l.ConversionProbability, 0.42)
                .SetProperty(l => l.ConversionFactorsJson, ConversionFactor.ToJson(factors)));
        }

        var cut = RenderInteractive<LeadDetail>(p => p.Add(c => c.Id, _lead.Id));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll(".likelihood-factors").Count), s_wait);
        Assert.Equal("What raises it", cut.Find("[data-testid=likelihood-raises]").TextContent);
        Assert.Equal("What lowers it", cut.Find("[data-testid=likelihood-lowers]").TextContent);
        var groups = new[] { cut.Find("[data-testid=likelihood-raising]"), cut.Find("[data-testid=likelihood-lowering]") };
        Assert.Equal("What raises it", groups[0].GetAttribute("aria-label"));
        var raising = Assert.Single(groups[0].QuerySelectorAll("[data-testid=likelihood-factor]"));
        Assert.StartsWith("Submits form 2 times in the last 7 days", Normalize(raising.TextContent));
        Assert.Equal("Leads that did this more often converted more often, other things being equal.", raising.QuerySelector("[data-testid=likelihood-why]")!.TextContent);
        // A behavior that lowers the likelihood says so in words, rather than reading as if the behavior were bad.
        Assert.Equal(
            ["Leads that did this more often converted less often, other things being equal.", "Every day without a behavior lowers it: leads quiet for longer converted less often, other things being equal."],
            groups[1].QuerySelectorAll("[data-testid=likelihood-why]").Select(e => e.TextContent));
        Assert.StartsWith("Visits website 5 times in the last 30 days", Normalize(groups[1].QuerySelectorAll("[data-testid=likelihood-factor]")[0].TextContent));
    }

    private static string Normalize(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
}
