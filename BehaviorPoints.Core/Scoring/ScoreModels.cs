using BehaviorPoints.Core.Domain;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// One score entry as the lead's drawer and the API show it. <see cref="RunningTotal"/> is the lead's total right
/// after this entry was written.
/// </summary>
public sealed record ScoreEntryView(
    long Id,
    int Points,
    string RuleName,
    string? Behavior,
    string? EventId,
    DateTime OccurredAt,
    DateTime ScoredAt,
    int? RuleSetVersion,
    string? Reason,
    string? CreatedBy,
    long? BehaviorId = null,
    long RunningTotal = 0)
{
    /// <summary>A rule's entry, a manual adjustment or a fading step (SPEC §9).</summary>
    public ScoreEntryKind Kind { get; init; } = ScoreEntryKind.Rule;

    /// <summary>The category the entry counts toward, or null (SPEC §12).</summary>
    public string? Category { get; init; }

    /// <summary>The lead's stage visit the entry was written in (0 for the stage it started in).</summary>
    public int StageVisit { get; init; }

    /// <summary>For a decay entry: the rule entry it fades.</summary>
    public long? DecaysEntryId { get; init; }

    /// <summary>For a decay entry: when the faded entry's behavior happened.</summary>
    public DateTime? FadedBehaviorAt { get; init; }

    /// <summary>For a rule entry that fades: what it is worth today and its steps still to come; null when it keeps its points.</summary>
    public EntryFading? Fading { get; init; }
}

/// <summary>A fading rule entry today: its points with the decays written so far, and the steps to come in due order.</summary>
public sealed record EntryFading(int Today, IReadOnlyList<UpcomingFade> Upcoming);

/// <summary>A decay step to come: when, and what the entry keeps after it.</summary>
public sealed record UpcomingFade(DateTime DueAt, int Kept);

/// <summary>How much of a lead's total fades over the next days: the points (zero or less for positive entries) and the days.</summary>
public sealed record FadingSoon(int Points, int Days);

/// <summary>A rule entry that a re-score replaced, as the drawer's "replaced entries" list shows it.</summary>
public sealed record SupersededEntryView(
    long Id,
    int Points,
    string RuleName,
    string? Behavior,
    string? EventId,
    DateTime OccurredAt,
    int? RuleSetVersion,
    DateTime SupersededAt,
    int SupersededByVersion)
{
    /// <summary>A rule's entry or one of its fading steps.</summary>
    public ScoreEntryKind Kind { get; init; } = ScoreEntryKind.Rule;
    public string? Category { get; init; }
}

/// <summary>Which of a lead's entries to list: one category's, or those written during one stage visit.</summary>
public sealed record EntryFilter(string? Category = null, int? StageVisit = null);

/// <summary>The lead's total at the end of a day (UTC), for the total-over-time chart.</summary>
public sealed record DailyTotal(DateOnly Day, long Total);

/// <summary>
/// A lead's total with one page of its entries, newest first by when they happened; <see cref="Next"/> (as text,
/// <see cref="NextBefore"/>) fetches the next page.
/// </summary>
public sealed record LeadScore(long LeadId, long Total, string? IntentLevel, IReadOnlyList<ScoreEntryView> Entries, [property: System.Text.Json.Serialization.JsonIgnore] EntryCursor? Next)
{
    /// <summary>The cursor to pass as <c>before</c> for the next page; null on the last page.</summary>
    public string? NextBefore => Next?.ToString();

    /// <summary>The lead's score in each category it has entries in (SPEC §12).</summary>
    public IReadOnlyDictionary<string, long> Categories { get; init; } = new Dictionary<string, long>();

    /// <summary>The lead's funnel stage and the points written since it entered it.</summary>
    public string Stage { get; init; } = "";
    public long StageScore { get; init; }
}

/// <summary>A manual adjustment as written: the entry (with the running total at its place) and the lead's new total and level.</summary>
public sealed record ManualAdjustment(long LeadId, ScoreEntryView Entry, long Total, string? IntentLevel);
