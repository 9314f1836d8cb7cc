using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Pages.Admin.ScoringRules;
using BehaviorPoints.Web.Components.Shared;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Web.Components.ScoringRules;

public sealed class RescoreComponentTests : MudContext, IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private CoreDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        Services.AddSingleton(_database.Get<RescorePreview>());
        Services.AddSingleton(_database.Get<Rescoring>());
        Services.AddSingleton<TimeProvider>(_database.Clock);
        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(RuleSet(Rule("Submit form", "form.submit", 60)));
        await ruleSets.PublishAsync("tests");
        var lead = await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "Ana" }, LeadAccess.All);
        var now = _database.Clock.GetUtcNow().UtcDateTime;
        await _database.Get<Ledger>().IngestAsync([EventReader.Read(Json(new { eventId = "f1", behavior = "form.submit", leadId = lead.Id }), now, BehaviorCatalog.BuiltInOnly).Behavior!]);
    }

    async Task IAsyncLifetime.DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public void The_preview_panel_runs_the_draft_and_shows_the_moves_the_distribution_and_the_biggest_changes()
    {
        var cut = RenderInteractive<RescorePreviewPanel>(p => p.Add(c => c.Definition, RuleSet(Rule("Submit form", "form.submit", 120))));

        cut.Find("[data-testid=run-preview] button, button[data-testid=run-preview]").Click();

        cut.WaitForAssertion(() => Assert.Contains("1 of 1 lead would change score", cut.Find("[data-testid=preview-summary]").TextContent), s_wait);
        Assert.Contains("High: +1 / −0.", cut.Find("[data-testid=preview-summary]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=move][data-from=Medium][data-to=High]").TextContent);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=preview-distribution] .mud-chart-legend-item").Count), s_wait);
        Assert.Equal("120", cut.Find("[data-testid=preview-after]").TextContent);
    }

    [Fact]
    public async Task The_banner_follows_a_re_score_to_its_end()
    {
        var cut = RenderInteractive<RescoreProgressBanner>();
        Assert.Empty(cut.FindAll("[data-testid=rescore-progress]"));

        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(RuleSet(Rule("Submit form", "form.submit", 10)));
        await ruleSets.PublishAsync("tests", PublishMode.RescoreEveryLead);
        await _database.Get<Rescoring>().RunAsync();

        cut.WaitForAssertion(() => Assert.Contains("Re-score finished: 1 lead re-scored under version 2.", cut.Find("[data-testid=rescore-progress-text]").TextContent), s_wait);
    }
}
