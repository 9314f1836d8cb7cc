namespace BehaviorPoints.Core.Domain;

/// <summary>
/// A roll-up of rule entries: the points one rule earned on one behavior type for one team's leads on one day (UTC,
/// by when the behaviors happened). Ingest adds to it in the same transaction as the entries, so the dashboard's "what
/// earned the most points" reads a few hundred rows instead of millions of entries. The team is the lead's team when
/// the entry was written.
/// </summary>
public sealed class DailyPoints
{
    public DateTime Day { get; set; }

    /// <summary>The lead's team, or 0 for leads without a team (0 keeps the key simple; team ids start at 1).</summary>
    public int TeamId { get; set; }
    public string BehaviorType { get; set; } = "";
    public string RuleName { get; set; } = "";
    public long Points { get; set; }
    public int Entries { get; set; }
}

/// <summary>
/// How many leads entered one intent level on one day (UTC) in one team (0: no team). A database trigger on
/// <c>IntentLevelChanges</c> keeps it, so every path that records a change (ingest, linking, adjustments, new leads,
/// publishing's re-banding in SQL) counts it in the same transaction, and the dashboard's trend reads a few hundred
/// rows instead of every change record.
/// </summary>
public sealed class DailyLevelEntries
{
    public const string TriggerName = "IntentLevelChanges_CountDaily";

    public DateTime Day { get; set; }
    public int TeamId { get; set; }
    public string Level { get; set; } = "";
    public int Count { get; set; }
}

/// <summary>
/// How many leads are in each (team, intent level, fit level, status): kept by triggers on <c>Leads</c> in the same
/// statement as every insert, delete and change of those columns (ingest, re-banding, edits, moves), so the overview, the
/// dashboard's level counts and grid, and the lead list's unfiltered count read a few hundred rows, not a million.
/// No team, no intent level and no fit level are stored as 0 and "" (key columns cannot be null).
/// </summary>
public sealed class LeadCount
{
    public static readonly string[] TriggerNames = ["Leads_Count_Insert", "Leads_Count_Update", "Leads_Count_Delete"];

    public int TeamId { get; set; }
    public string IntentLevel { get; set; } = "";
    public string FitLevel { get; set; } = "";
    public LeadStatus Status { get; set; }
    public int Count { get; set; }
}
