using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Dashboard;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Shared;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Web.Components.Dashboard;

public sealed class DashboardPageTests : MudContext, IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private CoreDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        SignIn(Roles.Manager);
        Services.AddSingleton(_database.Get<DashboardService>());
        Services.AddSingleton(_database.Get<TeamService>());
        Services.AddSingleton(_database.Get<BehaviorPoints.Core.Routing.SpeedToLeadService>());
        Services.AddSingleton(_database.Get<BehaviorPoints.Core.Predictive.RuleInsights>());
        Services.AddSingleton(_database.Get<LeadAccessService>());
        Services.AddSingleton<TimeProvider>(_database.Clock);
        Services.AddScoped<CurrentLeadAccess>();
    }

    async Task IAsyncLifetime.DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public void Without_leads_the_dashboard_says_so()
    {
        var cut = RenderInteractive<BehaviorPoints.Web.Components.Pages.Dashboard.Dashboard>();

        cut.WaitForAssertion(() => Assert.Contains("No leads yet", cut.Find("[data-testid=dashboard-empty]").TextContent), s_wait);
    }

    [Fact]
    public async Task The_filter_is_read_from_the_url_and_every_panel_renders()
    {
        await _database.Get<RuleSetService>().SaveDraftAsync(Build.RuleSet(Build.Rule("Submit form", "form.submit", 60)));
        await _database.Get<RuleSetService>().PublishAsync("tests");
        var north = await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "North lead", Team = "North" }, LeadAccess.All);
        await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "South lead", Team = "South" }, LeadAccess.All);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"/dashboard?team={north.TeamId}&from=2026-10-01&to=2026-11-20");

        var cut = RenderInteractive<BehaviorPoints.Web.Components.Pages.Dashboard.Dashboard>();

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=levels-table] tr[data-level=Low] [data-testid=level-leads]").TextContent), s_wait);
        foreach (var panel in new[] { "levels-panel", "conversion-panel", "trend-panel", "grid-panel", "top-behaviors", "top-rules" })
        {
            Assert.NotNull(cut.Find($"[data-testid={panel}]"));
        }
        Assert.Contains("Oct 1, 2026 to Nov 20, 2026", cut.Markup);
        Assert.Contains("No fit model is published yet", cut.Markup);
    }

    [Fact]
    public void A_backwards_period_in_the_url_shows_what_is_wrong()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/dashboard?from=2026-11-20&to=2026-11-01");

        var cut = RenderInteractive<BehaviorPoints.Web.Components.Pages.Dashboard.Dashboard>();

        cut.WaitForAssertion(() => Assert.Contains("ends (2026-11-01) before it starts (2026-11-20)", cut.Find("[data-testid=dashboard-error]").TextContent), s_wait);
    }
}
