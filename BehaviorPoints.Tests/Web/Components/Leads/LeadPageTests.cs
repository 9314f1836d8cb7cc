using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Pages.Leads;
using BehaviorPoints.Web.Components.Shared;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Web.Components.Leads;

public sealed class LeadPageTests : MudContext, IAsyncLifetime
{
    // Database work and a notification hop happen between the action and the render; allow for a busy machine.
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private CoreDatabase _database = null!;
    private LeadView _lead = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        SignIn(Roles.Administrator);
        foreach (var type in new[] { typeof(LeadService), typeof(LeadAccessService), typeof(ScoreNotifications), typeof(BehaviorTypes), typeof(Ledger), typeof(TeamService) })
        {
            Services.AddSingleton(type, _database.Get<object>(type));
        }
        Services.AddScoped<CurrentLeadAccess>();
        Services.AddScoped<ViewerClock>();

        await _database.Get<RuleSetService>().SaveDraftAsync(RuleSet([.. SeedExample, Rule("Submit form", "form.submit", 60)]));
        await _database.Get<RuleSetService>().PublishAsync("tests");
        _lead = await _database.Get<LeadService>().CreateAsync(new LeadInput { Name = "Li Wei", Team = "North" }, LeadAccess.All);
    }

    async Task IAsyncLifetime.DisposeAsync() => await _database.DisposeAsync();

    private Task SendAsync(int count, string behavior = "official_account.follow", object? attributes = null)
    {
        var now = _database.Clock.GetUtcNow().UtcDateTime;
        var batch = Enumerable.Range(0, count)
            .Select(i => EventReader.Read(Json(new { eventId = Guid.NewGuid().ToString("N"), behavior, leadId = _lead.Id, attributes = attributes ?? new { accountId = i % 2 == 0 ? "sharecrm" : "other" } }), now, BehaviorCatalog.BuiltInOnly).Behavior!)
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
        var hostile = await _database.Get<LeadService>().CreateAsync(new LeadInput { Name = "<script>alert('x')</script>", Company = "<img src=x onerror=alert(1)>", Team = "North" }, LeadAccess.All);

        var cut = RenderInteractive<LeadDetail>(p => p.Add(c => c.Id, hostile.Id));

        cut.WaitForAssertion(() => Assert.Contains("&lt;script&gt;alert", cut.Markup), s_wait);
        Assert.DoesNotContain("<script>alert", cut.Markup);
        Assert.DoesNotContain("<img src=x", cut.Markup);
    }

    [Theory]
    [InlineData("Low", "mud-chip-color-default")]
    [InlineData("Medium", "mud-chip-color-warning")]
    [InlineData("High", "mud-chip-color-error")]
    public void Intent_chips_are_coloured_by_rank(string level, string colourClass)
    {
        var cut = RenderInteractive<IntentChip>(p => p.Add(c => c.Level, level).Add(c => c.Levels, ["Low", "Medium", "High"]));

        Assert.Contains(colourClass, cut.Find(".mud-chip").ClassName);
    }
}
