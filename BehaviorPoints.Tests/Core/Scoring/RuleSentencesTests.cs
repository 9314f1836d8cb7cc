using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.RuleSets;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Scoring;

public sealed class RuleSentencesTests
{
    [Theory]
    [InlineData(1, "ever", "at most once per lead")]
    [InlineData(2, "day", "at most twice per lead per day")]
    [InlineData(5, "week", "at most 5 times per lead per week")]
    [InlineData(3, "month", "at most 3 times per lead per month")]
    public void Limits_read_as_words(int times, string per, string words)
    {
        Assert.Equal(words, RuleSentences.Describe(new RuleLimitDefinition { Times = times, Per = per }));
    }

    [Fact]
    public void A_rule_reads_back_as_one_plain_sentence()
    {
        var sentence = RuleSentences.Describe(SeedExample[1].Limited(1, "ever"), BehaviorCatalog.BuiltInOnly);

        Assert.Equal("Follows official account where accountId is sharecrm → +2, at most once per lead", sentence);
    }

    [Fact]
    public void Negative_points_lists_and_numbers_read_naturally()
    {
        var sentence = RuleSentences.Describe(
            Rule("R", "website.visit", -5, When("source", "in", new[] { "ads", "search" }), When("duration", "gte", 30), When("url", "exists")),
            BehaviorCatalog.BuiltInOnly);

        Assert.Equal("Visits website where source is one of ads, search and duration is at least 30 and url is present → −5", sentence);
    }
}
