namespace BehaviorPoints.Core.Domain;

/// <summary>Where an entry came from.</summary>
public enum ScoreEntryKind
{
    /// <summary>A rule matched a behavior.</summary>
    Rule,

    /// <summary>A person corrected the score, with a reason.</summary>
    Manual,

    /// <summary>A step of a rule entry's fading schedule came due (SPEC §9).</summary>
    Decay,
}

/// <summary>
/// One line of a lead's score ledger. Entries are appended (a re-score moves a lead's rule entries to
/// <see cref="SupersededScoreEntry"/> and writes the replay's); a lead's Behavior Points is the sum of its entries.
/// Rule and behavior are copied in, so the entry still explains itself after the rule set changes.
/// </summary>
public sealed class ScoreEntry
{
    public long Id { get; set; }
    public long LeadId { get; set; }
    public ScoreEntryKind Kind { get; set; }
    public int Points { get; set; }

    /// <summary>The rule's name, or "Manual adjustment".</summary>
    public string RuleName { get; set; } = "";
    public int? RuleSetVersion { get; set; }
    public long? BehaviorId { get; set; }
    public StoredBehavior? Behavior { get; set; }
    public string? EventId { get; set; }
    public string? BehaviorType { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime ScoredAt { get; set; }

    /// <summary>For manual adjustments: why, and who.</summary>
    public string? Reason { get; set; }
    public string? CreatedBy { get; set; }

    /// <summary>For decay entries: the rule entry this one fades, and which step of its schedule it is (1 for the first).</summary>
    public long? DecaysEntryId { get; set; }
    public int? DecayStep { get; set; }

    /// <summary>The category the entry also counts toward (its rule's; a decay entry's is its rule entry's), or null.</summary>
    public string? Category { get; set; }

    /// <summary>The lead's stage visit when the entry was written (see <see cref="Lead.StageVisit"/>).</summary>
    public int StageVisit { get; set; }

    /// <summary>
    /// For a decay entry written together with the entry it fades: that entry, whose id is known only once it is
    /// inserted. Not stored (<see cref="DecaysEntryId"/> is).
    /// </summary>
    public ScoreEntry? Decays { get; set; }
}

/// <summary>
/// A decay step not yet due: the worker writes it as a decay entry when <see cref="DueAt"/> comes and deletes this row in
/// the same transaction, so each step is written exactly once. A re-score drops the rows of the entries it replaces.
/// </summary>
public sealed class PendingDecay
{
    /// <summary>The rule entry that fades, and the step (1 for the schedule's first).</summary>
    public long EntryId { get; set; }
    public int Step { get; set; }
    public long LeadId { get; set; }
    public DateTime DueAt { get; set; }

    /// <summary>The decay entry's points: what the entry keeps after this step less what it kept before.</summary>
    public int Points { get; set; }

    /// <summary>What the entry is worth once the step is written.</summary>
    public int Kept { get; set; }

    /// <summary>The entry that fades (set when both are written together, before the id is known).</summary>
    public ScoreEntry? Entry { get; set; }

    /// <summary>The step as the schedule computed it.</summary>
    public Engine.DecayStep AsStep() => new(Step, DueAt, Points, Kept);
}

/// <summary>
/// A rule entry that a re-score replaced: kept with the version it was scored under, so the drawer can show what the
/// lead's score was made of before. It no longer counts in any total.
/// </summary>
public sealed class SupersededScoreEntry
{
    public long Id { get; set; }

    /// <summary>A rule entry or one of its decay entries.</summary>
    public ScoreEntryKind Kind { get; set; }
    public long? DecaysEntryId { get; set; }
    public string? Category { get; set; }

    /// <summary>The id the entry had while it was current.</summary>
    public long EntryId { get; set; }
    public long LeadId { get; set; }
    public int Points { get; set; }
    public string RuleName { get; set; } = "";
    public int? RuleSetVersion { get; set; }
    public long? BehaviorId { get; set; }
    public string? EventId { get; set; }
    public string? BehaviorType { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime ScoredAt { get; set; }

    /// <summary>When the re-score replaced it, and under which version.</summary>
    public DateTime SupersededAt { get; set; }
    public int SupersededByVersion { get; set; }
}

/// <summary>How often a limited rule has applied to a lead in one period (see <see cref="Engine.LimitPeriods.KeyFor"/>).</summary>
public sealed class LimitCounter
{
    public long LeadId { get; set; }
    public string RuleName { get; set; } = "";
    public string Period { get; set; } = "";
    public int Count { get; set; }
}

/// <summary>A lead's intent level changed because an entry moved its total across a range boundary.</summary>
public sealed class IntentLevelChange
{
    public long Id { get; set; }
    public long LeadId { get; set; }

    /// <summary>The lead's team when the level changed, so the dashboard's trend filters by team without a join.</summary>
    public int? TeamId { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public DateTime ChangedAt { get; set; }

    /// <summary>The record of <paramref name="lead"/> moving from <paramref name="from"/> to its current level; null when it did not move.</summary>
    public static IntentLevelChange? Of(IScoredLead lead, string? from, DateTime atUtc) => lead.IntentLevel == from ? null
        : new IntentLevelChange { LeadId = lead.Id, TeamId = lead.TeamId, From = from, To = lead.IntentLevel, ChangedAt = atUtc };
}

/// <summary>A lead's score in one category: the sum of its entries that name the category (SPEC §12).</summary>
public sealed class LeadCategoryScore
{
    public long LeadId { get; set; }
    public string Category { get; set; } = "";
    public long Points { get; set; }
}

/// <summary>Why a lead changed stage.</summary>
public enum StageChangeReason
{
    /// <summary>Its stage score reached the stage's threshold.</summary>
    Advanced,

    /// <summary>A person moved it.</summary>
    Manual,
}

/// <summary>A lead moved from one funnel stage to another; <see cref="PointsEarned"/> is what it earned in the stage it left.</summary>
public sealed class StageChange
{
    public long Id { get; set; }
    public long LeadId { get; set; }
    public int? TeamId { get; set; }
    public string From { get; set; } = "";
    public string To { get; set; } = "";

    /// <summary>The stage visit the move began (see <see cref="Lead.StageVisit"/>); the one it ended is one less.</summary>
    public int Visit { get; set; }

    /// <summary>The stage score when the lead left <see cref="From"/>.</summary>
    public long PointsEarned { get; set; }
    public StageChangeReason Reason { get; set; }

    /// <summary>For an advance, the threshold the stage score reached.</summary>
    public long? Threshold { get; set; }

    /// <summary>For a manual move, who made it.</summary>
    public string? ChangedBy { get; set; }
    public DateTime ChangedAt { get; set; }

    /// <summary>Moves <paramref name="lead"/> into <paramref name="to"/> and returns the record of it.</summary>
    public static StageChange Move(IScoredLead lead, string to, StageChangeReason reason, long? threshold, string? by, DateTime atUtc)
    {
        var change = new StageChange
        {
            LeadId = lead.Id,
            TeamId = lead.TeamId,
            From = lead.Stage,
            To = to,
            Visit = lead.StageVisit + 1,
            PointsEarned = lead.StageScore,
            Reason = reason,
            Threshold = threshold,
            ChangedBy = by,
            ChangedAt = atUtc,
        };
        lead.EnterStage(to, atUtc);
        return change;
    }
}
