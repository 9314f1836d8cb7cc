using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Dashboard;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Pages;
using BehaviorPoints.Web.Components.Shared;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Web.Components;

public sealed class HomeTests : MudContext, IAsyncLifetime
{
    // Database work and a notification hop happen between the action and the render; allow for a busy machine.
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private CoreDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        SignIn(Roles.Manager);
        Services.AddSingleton(_database.Get<OverviewService>());
        Services.AddSingleton(_database.Get<LeadAccessService>());
        Services.AddScoped<CurrentLeadAccess>();
    }

    async Task IAsyncLifetime.DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public void An_empty_database_shows_an_empty_state_that_explains_where_leads_come_from()
    {
        var cut = RenderInteractive<Home>();

        cut.WaitForAssertion(() => Assert.Contains("No leads yet", cut.Markup), s_wait);
        Assert.Contains("through the API", cut.Markup);
    }

    [Fact]
    public async Task Leads_are_counted_per_level_and_drawn_in_the_donut()
    {
        var leads = _database.Get<LeadCommands>();
        await _database.Get<RuleSetService>().SaveDraftAsync(Build.RuleSet(Build.Rule("Submit form", "form.submit", 60)));
        await _database.Get<RuleSetService>().PublishAsync("tests");
        for (var i = 0; i < 3; i++)
        {
            await leads.CreateAsync(new LeadInput { Name = $"Lead {i}" }, LeadAccess.All);
        }

        var cut = RenderInteractive<Home>();

        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-level=Low] [data-testid=level-count]").TextContent), s_wait);
        Assert.Equal("0", cut.Find("[data-level=High] [data-testid=level-count]").TextContent);
        Assert.Contains("Version 1", cut.Markup);
        // The donut's legend names the levels that have leads (any svg path would count the icons too).
        Assert.Contains("Low", cut.Find(".mud-chart-donut").ParentElement!.ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll(".mud-chart-legend-item"));
    }

    [Fact]
    public async Task The_shares_of_the_levels_add_up_to_a_hundred_percent()
    {
        var leads = _database.Get<LeadCommands>();
        await _database.Get<RuleSetService>().SaveDraftAsync(Build.RuleSet(Build.Rule("Submit form", "form.submit", 60)));
        await _database.Get<RuleSetService>().PublishAsync("tests");
        foreach (var (name, points) in new[] { ("Cold", 0), ("Warm", 60), ("Hot", 200) })
        {
            var lead = await leads.CreateAsync(new LeadInput { Name = name }, LeadAccess.All);
            if (points != 0)
            {
                await _database.Get<Ledger>().AdjustAsync(lead.Id, points, "Set up", "tests", LeadAccess.All);
            }
        }

        var cut = RenderInteractive<Home>();

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-level=High] [data-testid=level-count]").TextContent), s_wait);
        var shares = cut.FindAll("[data-testid=level-share]").Select(s => int.Parse(s.TextContent.Split('%')[0])).ToList();
        Assert.Equal([34, 33, 33], shares);
    }
}
