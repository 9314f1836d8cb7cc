using BehaviorPoints.Core.Engine;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Scoring;

public sealed class ScoringEngineTests
{
    private static IReadOnlyList<RuleHit> Score(CompiledRuleSet rules, BehaviorOccurrence behavior, ILimitCounts? counts = null) =>
        ScoringEngine.Score(rules, behavior, counts ?? LimitCounts.None);

    [Fact]
    public void Every_matching_rule_writes_its_own_entry()
    {
        var rules = Compiled(SeedExample);

        var hits = Score(rules, Behavior("official_account.follow", new { accountId = "sharecrm", accountName = "ShareCRM" }));

        Assert.Equal([("Follow any account", 1), ("Follow ShareCRM", 2)], hits.Select(h => (h.Rule.Name, h.Points)));
        Assert.Equal(3, hits.Sum(h => h.Points));
    }

    [Fact]
    public void A_follow_of_another_account_matches_only_the_general_rule()
    {
        var hits = Score(Compiled(SeedExample), Behavior("official_account.follow", new { accountId = "othercorp" }));

        Assert.Equal(["Follow any account"], hits.Select(h => h.Rule.Name));
    }

    [Fact]
    public void Rules_apply_in_rule_set_order_whatever_their_points()
    {
        var rules = Compiled(
            Rule("Third", "content.view", 5).Limited(1, "ever") with { Name = "First" },
            Rule("Second", "content.view", -2),
            Rule("Other behavior", "form.submit", 10),
            Rule("Last", "content.view", 1));

        var hits = Score(rules, Behavior("content.view"));

        Assert.Equal(["First", "Second", "Last"], hits.Select(h => h.Rule.Name));
        Assert.Equal([0, 1, 3], hits.Select(h => h.Rule.Position));
    }

    [Fact]
    public void A_behavior_no_rule_names_produces_nothing()
    {
        Assert.Empty(Score(Compiled(SeedExample), Behavior("purchase", new { amount = 5000 })));
    }

    [Fact]
    public void Negative_points_subtract()
    {
        var hits = Score(Compiled(Rule("Unsubscribed", "email.unsubscribe", -20)), Behavior("email.unsubscribe"));

        Assert.Equal(-20, Assert.Single(hits).Points);
    }

    [Fact]
    public void All_conditions_of_a_rule_must_hold()
    {
        var rules = Compiled(Rule("Long product video", "content.view", 4,
            When("contentType", "equals", "video"), When("durationSeconds", "gte", 120)));

        Assert.Single(Score(rules, Behavior("content.view", new { contentType = "video", durationSeconds = 300 })));
        Assert.Empty(Score(rules, Behavior("content.view", new { contentType = "video", durationSeconds = 30 })));
        Assert.Empty(Score(rules, Behavior("content.view", new { contentType = "article", durationSeconds = 300 })));
    }

    public static TheoryData<string, object?, object?, bool> Operators => new()
    {
        // operator, condition value, attribute value (null = attribute missing), matches
        { "equals", "ShareCRM", "sharecrm", true },
        { "equals", "sharecrm", "ShareCRM Ltd", false },
        { "equals", 10, 10.0, true },
        { "equals", 10, "10", true },
        { "equals", true, true, true },
        { "equals", "x", null, false },
        { "not_equals", "sharecrm", "other", true },
        { "not_equals", "sharecrm", "SHARECRM", false },
        { "not_equals", "sharecrm", null, true },
        { "contains", "pricing", "https://example.com/PRICING/plans", true },
        { "contains", "pricing", "https://example.com/docs", false },
        { "contains", "pricing", null, false },
        { "starts_with", "https://example.com", "HTTPS://EXAMPLE.COM/pricing", true },
        { "starts_with", "example", "https://example.com", false },
        { "starts_with", "x", null, false },
        { "in", new[] { "ads", "search" }, "Search", true },
        { "in", new[] { "ads", "search" }, "social", false },
        { "in", new object[] { 1, 2, 3 }, 2, true },
        { "in", new[] { "ads" }, null, false },
        { "gt", 100, 101, true },
        { "gt", 100, 100, false },
        { "gt", 100, "not a number", false },
        { "gt", 100, null, false },
        { "gte", 100, 100, true },
        { "gte", 100, 99.5, false },
        { "gte", 100, "150", true },
        { "lt", 10, 9, true },
        { "lt", 10, 10, false },
        { "lt", 10, true, false },
        { "lte", 10, 10, true },
        { "lte", 10, 10.01, false },
        { "lte", 10, "ten", false },
        { "exists", null, "anything", true },
        { "exists", null, 0, true },
        { "exists", null, null, false },
    };

