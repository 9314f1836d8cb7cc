using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Tests.Core.Scoring;

public sealed class ScoreTriggerTests
{
    private static TriggerScores Scores(string? level, long crm = 0) => new(level, new Dictionary<string, long> { ["CRM"] = crm });

    [Fact]
    public void A_category_trigger_fires_when_the_score_reaches_the_number_from_below_and_not_while_it_stays_above()
    {
        var trigger = new ScoreTrigger.CategoryScoreReached("CRM", 60);

        Assert.False(trigger.Entered(Scores("Low", 0), Scores("Low", 59)));
        Assert.True(trigger.Entered(Scores("Low", 59), Scores("Low", 60)));
        Assert.False(trigger.Entered(Scores("Low", 60), Scores("Low", 90)));
        Assert.False(trigger.Entered(Scores("Low", 90), Scores("Low", 40)));
        Assert.True(trigger.Entered(Scores("Low", 40), Scores("Low", 75)), "re-armed after the lead left");
        Assert.False(new ScoreTrigger.CategoryScoreReached("Marketing Cloud", 1).IsInside(Scores("Low", 500)));
    }

    [Fact]
    public void A_level_trigger_counts_higher_levels_as_inside_so_a_jump_past_it_fires_and_a_step_down_inside_does_not()
    {
        var trigger = new ScoreTrigger.IntentLevelReached("Medium", IntentBands.Default);

        Assert.True(trigger.Entered(Scores("Low"), Scores("High")));
        Assert.True(trigger.Entered(Scores(null), Scores("medium")));
        Assert.False(trigger.Entered(Scores("High"), Scores("Medium")));
        Assert.False(trigger.Entered(Scores("Medium"), Scores("Low")));
        Assert.False(new ScoreTrigger.IntentLevelReached("Urgent", IntentBands.Default).IsInside(Scores("High")));
    }
}
