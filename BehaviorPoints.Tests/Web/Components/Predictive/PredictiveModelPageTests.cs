using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Predictive;
using BehaviorPoints.Tests.Core.Predictive;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Shared;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PredictiveModelPage = BehaviorPoints.Web.Components.Pages.Admin.Predictive.PredictiveModel;

namespace BehaviorPoints.Tests.Web.Components.Predictive;

/// <summary>The prediction page: what is missing before training, then training with its measurements and versions.</summary>
public sealed class PredictiveModelPageTests : MudContext, IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);
    private CoreDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        SignIn(Roles.Administrator);
        Services.AddSingleton(_database.Get<ConversionModels>());
        Services.AddSingleton(_database.Get<LikelihoodRefresh>());
        Services.AddSingleton(_database.Get<WeeklyRetrain>());
        Services.AddSingleton<TimeProvider>(_database.Clock);
        Services.AddScoped<ViewerClock>();
        await PredictionHistory.PublishRulesAsync(_database);
    }

    async Task IAsyncLifetime.DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Too_few_closed_leads_say_how_many_are_missing_and_training_cannot_start()
    {
        await PredictionHistory.CreateAsync(_database, won: 31, lost: 44, open: 1);

        var cut = RenderInteractive<PredictiveModelPage>();

        cut.WaitForAssertion(() => Assert.Equal(
            "Training needs at least 40 won and 40 lost leads: 9 more won and 0 more lost are missing.",
            cut.Find("[data-testid=not-enough]").TextContent.Trim()), s_wait);
        Assert.Equal("31 won (Converted), 44 lost (Lost)", cut.Find("[data-testid=closed-counts]").TextContent);
        Assert.True(cut.Find("[data-testid=train]").HasAttribute("disabled"));
        Assert.Contains("No model is live yet", cut.Find("[data-testid=no-model]").TextContent);
    }

    [Fact]
    public async Task Training_shows_the_live_model_with_its_held_out_measurements_its_confusion_matrix_and_its_version()
    {
        await PredictionHistory.CreateAsync(_database, won: 50, lost: 50, open: 2);
        var cut = RenderInteractive<PredictiveModelPage>();
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=train]").HasAttribute("disabled")), s_wait);

        await cut.InvokeAsync(() => cut.Find("[data-testid=train]").Click());

        cut.WaitForAssertion(() => Assert.Contains("Live model: version 1", cut.Find("[data-testid=live-model]").TextContent), s_wait);
        var live = (await _database.Get<ConversionModels>().CurrentAsync())!;
        Assert.Equal(live.Auc.ToString("0.00"), cut.Find("[data-testid=auc]").TextContent);
        Assert.Contains("AUC on 20 held-out leads", cut.Find("[data-testid=live-model]").TextContent);
        Assert.Equal(11, cut.FindAll("[data-testid=calibration] tr").Count);
        var half = live.Metrics.At(0.5);
        var cells = cut.FindAll("[data-testid=confusion] tbody td").Select(td => td.TextContent).ToList();
        Assert.Equal([half.TruePositives, half.FalseNegatives, half.FalsePositives, half.TrueNegatives], cells.Select(int.Parse));
        Assert.Single(cut.FindAll("[data-testid=model-version]"));
        Assert.Empty(cut.FindAll("[data-testid=make-live]"));
        Assert.Empty(cut.FindAll("[data-testid=not-enough]"));
    }
}
