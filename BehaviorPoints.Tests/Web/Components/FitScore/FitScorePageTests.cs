using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Tests.Core.Fit;
using BehaviorPoints.Tests.Support;
using Bunit;
using FitScorePage = BehaviorPoints.Web.Components.Pages.Admin.FitScore.FitScore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BehaviorPoints.Tests.Web.Components.FitScore;

public sealed class FitScorePageTests : MudContext, IAsyncLifetime
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private CoreDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        SignIn(Roles.Administrator);
        Services.AddSingleton(_database.Get<FitModelService>());
        Services.AddSingleton(_database.Get<FitRecalculation>());
        Services.AddSingleton<TimeProvider>(_database.Clock);
    }

    async Task IAsyncLifetime.DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public void A_new_model_shows_an_empty_state_and_cannot_be_published()
    {
        var cut = RenderInteractive<FitScorePage>();

        cut.WaitForAssertion(() => Assert.Contains("No fit rules yet.", cut.Find("[data-testid=no-fit-rules]").TextContent), s_wait);
        Assert.True(cut.Find("[data-testid=publish-fit]").HasAttribute("disabled"));
        Assert.Equal("Low below 20 · Medium 20 to 49 · High from 50", cut.Find("[data-testid=fit-bands]").TextContent);
        Assert.Contains("Nothing published yet", cut.Markup);
    }

    [Theory]
    [InlineData("high-from", "-100", "High from -100 is not above Medium from 20")]
    [InlineData("medium-from", "60", "High from 50 is not above Medium from 60")]
    public async Task Bands_out_of_order_say_why_in_place_of_the_summary_whichever_field_was_changed(string field, string value, string message)
    {
        await _database.Get<FitModelService>().SaveDraftAsync(FitModelTests.Example with { Bands = new FitBandsDefinition { MediumFrom = 20, HighFrom = 50 } });
        var cut = RenderInteractive<FitScorePage>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=fit-rule-row]").Count), s_wait);

        cut.Find($"input[data-testid={field}]").Input(value);

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Find("[data-testid=fit-bands-error]").TextContent), s_wait);
        Assert.Empty(cut.FindAll("[data-testid=fit-bands]"));
        Assert.True(cut.Find("[data-testid=save-fit-draft]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task High_above_the_highest_reachable_score_warns_but_still_saves()
    {
        await _database.Get<FitModelService>().SaveDraftAsync(FitModelTests.Example);
        var cut = RenderInteractive<FitScorePage>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=fit-rule-row]").Count), s_wait);

        cut.Find("input[data-testid=high-from]").Input("70");

        cut.WaitForAssertion(() => Assert.Equal(
            "No lead can reach High: these rules add up to at most 65 points, and High begins at 70.",
            cut.Find("[data-testid=fit-bands-warning]").TextContent.Trim()), s_wait);
        Assert.False(cut.Find("[data-testid=save-fit-draft]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Saved_rules_read_as_sentences_and_bands_that_overlap_block_saving_with_the_reason()
    {
        await _database.Get<FitModelService>().SaveDraftAsync(FitModelTests.Example);
        var cut = RenderInteractive<FitScorePage>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=fit-rule-row]").Count), s_wait);

        var first = cut.FindAll("[data-testid=fit-rule-row]")[0].TextContent;
        Assert.Contains("Industry is one of Software, Finance", first);
        Assert.Contains("+30", first);
        Assert.Contains("−50", cut.FindAll("[data-testid=fit-rule-row]")[3].TextContent);
        Assert.Contains("Possible scores with these rules: -50 to 65", cut.Markup);

        await cut.InvokeAsync(() => cut.FindComponents<MudNumericField<int>>().Single(f => f.Instance.Label == "High from").Instance.ValueChanged.InvokeAsync(30));

        cut.WaitForAssertion(() => Assert.Contains("High fit must begin above Medium", cut.Markup));
        Assert.True(cut.Find("[data-testid=save-fit-draft]").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-testid=publish-fit]").HasAttribute("disabled"));
        Assert.Contains("Unsaved changes.", cut.Find("[data-testid=fit-status]").TextContent);
    }

    [Fact]
    public void A_value_typed_and_entered_becomes_a_chip_of_the_rule_and_its_sentence()
    {
        Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var cut = RenderInteractive<FitScorePage>();
        cut.WaitForElement("[data-testid=no-fit-rules]", s_wait);

        // The click's handler waits for the dialog's result, so it is not awaited here.
        _ = cut.Find("[data-testid=add-fit-rule]").ClickAsync(new());
        dialogs.WaitForElement("input[data-testid=fit-rule-name]", s_wait).Input("Retail");
        var value = dialogs.Find("input[data-testid=fit-rule-value-input]");
        value.Input("  Retail ");
        value.KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });
        dialogs.Find("input[data-testid=fit-rule-points]").Input("30");

        dialogs.WaitForAssertion(() => Assert.Equal("Industry is one of Retail: +30", dialogs.Find("[data-testid=fit-rule-preview]").TextContent.Trim()), s_wait);
        Assert.Equal("", dialogs.Find("input[data-testid=fit-rule-value-input]").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task The_background_recompute_shows_its_progress_with_counts()
    {
        for (var i = 0; i < 3; i++)
        {
            await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = $"Lead {i}", Industry = "Software" }, LeadAccess.All);
        }
        var cut = RenderInteractive<FitScorePage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=fit-status]")), s_wait);

        await _database.Get<FitModelService>().SaveDraftAsync(FitModelTests.Example);
        await _database.Get<FitModelService>().PublishAsync("tests");
        await _database.Get<FitRecalculation>().RunAsync();

        cut.WaitForAssertion(() => Assert.Contains("3 of 3 leads", cut.Find("[data-testid=fit-progress-counts]").TextContent), s_wait);
        Assert.Contains("Fit recomputed under version 1.", cut.Find("[data-testid=fit-progress]").TextContent);
    }
}
