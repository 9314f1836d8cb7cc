using BehaviorPoints.Core.Predictive;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Core.Predictive;

/// <summary>Which rules earn their points: conversion of the closed leads a rule scored against the rest, with a Wilson interval.</summary>
public sealed class RuleInsightsTests
{
    [Theory]
    // Values from the Wilson score interval's formula at z = 1.95996 (e.g. Agresti and Coull's 8 of 10: 0.490 to 0.943).
    [InlineData(8, 10, 0.4901625, 0.9433178)]
    [InlineData(0, 10, 0.0, 0.2775328)]
    [InlineData(50, 100, 0.4038315, 0.5961685)]
    [InlineData(1, 1, 0.2065493, 1.0)]
    public void The_wilson_interval_matches_known_values(int successes, int trials, double low, double high)
    {
        var interval = RuleInsights.Wilson(successes, trials)!.Value;

        Assert.Equal(low, interval.Low, 6);
        Assert.Equal(high, interval.High, 6);
    }

    [Fact]
    public void No_trials_have_no_interval() => Assert.Null(RuleInsights.Wilson(0, 0));

    [Fact]
    public void A_rule_whose_leads_convert_less_than_the_rest_although_it_adds_points_points_the_wrong_way()
    {
        // 100 closed, 40 converted. The rule scored 50 of them, of which 10 converted (20 %); the other 50 converted 30 of 50 (60 %).
        var insight = RuleInsights.Of("Newsletter opens", 5, scored: 50, convertedScored: 10, closed: 100, converted: 40);

        Assert.Equal(0.2, insight.ConversionRate!.Value, 9);
        Assert.Equal(0.6, insight.ConversionRateWithout!.Value, 9);
        Assert.Equal(1.0 / 3, insight.Lift!.Value, 9);
        Assert.True(insight.High < 0.6);
        Assert.True(insight.PointsPointTheWrongWay);
        // The same counts for a rule that takes points away point the right way.
        Assert.False(RuleInsights.Of("Unsubscribes", -5, 50, 10, 100, 40).PointsPointTheWrongWay);
        // An interval that reaches the others' rate says nothing either way.
        Assert.False(RuleInsights.Of("Few", 5, 4, 1, 100, 40).PointsPointTheWrongWay);
    }

    [Fact]
    public void High_over_low_is_the_top_level_s_rate_over_the_bottom_one_s_and_needs_a_bottom_that_converted()
    {
        LevelConversion[] levels = [new("Low", 100, 10), new("Medium", 40, 12), new("High", 50, 20)];

        var lift = LevelConversion.TopOverBottom(levels)!.Value;

        Assert.Equal(("High", "Low"), (lift.Top.Level, lift.Bottom.Level));
        Assert.Equal(4.0, lift.Times, 9);
        Assert.Null(LevelConversion.TopOverBottom([new("Low", 100, 0), new("High", 50, 20)]));
        Assert.Null(LevelConversion.TopOverBottom([new("Low", 100, 10), new("High", 0, 0)]));
    }

    [Fact]
    public async Task Insights_count_the_closed_leads_each_rule_scored_before_they_closed()
    {
        await using var database = await CoreDatabase.CreateAsync();
        await PredictionHistory.PublishRulesAsync(database);
        await PredictionHistory.CreateAsync(database, won: 20, lost: 20, open: 4);

        var summary = await database.Get<RuleInsights>().SummaryAsync();

        Assert.Equal((40, 20), (summary.Closed, summary.Converted));
        var webinar = summary.Rules.Single(r => r.RuleName == "Webinar");
        // Keen leads attend a webinar: 16 of the 20 won (every fifth won lead is quiet) and 4 of the 20 lost.
        Assert.Equal((20, 16), (webinar.ClosedLeadsScored, webinar.ConvertedScored));
        Assert.Equal(0.8, webinar.ConversionRate!.Value, 9);
        Assert.Equal(0.2, webinar.ConversionRateWithout!.Value, 9);
        Assert.Equal(4, webinar.Lift!.Value, 9);
        Assert.Equal(RuleInsights.Wilson(16, 20)!.Value.Low, webinar.Low!.Value, 9);
        var unsubscribe = summary.Rules.Single(r => r.RuleName == "Unsubscribe");
        Assert.Equal((20, 4), (unsubscribe.ClosedLeadsScored, unsubscribe.ConvertedScored));
        Assert.False(unsubscribe.PointsPointTheWrongWay);
        Assert.Equal(["Visit", "Webinar", "Unsubscribe"], summary.Rules.Select(r => r.RuleName));
        Assert.Equal(40, summary.ByIntentLevel.Sum(l => l.Closed));
        Assert.Equal(20, summary.ByIntentLevel.Sum(l => l.Converted));
    }
}
