using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Pages.Admin.ScoringRules;
using Bunit;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Web.Components.ScoringRules;

public sealed class WizardStepTests : MudContext
{
    private static RuleSetEditor Editor(params RuleDefinition[] rules) =>
        new(rules.Length == 0 ? null : RuleSet(rules), BehaviorCatalog.BuiltInOnly);

    [Fact]
    public void Typing_a_name_generates_the_api_name_live()
    {
        var editor = Editor();
        var cut = RenderInteractive<BasicInfoStep>(p => p.Add(c => c.Editor, editor));

        cut.Find("[data-testid=rule-set-name]").Input("Lead Engagement 2026");

        Assert.Equal("lead_engagement_2026__c", editor.Definition.ApiName);
        Assert.Equal("lead_engagement_2026__c", cut.Find("[data-testid=rule-set-api-name]").GetAttribute("value"));
    }

    [Fact]
    public void An_api_name_edited_by_hand_stops_following_the_name()
    {
        var editor = Editor();
        var cut = RenderInteractive<BasicInfoStep>(p => p.Add(c => c.Editor, editor));

        cut.Find("[data-testid=rule-set-api-name]").Input("custom_score__c");
        cut.Find("[data-testid=rule-set-name]").Input("Something Else");

        Assert.Equal("custom_score__c", editor.Definition.ApiName);
    }

    [Fact]
    public void A_malformed_api_name_and_an_empty_name_show_their_messages()
    {
        var editor = Editor();
        var cut = RenderInteractive<BasicInfoStep>(p => p.Add(c => c.Editor, editor));

        cut.Find("[data-testid=rule-set-api-name]").Input("Not Valid");
        cut.Find("[data-testid=rule-set-name]").Input("");

        cut.WaitForAssertion(() => Assert.Contains("must start with a letter, use only letters, digits and '_', and end in '__c'", cut.Markup));
        Assert.Contains("Name is required.", cut.Markup);
        Assert.Equal(2, editor.ErrorsOfStep(1).Count);
    }

    [Fact]
    public void Categories_and_stages_are_edited_in_the_first_step_a_rename_follows_into_rules_and_problems_mark_the_step()
    {
        var editor = Editor(Rule("Pricing", "website.visit", 15));
        var cut = RenderInteractive<CategoriesAndStagesStep>(p => p.Add(c => c.Editor, editor));
        Assert.NotNull(cut.Find("[data-testid=no-categories]"));
        Assert.Equal(["New", "Engaged", "Marketing qualified", "Sales qualified"], cut.FindAll("input[data-testid=stage-name]").Select(i => i.GetAttribute("value")));

        cut.Find("[data-testid=add-category]").Click();
        cut.Find("input[data-testid=category-name]").Input("CRM");
        editor.ReplaceRule(0, editor.Definition.Rules[0] with { Category = "CRM" });
        cut.Find("input[data-testid=category-name]").Input("CRM Suite");
        Assert.Equal("CRM Suite", editor.Definition.Rules[0].Category);

        cut.FindAll("input[data-testid=stage-advance]")[0].Input("0");
        cut.WaitForAssertion(() => Assert.Contains("Advance when the stage score reaches a number from 1 to 1,000,000; 0 is outside.", cut.Markup));
        Assert.Single(editor.ErrorsOfStep(1));
        cut.FindAll("input[data-testid=stage-advance]")[0].Input("20");
        Assert.Empty(editor.ErrorsOfStep(1));
        Assert.Equal(20, editor.Definition.Stages[0].AdvanceAt);

        cut.Find("[data-testid=category-row] button[aria-label='Remove category CRM Suite']").Click();
        Assert.Empty(editor.Definition.Categories);
        Assert.Null(editor.Definition.Rules[0].Category);
    }

