using BehaviorPoints.Core.Demo;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Routing;

namespace BehaviorPoints.Tests.Core.Demo;

/// <summary>
/// The demo a first start in Chinese publishes: the same rules, model and routing as the English one, named in Chinese,
/// and each valid as it will be published (the routing against the Chinese rule set's levels).
/// </summary>
public sealed class ChineseDemoTests
{
    [Fact]
    public void The_rule_set_is_the_English_one_with_every_name_in_Chinese()
    {
        var english = DemoRuleSet.Definition;
        var chinese = DemoRuleSet.Chinese;

        Assert.Empty(RuleSetValidator.Validate(chinese, BehaviorCatalog.BuiltInOnly));
        Assert.Equal("行为积分", chinese.Name);
        Assert.Equal("意向度", chinese.IntentField!.Name);
        Assert.Equal(["低", "中", "高"], chinese.IntentField.Options.Select(o => o.Label));
        Assert.Equal(english.Rules.Select(r => (r.Behavior, r.Points, r.Limit, r.Decay)), chinese.Rules.Select(r => (r.Behavior, r.Points, r.Limit, r.Decay)));
        Assert.All(chinese.Rules.Select(r => r.Name).Concat(chinese.Categories.Select(c => c.Name)).Concat(chinese.Stages.Select(s => s.Name)),
            name => Assert.DoesNotMatch("[a-z]{3}", name));
        Assert.Equal(english.Rules.Count(r => r.Category is not null), chinese.Rules.Count(r => r.Category is not null));
    }

    [Fact]
    public void The_fit_model_and_the_routing_rules_are_valid_against_the_Chinese_names()
    {
        Assert.Empty(FitModelValidator.Validate(DemoFitModel.Chinese));
        Assert.All(DemoFitModel.Chinese.Rules, r => Assert.DoesNotMatch("[a-z]{3}", r.Name));

        var ruleSet = DemoRuleSet.Chinese;
        var names = new RoutingNames(
            [.. ruleSet.IntentField!.Options.Select(o => o.Label)], [.. ruleSet.Categories.Select(c => c.Name)], ["North", "South", "Enterprise"], []);
        Assert.Empty(RoutingRuleValidator.Validate(DemoRouting.Chinese, names));
        Assert.NotEmpty(RoutingRuleValidator.Validate(DemoRouting.Rules, names));
    }
}
