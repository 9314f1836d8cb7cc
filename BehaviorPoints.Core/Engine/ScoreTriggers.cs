namespace BehaviorPoints.Core.Engine;

/// <summary>A lead's numbers a trigger reads: its intent level and its category scores.</summary>
public sealed record TriggerScores(string? IntentLevel, IReadOnlyDictionary<string, long> Categories);

/// <summary>
/// What the acting-on-the-score rules (SPEC §10) fire on: a lead reaching an intent level (or a higher one), or a
/// category score reaching a number (SPEC §12). Edge-triggered: a trigger fires when a lead enters it from below,
/// never while it stays inside, so routing re-arms only after the lead has left.
/// </summary>
public abstract record ScoreTrigger
{
    /// <summary>Whether a lead with <paramref name="scores"/> is inside the trigger.</summary>
    public abstract bool IsInside(TriggerScores scores);

    /// <summary>Whether the change from <paramref name="before"/> to <paramref name="after"/> entered the trigger.</summary>
    public bool Entered(TriggerScores before, TriggerScores after) => !IsInside(before) && IsInside(after);

    /// <summary>The intent level <see cref="Level"/> or any above it, by the bands' order.</summary>
    public sealed record IntentLevelReached(string Level, IntentBands Bands) : ScoreTrigger
    {
        public override bool IsInside(TriggerScores scores) =>
            scores.IntentLevel is { } level && Rank(level) >= Rank(Level) && Rank(Level) >= 0;

        private int Rank(string level)
        {
            for (var i = 0; i < Bands.Options.Count; i++)
            {
                if (string.Equals(Bands.Options[i].Label, level, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
            return -1;
        }
    }

    /// <summary>A category's score at least <see cref="Points"/>.</summary>
    public sealed record CategoryScoreReached(string Category, long Points) : ScoreTrigger
    {
        public override bool IsInside(TriggerScores scores) => scores.Categories.GetValueOrDefault(Category) >= Points;
    }
}