    [Fact]
    public void Rules_are_listed_in_order_as_sentences_with_the_overlap_named()
    {
        var cut = RenderInteractive<RulesStep>(p => p.Add(c => c.Editor, Editor(SeedExample)));

        Assert.Equal(["Follow any account", "Follow ShareCRM"], cut.FindAll("[data-testid=rule-name]").Select(e => e.TextContent));
        Assert.Equal("Follows official account where accountId is sharecrm → +2", cut.FindAll("[data-testid=rule-sentence]")[1].TextContent);
        Assert.Contains("+1 and +2 → +3, two entries", cut.Find("[data-testid=conflict]").TextContent);
    }

    [Fact]
    public void Each_rule_shows_how_its_closed_leads_converted_and_a_hint_when_its_points_point_the_wrong_way()
    {
        // 100 closed, 40 converted: "Follow any account" scored 50 of which 10 converted (20 % against 60 % of the rest).
        var insights = new Dictionary<string, BehaviorPoints.Core.Predictive.RuleInsight>
        {
            ["Follow any account"] = BehaviorPoints.Core.Predictive.RuleInsights.Of("Follow any account", 1, 50, 10, 100, 40),
            ["Follow ShareCRM"] = BehaviorPoints.Core.Predictive.RuleInsights.Of("Follow ShareCRM", 2, 0, 0, 100, 40),
        };

        var cut = RenderInteractive<RulesStep>(p => p.Add(c => c.Editor, Editor(SeedExample)).Add(c => c.Insights, insights));

        var lines = cut.FindAll("[data-testid=rule-insight]").Select(e => string.Join(' ', e.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("Of 50 closed leads it scored, 20 % converted (95 % interval 11–33 %), against 60 % of the rest. Lift 0.3×.", lines[0]);
        Assert.Equal("It has scored no closed lead yet.", lines[1]);
        Assert.Contains("its points may point the wrong way", cut.Find("[data-testid=rule-insight-hint]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Moving_a_rule_down_reorders_the_list()
    {
        var editor = Editor(SeedExample);
        var cut = RenderInteractive<RulesStep>(p => p.Add(c => c.Editor, editor));

        cut.FindAll("[data-testid=move-down]")[0].Click();

        Assert.Equal(["Follow ShareCRM", "Follow any account"], editor.Definition.Rules.Select(r => r.Name));
        cut.WaitForAssertion(() => Assert.Equal("Follow ShareCRM", cut.FindAll("[data-testid=rule-name]")[0].TextContent));
        Assert.True(editor.IsDirty);
    }

    [Fact]
    public void An_empty_rule_list_explains_what_to_add()
    {
        var cut = RenderInteractive<RulesStep>(p => p.Add(c => c.Editor, Editor()));

        Assert.Contains("No rules yet", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=conflict]"));
    }

    [Fact]
    public void A_gap_in_the_ranges_is_named_live_and_the_number_line_waits_for_a_fix()
    {
        var editor = Editor(SeedExample);
        var cut = RenderInteractive<ResultFieldsStep>(p => p.Add(c => c.Editor, editor));
        Assert.Equal(3, cut.FindAll("[data-testid=range-segment]").Count);

        cut.FindAll("[data-testid=option-min]")[1].Input("60");

        cut.WaitForAssertion(() => Assert.Equal(
            "Gap: totals 50 to 59 fall in no option (between 'Low' and 'Medium').",
            cut.Find("[data-testid=range-problem]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=range-segment]"));
        Assert.Single(editor.ErrorsOfStep(3));
    }

    [Fact]
    public void Adding_an_option_splits_the_top_range_and_keeps_coverage()
    {
        var editor = Editor(SeedExample);
        var cut = RenderInteractive<ResultFieldsStep>(p => p.Add(c => c.Editor, editor));

        cut.FindAll("button").First(b => b.TextContent.Contains("Add option")).Click();

        Assert.Equal(4, editor.Definition.IntentField!.Options.Count);
        Assert.Empty(editor.ErrorsOfStep(3));
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=range-segment]").Count));
    }
}
