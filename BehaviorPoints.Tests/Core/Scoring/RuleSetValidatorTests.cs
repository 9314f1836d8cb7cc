using BehaviorPoints.Core.Engine;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Scoring;

public sealed class RuleSetValidatorTests
{
    private static Dictionary<string, string> Problems(RuleSetDefinition definition, Func<string, bool>? apiNameTaken = null) =>
        RuleSetValidator.Validate(definition, BehaviorCatalog.BuiltInOnly, apiNameTaken)
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => string.Join(" | ", g.Select(e => e.Message)));

    [Fact]
    public void The_seed_example_is_valid()
    {
        Assert.Empty(Problems(RuleSet(SeedExample)));
    }

    [Theory]
    [InlineData("Behavior Points", "behavior_points__c")]
    [InlineData("  Lead  Engagement Score! ", "lead_engagement_score__c")]
    [InlineData("2026 campaign", "rule_set_2026_campaign__c")]
    [InlineData("积分", "rule_set__c")]
    public void The_api_name_is_generated_from_the_name(string name, string apiName)
    {
        Assert.Equal(apiName, RuleSetValidator.ApiNameFrom(name));
        Assert.Empty(Problems(RuleSet() with { Name = name, ApiName = apiName }));
    }

    [Theory]
    [InlineData("behavior_points", "must start with a letter")]
    [InlineData("behavior-points__c", "must start with a letter")]
    [InlineData("1points__c", "must start with a letter")]
    [InlineData("", "API name is required.")]
    public void A_malformed_api_name_is_refused(string apiName, string message)
    {
        Assert.Contains(message, Problems(RuleSet() with { ApiName = apiName })["apiName"]);
    }

    [Fact]
    public void An_api_name_used_by_another_rule_set_is_refused()
    {
        var problems = Problems(RuleSet(), name => name == "behavior_points__c");

        Assert.Equal("API name 'behavior_points__c' is already used by another rule set.", problems["apiName"]);
    }

    [Fact]
    public void Name_length_description_length_and_object_are_checked()
    {
        var problems = Problems(RuleSet() with { Name = new string('n', 101), Description = new string('d', 1001), Object = "Accounts" });

        Assert.Equal("Name is 101 characters long; the limit is 100.", problems["name"]);
        Assert.Equal("Description is 1001 characters long; the limit is 1000.", problems["description"]);
        Assert.Equal("Scoring object 'Accounts' is not supported; the only scoring object is Leads.", problems["object"]);
        Assert.Equal("Name is required.", Problems(RuleSet() with { Name = " " })["name"]);
    }

    [Theory]
    [InlineData(0, "Points must not be zero")]
    [InlineData(10_001, "Points must be between -10000 and 10000; 10001 is outside.")]
    [InlineData(-10_001, "Points must be between -10000 and 10000; -10001 is outside.")]
    public void Points_must_be_non_zero_and_within_bounds(int points, string message)
    {
        Assert.Contains(message, Problems(RuleSet(Rule("R", "form.submit", points)))["rules[0].points"]);
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(-10_000)]
    public void Points_at_the_bounds_are_accepted(int points)
    {
        Assert.Empty(Problems(RuleSet(Rule("R", "form.submit", points))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_condition_that_equals_nothing_is_refused_because_it_cannot_match(string empty)
    {
        var problems = Problems(RuleSet(Rule("Visit", "website.visit", 1, When("url", "equals", empty))));

        Assert.Equal("'equals' needs a value to compare with; to test that the attribute is there at all, use 'exists'.", problems["rules[0].conditions[0].value"]);
    }

    [Fact]
    public void A_condition_that_differs_from_nothing_is_kept()
    {
        Assert.Empty(Problems(RuleSet(Rule("Visit", "website.visit", 1, When("url", "not_equals", "")))));
    }

    [Fact]
    public void Every_problem_of_every_rule_is_reported_with_its_field()
    {
        var problems = Problems(RuleSet(
            Rule("", "no.such.behavior", 0),
            Rule("Dup", "form.submit", 1).Limited(0, "year"),
            Rule("dup", "website.visit", 1,
                When("url", "contains", ""),
                When("amount", "gt", "lots"),
                When("source", "in", Array.Empty<string>()),
                When("url", "exists", "x"),
                When("url", "like", "x"),
                When("", "equals", "x"))));

        Assert.Equal("Rule 1 needs a name.", problems["rules[0].name"]);
        Assert.Equal("'no.such.behavior' is not a known behavior type.", problems["rules[0].behavior"]);
        Assert.Contains("must not be zero", problems["rules[0].points"]);
        Assert.Equal("A limit allows at least 1 time.", problems["rules[1].limit.times"]);
        Assert.Equal("Limit period 'year' is not one of day, week, month, ever.", problems["rules[1].limit.per"]);
        Assert.Equal("Rule name 'dup' is already used by rule 2.", problems["rules[2].name"]);
        Assert.Equal("'contains' needs some text to look for.", problems["rules[2].conditions[0].value"]);
        Assert.Equal("'gt' compares numbers: the value must be a number.", problems["rules[2].conditions[1].value"]);
        Assert.Equal("'in' needs a non-empty list of values.", problems["rules[2].conditions[2].value"]);
        Assert.Equal("'exists' takes no value.", problems["rules[2].conditions[3].value"]);
        Assert.StartsWith("Operator 'like' is not one of equals, not_equals", problems["rules[2].conditions[4].operator"]);
        Assert.Equal("Choose an attribute.", problems["rules[2].conditions[5].attribute"]);
    }

    [Fact]
    public void Intent_ranges_with_a_gap_or_overlap_are_refused_with_the_totals_named()
    {
        var problems = Problems(RuleSet() with
        {
            IntentField = new IntentFieldDefinition
            {
                Name = "Intent Level",
                Options =
                [
                    new() { Label = "Low", Max = 40 },
                    new() { Label = "Medium", Min = 50, Max = 120 },
                    new() { Label = "High", Min = 101 },
                ],
            },
        });

        Assert.Equal(
            "Gap: totals 41 to 49 fall in no option (between 'Low' and 'Medium'). | Overlap: totals 101 to 120 fall in both 'Medium' and 'High'.",
            problems["intentField.options"]);
    }

    [Fact]
    public void Intent_options_need_labels_that_differ_and_a_range_that_runs_upwards()
    {
        var problems = Problems(RuleSet() with
        {
            IntentField = new IntentFieldDefinition
            {
                Name = "",
                Options = [new() { Label = "Low", Max = 10 }, new() { Label = "low", Min = 11, Max = 5 }, new() { Label = "", Min = 12 }],
            },
        });

        Assert.Equal("The field needs a name.", problems["intentField.name"]);
        Assert.Equal("Label 'low' is used twice.", problems["intentField.options[1].label"]);
        Assert.Equal("'low' starts at 11, above its end 5.", problems["intentField.options[1]"]);
        Assert.Equal("Option 3 needs a label.", problems["intentField.options[2].label"]);
    }

    [Fact]
    public void A_rule_set_without_an_intent_field_is_valid()
    {
        Assert.Empty(Problems(RuleSet(SeedExample) with { IntentField = null }));
    }

    private static RuleSetDefinition Fading(params (int Days, int Keep)[] steps) => RuleSet(Rule("Visit", "website.visit", 5) with
    {
        Decay = new DecayDefinition { Steps = [.. steps.Select(s => new DecayStepDefinition { AfterDays = s.Days, KeepPercent = s.Keep })] },
    });

    [Fact]
    public void A_fading_schedule_of_one_to_five_steps_is_valid()
    {
        Assert.Empty(Problems(Fading((30, 50), (90, 0))));
        Assert.Empty(Problems(Fading((1, 99), (2, 80), (3, 60), (4, 40), (3650, 0))));
    }

    [Fact]
    public void A_schedule_without_steps_or_with_more_than_five_is_refused()
    {
        Assert.Contains("1 to 5 steps; this schedule has 0", Problems(Fading())["rules[0].decay.steps"]);
        Assert.Contains("has 6", Problems(Fading((1, 90), (2, 80), (3, 70), (4, 60), (5, 50), (6, 40)))["rules[0].decay.steps"]);
    }

    [Theory]
    [InlineData(0, 50, "rules[0].decay.steps[0].afterDays", "Step 1: days must be between 1 and 3650; 0 is outside.")]
    [InlineData(3651, 50, "rules[0].decay.steps[0].afterDays", "Step 1: days must be between 1 and 3650; 3651 is outside.")]
    [InlineData(30, 100, "rules[0].decay.steps[0].keepPercent", "Step 1: the share kept must be between 0 and 99 %; 100 is outside.")]
    [InlineData(30, -1, "rules[0].decay.steps[0].keepPercent", "Step 1: the share kept must be between 0 and 99 %; -1 is outside.")]
    public void A_step_out_of_range_is_refused_by_name(int days, int keep, string field, string message)
    {
        Assert.Equal(message, Problems(Fading((days, keep)))[field]);
    }

    [Fact]
    public void Steps_must_come_later_and_keep_less_each_time()
    {
        var problems = Problems(Fading((30, 50), (30, 50)));

        Assert.Contains("Step 2 comes after 30 days, not later than step 1 (30 days)", problems["rules[0].decay.steps[1].afterDays"]);
        Assert.Contains("Step 2 keeps 50 %, not less than step 1 (50 %)", problems["rules[0].decay.steps[1].keepPercent"]);
        Assert.Contains("rules[0].decay.steps[1].afterDays", Problems(Fading((90, 50), (30, 0))).Keys);
    }
}
