using System.Security.Claims;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Layout;
using BehaviorPoints.Web.Components.Shared;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Web.Components.Routing;

/// <summary>The bell and the menu's task count: a routing assignment shows up live, and opening a notification reads it.</summary>
public sealed class NotificationBellTests : MudContext, IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private CoreDatabase _database = null!;
    private long _leadId;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        await _database.CreateUserAsync("rep@example.com", Roles.Sales, "North");
        await using (var db = await _database.NewContextAsync())
        {
            var repId = await db.Users.Where(u => u.Email == "rep@example.com").Select(u => u.Id).SingleAsync();
            Authorization.SetAuthorized("rep@example.com");
            Authorization.SetRoles(Roles.Sales);
            Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, repId));
        }
        Services.AddSingleton(_database.Get<NotificationCenter>());
        Services.AddSingleton(_database.Get<FollowUps>());
        Services.AddSingleton(_database.Get<UserSignals>());
        Services.AddSingleton<TimeProvider>(_database.Clock);
        Services.AddScoped<CurrentUser>();
        Services.AddScoped<ViewerClock>();

        await _database.Get<RuleSetService>().SaveDraftAsync(RuleSet(Rule("Demo", "form.submit", 60)));
        await _database.Get<RuleSetService>().PublishAsync("tests");
        await _database.Get<RoutingRuleService>().SaveAsync(new RoutingRuleList
        {
            Rules =
            [
                new RoutingRuleDefinition
                {
                    Name = "Hot leads North",
                    Trigger = new RoutingTriggerDefinition { IntentLevel = "High" },
                    Assign = new RoutingAssignDefinition { Mode = RoutingAssignDefinition.RoundRobinMode, Team = "North" },
                    Task = new RoutingTaskDefinition { DueAfterMinutes = 30, GraceMinutes = 60, MaxReclaims = 0 },
                },
            ],
        }, "tests");
        _leadId = (await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "Li Wei", Team = "North" }, LeadAccess.All)).Id;
    }

    async Task IAsyncLifetime.DisposeAsync() => await _database.DisposeAsync();

    private async Task MakeHighAsync()
    {
        var now = _database.Clock.GetUtcNow().UtcDateTime;
        var batch = Enumerable.Range(0, 2)
            .Select(i => EventReader.Read(Json(new { eventId = $"bell-{i}", behavior = "form.submit", leadId = _leadId, occurredAt = now.AddMinutes(-1).ToString("O") }), now, BehaviorCatalog.BuiltInOnly).Behavior!)
            .ToList();
        await _database.Get<Ledger>().IngestAsync(batch);
    }

    [Fact]
    public async Task An_assignment_rings_the_bell_live_and_opening_it_reads_it_and_opens_the_lead()
    {
        // The menu opens in a popover, which MudBlazor renders in the layout's popover provider.
        var popovers = RenderInteractive<MudBlazor.MudPopoverProvider>();
        var cut = RenderInteractive<NotificationBell>();
        cut.WaitForAssertion(() => Assert.Contains("none unread", cut.Find("[data-testid=bell] button").GetAttribute("aria-label")), s_wait);

        await MakeHighAsync();

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find(".mud-badge").TextContent.Trim()), s_wait);
        await cut.InvokeAsync(() => cut.Find("[data-testid=bell] button").Click());
        var item = popovers.WaitForElement("[data-testid=notification]", s_wait);
        Assert.Contains("Li Wei was assigned to you by rule 'Hot leads North' when Intent Level became High", item.TextContent);

        await popovers.InvokeAsync(() => item.Click());
        cut.WaitForAssertion(() => Assert.EndsWith($"/leads/{_leadId}", Services.GetRequiredService<NavigationManager>().Uri), s_wait);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-badge.mud-badge-visible")), s_wait);
    }

    [Fact]
    public async Task The_menu_counts_open_tasks_live_and_turns_red_when_one_is_overdue()
    {
        var cut = RenderInteractive<TaskCountBadge>();
        Assert.Empty(cut.FindAll("[data-testid=task-count]"));

        await MakeHighAsync();
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-testid=task-count]").TextContent.Trim()), s_wait);
        Assert.DoesNotContain("mud-chip-color-error", cut.Find("[data-testid=task-count]").ClassName);

        // Past its due time and inside its grace: still open, and overdue.
        _database.Clock.Advance(TimeSpan.FromMinutes(31));
        await _database.Get<Reclaims>().RunAsync();
        cut.WaitForAssertion(() => Assert.Contains("mud-chip-color-error", cut.Find("[data-testid=task-count]").ClassName), s_wait);
        Assert.Equal("1", cut.Find("[data-testid=task-count]").TextContent.Trim());

        // Past the grace too: the lapsed task was reclaimed (the rule allows no re-routing): nothing open is left.
        _database.Clock.Advance(TimeSpan.FromMinutes(60));
        await _database.Get<Reclaims>().RunAsync();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=task-count]")), s_wait);
    }
}
