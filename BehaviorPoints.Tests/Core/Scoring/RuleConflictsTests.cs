using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.RuleSets;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Scoring;

public sealed class RuleConflictsTests
{
    private static IReadOnlyList<RuleConflict> Find(params RuleDefinition[] rules) => RuleConflicts.Find(RuleSet(rules), BehaviorCatalog.BuiltInOnly);

    [Fact]
    public void The_seed_example_is_named_as_plus_one_and_plus_two_making_three_in_two_entries()
    {
        var conflict = Assert.Single(Find(SeedExample));

        Assert.Equal(
            "'Follow any account' and 'Follow ShareCRM' can match the same behavior (Follows official account with accountId sharecrm): it would get +1 and +2 → +3, two entries.",
            conflict.Message);
        Assert.Equal([0, 1], conflict.RuleIndexes);
        Assert.Equal(3, conflict.Total);
    }

    [Fact]
    public void Rules_on_different_behaviors_never_conflict()
    {
        Assert.Empty(Find(Rule("Follow", "official_account.follow", 1), Rule("Unfollow", "official_account.unfollow", -1)));
    }

    public static TheoryData<object[], object[], bool> ConditionPairs => new()
    {
        // conditions of rule A, conditions of rule B (attribute, operator, value), can both match
        { ["source", "equals", "ads"], ["source", "equals", "search"], false },
        { ["source", "equals", "ads"], ["source", "not_equals", "ads"], false },
        { ["source", "equals", "ads"], ["source", "not_equals", "search"], true },
        { ["source", "in", new[] { "ads", "search" }], ["source", "in", new[] { "social" }], false },
        { ["source", "in", new[] { "ads", "search" }], ["source", "equals", "search"], true },
        { ["amount", "gt", 1000], ["amount", "lt", 500], false },
        { ["amount", "gt", 5], ["amount", "lt", 5.5], true },
        { ["amount", "gte", 100], ["amount", "lte", 100], true },
        { ["amount", "gt", 100], ["amount", "lte", 100], false },
        { ["amount", "equals", 50], ["amount", "gte", 100], false },
        { ["url", "starts_with", "https://example.com"], ["url", "contains", "pricing"], true },
        { ["url", "starts_with", "https://a.com"], ["url", "starts_with", "https://b.com"], false },
        { ["url", "exists", null!], ["url", "not_equals", "x"], true },
        { ["url", "contains", "pricing"], ["source", "equals", "ads"], true },
    };

    [Theory]
    [MemberData(nameof(ConditionPairs))]
    public void Conditions_conflict_only_when_some_behavior_satisfies_both(object[] a, object[] b, bool conflict)
    {
        var found = Find(
            Rule("A", "website.visit", 1, When((string)a[0], (string)a[1], a[2])),
            Rule("B", "website.visit", 2, When((string)b[0], (string)b[1], b[2])));

        Assert.Equal(conflict, found.Count == 1);
    }

    [Fact]
    public void Three_rules_that_can_all_match_are_reported_with_their_sum()
    {
        var conflict = Assert.Single(Find(
            Rule("Any visit", "website.visit", 1),
            Rule("Pricing", "website.visit", 10, When("url", "contains", "/pricing")),
            Rule("From ads", "website.visit", 2, When("source", "in", new[] { "ads", "search" }))));

        Assert.Equal(["Any visit", "Pricing", "From ads"], conflict.RuleNames);
        Assert.Equal(13, conflict.Total);
        Assert.EndsWith("+1, +10 and +2 → +13, three entries.", conflict.Message);
    }

    [Fact]
    public void Groups_that_cannot_merge_are_reported_separately()
    {
        var conflicts = Find(
            Rule("Any visit", "website.visit", 1),
            Rule("From ads", "website.visit", 2, When("source", "equals", "ads")),
            Rule("From search", "website.visit", 3, When("source", "equals", "search")));

        Assert.Equal([[0, 1], [0, 2]], conflicts.Select(c => c.RuleIndexes.ToArray()));
    }

    [Fact]
    public void Limited_rules_say_the_total_holds_while_limits_allow()
    {
        var conflict = Assert.Single(Find(SeedExample[0], SeedExample[1].Limited(1, "ever")));

        Assert.EndsWith("(while their limits allow).", conflict.Message);
    }

    [Fact]
    public void Invalid_rules_are_left_out_rather_than_guessed_at()
    {
        Assert.Empty(Find(SeedExample[0], SeedExample[1] with { Points = 0 }));
    }
}