    [Theory]
    [MemberData(nameof(Operators))]
    public void Each_operator_matches_as_specified(string op, object? conditionValue, object? attributeValue, bool matches)
    {
        var rules = Compiled(Rule("Rule", "website.visit", 1, When("value", op, conditionValue)));
        var behavior = attributeValue is null
            ? Behavior("website.visit", new { other = "x" })
            : Behavior("website.visit", new Dictionary<string, object> { ["value"] = attributeValue });

        Assert.Equal(matches, Score(rules, behavior).Count == 1);
    }

    [Fact]
    public void Attribute_names_in_conditions_ignore_case()
    {
        var rules = Compiled(Rule("Rule", "official_account.follow", 1, When("ACCOUNTID", "equals", "sharecrm")));

        Assert.Single(Score(rules, Behavior("official_account.follow", new { accountId = "ShareCRM" })));
    }

    [Theory]
    [InlineData("day", "2026-11-20T23:59:00Z", "2026-11-21T00:00:00Z")]
    [InlineData("week", "2026-11-22T23:59:00Z", "2026-11-23T00:00:00Z")] // Sunday, then Monday: a new ISO week
    [InlineData("month", "2026-11-30T23:59:00Z", "2026-12-01T00:00:00Z")]
    public void A_limit_counts_within_its_calendar_period_in_utc(string per, string lastInPeriod, string firstOfNext)
    {
        var rules = Compiled(Rule("Open email", "email.open", 1).Limited(2, per));
        var counts = new LimitCounts();
        var first = DateTimeOffset.Parse(lastInPeriod).UtcDateTime;

        var applied = new List<int>();
        foreach (var at in new[] { first.AddHours(-1), first.AddMinutes(-30), first, DateTimeOffset.Parse(firstOfNext).UtcDateTime })
        {
            var hits = Score(rules, Behavior("email.open", at: at), counts);
            counts.Record(hits);
            applied.Add(hits.Count);
        }

        Assert.Equal([1, 1, 0, 1], applied);
    }

    [Fact]
    public void An_ever_limit_never_resets()
    {
        var rules = Compiled(SeedExample[0], SeedExample[1].Limited(1, "ever"));
        var counts = new LimitCounts();
        var totals = new List<int>();
        foreach (var year in new[] { 2026, 2027, 2030 })
        {
            var hits = Score(rules, Behavior("official_account.follow", new { accountId = "sharecrm" }, new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc)), counts);
            counts.Record(hits);
            totals.Add(hits.Sum(h => h.Points));
        }

        Assert.Equal([3, 1, 1], totals);
    }

    [Fact]
    public void A_used_up_limit_skips_only_its_own_rule()
    {
        var rules = Compiled(SeedExample[0].Limited(1, "day"), SeedExample[1]);
        var counts = new LimitCounts();
        counts.Set(rules.Rules.Single(r => r.Name == "Follow any account"), "2026-11-20", 1);

        var hits = Score(rules, Behavior("official_account.follow", new { accountId = "sharecrm" }), counts);

        Assert.Equal(["Follow ShareCRM"], hits.Select(h => h.Rule.Name));
    }

    [Theory]
    [InlineData("2026-11-20T00:00:00Z", LimitPeriod.Day, "2026-11-20")]
    [InlineData("2026-11-20T00:00:00Z", LimitPeriod.Week, "2026-W47")]
    [InlineData("2027-01-01T00:00:00Z", LimitPeriod.Week, "2026-W53")]
    [InlineData("2026-11-20T00:00:00Z", LimitPeriod.Month, "2026-11")]
    [InlineData("2026-11-20T00:00:00Z", LimitPeriod.Ever, "ever")]
    public void Period_keys_name_the_utc_calendar_period(string at, LimitPeriod period, string key)
    {
        Assert.Equal(key, period.KeyFor(DateTimeOffset.Parse(at).UtcDateTime));
    }
}
