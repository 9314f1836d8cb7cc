using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Routing;

namespace BehaviorPoints.Tests.Core.Routing;

/// <summary>Edge-triggered firing and re-arming over score sequences, without a database.</summary>
public sealed class RoutingRuleFiringTests
{
    private static readonly DateTime s_start = new(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);

    private static CompiledRoutingRule Rule(string level = "High", int minIntervalDays = 7) => new(new RoutingRuleDefinition
    {
        Name = "Hot leads",
        Trigger = new RoutingTriggerDefinition { IntentLevel = level },
        MinIntervalDays = minIntervalDays,
    });

    // Walks a lead's totals, one change a day, and returns the days on which the rule fired.
    private static List<int> FiringDays(CompiledRoutingRule rule, params long[] totals)
    {
        var bands = IntentBands.Default; // Low ≤ 49, Medium 50–100, High ≥ 101
        var days = new List<int>();
        DateTime? lastFired = null;
        var before = new TriggerScores(bands.LevelOf(0), new Dictionary<string, long>());
        for (var day = 0; day < totals.Length; day++)
        {
            var after = new TriggerScores(bands.LevelOf(totals[day]), new Dictionary<string, long>());
            var now = s_start.AddDays(day);
            if (rule.Fires(before, after, bands, lastFired, now))
            {
                days.Add(day);
                lastFired = now;
            }
            before = after;
        }
        return days;
    }

    [Fact]
    public void It_fires_on_entering_never_while_inside_and_again_only_after_leaving_and_the_interval()
    {
        //                              day: 0   1    2    3    4   5    6    7   8   9    10   11
        Assert.Equal([1, 10], FiringDays(Rule(), 40, 120, 150, 130, 90, 110, 200, 60, 30, 20, 105, 300));
    }

    [Fact]
    public void With_no_interval_every_entry_fires_and_a_jump_from_low_past_the_level_counts_as_entering()
    {
        Assert.Equal([1, 3, 5], FiringDays(Rule(minIntervalDays: 0), 10, 500, 40, 101, 100, 102));
        Assert.Equal([1, 4], FiringDays(Rule("Medium", 0), 10, 150, 120, 49, 50));
    }

    [Fact]
    public void A_rule_held_back_does_not_fire_later_while_the_lead_stays_inside()
    {
        // Back inside on day 3, within the week: held back; still inside on day 12, past the week: no new entry, no firing.
        Assert.Equal([0], FiringDays(Rule(), 120, 30, 30, 130, 130, 130, 130, 130, 130, 130, 130, 130, 130));
    }

    [Fact]
    public void A_category_trigger_counts_the_category_score_alone()
    {
        var rule = new CompiledRoutingRule(new RoutingRuleDefinition { Name = "CRM", Trigger = new RoutingTriggerDefinition { Category = "CRM", MinScore = 50 }, MinIntervalDays = 0 });
        TriggerScores Scores(long crm, long service) => new("Low", new Dictionary<string, long> { ["CRM"] = crm, ["Service Cloud"] = service });
        Assert.True(rule.Fires(Scores(40, 0), Scores(55, 0), IntentBands.Default, null, s_start));
        Assert.False(rule.Fires(Scores(40, 0), Scores(40, 90), IntentBands.Default, null, s_start));
        Assert.False(rule.Fires(Scores(55, 0), Scores(80, 0), IntentBands.Default, null, s_start));
    }
}
