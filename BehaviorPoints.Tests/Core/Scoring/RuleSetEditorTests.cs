using System.Text.Json;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.RuleSets;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Scoring;

public sealed class RuleSetEditorTests
{
    [Fact]
    public void A_new_rule_set_starts_with_the_preset_name_and_the_default_intent_field()
    {
        var editor = new RuleSetEditor(null, BehaviorCatalog.BuiltInOnly);

        Assert.True(editor.IsNew);
        Assert.Equal("behavior_points__c", editor.Definition.ApiName);
        Assert.Equal(["Low", "Medium", "High"], editor.Definition.IntentField!.Options.Select(o => o.Label));
        Assert.True(editor.IsValid);
        Assert.False(editor.IsDirty);
    }

    [Fact]
    public void An_existing_rule_set_keeps_its_api_name_when_renamed()
    {
        var editor = new RuleSetEditor(RuleSet(SeedExample) with { ApiName = "points__c" }, BehaviorCatalog.BuiltInOnly);

        editor.SetName("Engagement");

        Assert.Equal("points__c", editor.Definition.ApiName);
        Assert.True(editor.IsDirty);
    }

    [Fact]
    public void Edits_recompute_problems_and_conflicts_and_saving_clears_dirty()
    {
        var editor = new RuleSetEditor(RuleSet(SeedExample[0]), BehaviorCatalog.BuiltInOnly);
        Assert.Empty(editor.Conflicts);

        editor.AddRule(SeedExample[1]);
        Assert.Single(editor.Conflicts);
        editor.AddRule(Rule("Follow any account", "form.submit", 0));
        Assert.Equal(["rules[2].name", "rules[2].points"], editor.ErrorsOfStep(2).Select(e => e.Field));

        editor.RemoveRule(2);
        Assert.True(editor.IsValid);
        editor.MarkSaved();
        Assert.False(editor.IsDirty);
    }

    [Fact]
    public void Moving_past_either_end_changes_nothing()
    {
        var editor = new RuleSetEditor(RuleSet(SeedExample), BehaviorCatalog.BuiltInOnly);

        editor.MoveRule(0, -1);
        editor.MoveRule(1, 1);

        Assert.False(editor.IsDirty);
    }

    [Fact]
    public void Turning_the_intent_field_off_and_on_restores_the_default_ranges()
    {
        var editor = new RuleSetEditor(null, BehaviorCatalog.BuiltInOnly);

        editor.SetIntentFieldEnabled(false);
        Assert.Null(editor.Definition.IntentField);
        editor.SetIntentFieldEnabled(true);

        Assert.Equal(IntentFieldDefinition.Default.Options, editor.Definition.IntentField!.Options);
    }
}

public sealed class RuleFormTests
{
    [Theory]
    [InlineData(false, -7, true, 7)]
    [InlineData(true, -7, true, 7)]
    [InlineData(false, 7, false, 7)]
    [InlineData(true, 7, true, 7)]
    [InlineData(false, 0, false, 0)]
    public void A_typed_negative_number_of_points_means_subtracting_that_many(bool subtracting, int typed, bool subtracts, int points)
    {
        var form = new RuleForm { Behavior = "email.unsubscribe", Subtract = subtracting };

        form.TypePoints(typed);

        Assert.Equal((subtracts, points), (form.Subtract, form.Points));
        Assert.Equal(subtracts ? -points : points, form.ToDefinition(BehaviorCatalog.BuiltInOnly).Points);
    }

    [Fact]
    public void Signed_points_limit_and_typed_conditions_make_the_rule()
    {
        var form = new RuleForm { Name = " Big spender ", Behavior = "purchase", Subtract = false, Points = 50, HasLimit = true, LimitTimes = 2, LimitPer = "month" };
        form.Conditions.Add(new ConditionForm { Attribute = "amount", Operator = "gte", Value = "1000" });
        form.Conditions.Add(new ConditionForm { Attribute = "productId", Operator = "equals", Value = "007" });
        var source = new ConditionForm { Attribute = "amount", Operator = "in" };
        source.Values.AddRange(["10", "20"]);
        form.Conditions.Add(source);

        var rule = form.ToDefinition(BehaviorCatalog.BuiltInOnly);

        Assert.Equal("Big spender", rule.Name);
        Assert.Equal(50, rule.Points);
        Assert.Equal(new RuleLimitDefinition { Times = 2, Per = "month" }, rule.Limit);
        Assert.Equal(JsonValueKind.Number, rule.Conditions[0].Value!.Value.ValueKind);
        Assert.Equal("007", rule.Conditions[1].Value!.Value.GetString()); // a text attribute keeps its leading zero
        Assert.Equal("[10,20]", rule.Conditions[2].Value!.Value.GetRawText()); // amount is a number attribute
    }

    [Fact]
    public void Subtract_makes_the_points_negative_and_round_trips()
    {
        var rule = new RuleForm { Name = "Unsubscribe", Behavior = "email.unsubscribe", Subtract = true, Points = 20 }.ToDefinition(BehaviorCatalog.BuiltInOnly);

        Assert.Equal(-20, rule.Points);
        var again = RuleForm.From(rule);
        Assert.True(again.Subtract);
        Assert.Equal(20, again.Points);
    }

    [Fact]
    public void Number_attributes_get_numeric_operators_and_text_ones_get_text_operators()
    {
        Assert.Contains("gte", ConditionForm.OperatorsFor(AttributeKind.Number));
        Assert.DoesNotContain("contains", ConditionForm.OperatorsFor(AttributeKind.Number));
        Assert.Contains("starts_with", ConditionForm.OperatorsFor(AttributeKind.Text));
        Assert.DoesNotContain("gt", ConditionForm.OperatorsFor(null));
    }
}
