
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// Everything one ledger transaction writes: new behaviors, their entries, touched limit counters, the leads' new
/// totals and level changes. Ingest writes it through the provider's <see cref="ILedgerStatements"/> (EF's change
/// tracker is the bottleneck at thousands of rows per request); the rarer paths hand the same rows to EF.
/// </summary>
public sealed class LedgerWrites
{
    public List<StoredBehavior> Behaviors { get; } = [];
    public List<ScoreEntry> Entries { get; } = [];
    public HashSet<LimitCounter> Counters { get; } = [];

    /// <summary>Decay steps of the new entries that are not due yet, for the decay worker.</summary>
    public List<PendingDecay> PendingDecays { get; } = [];

    /// <summary>The leads the transaction changes, each with its scoring columns as stored before it.</summary>
    public Dictionary<IScoredLead, StoredScore> Leads { get; } = [];
    public List<IntentLevelChange> LevelChanges { get; } = [];

    /// <summary>The rule entries summed per day, team, behavior type and rule, for the dashboard's roll-up.</summary>
    public Dictionary<(DateTime Day, int TeamId, string BehaviorType, string RuleName), (long Points, int Entries)> Daily { get; } = [];

    /// <summary>Marks a lead as changed by this transaction; call before changing it.</summary>
    public void Track(IScoredLead lead) => Leads.TryAdd(lead, new StoredScore(lead.BehaviorPoints, lead.IntentLevel, lead.LastActivityAt));

    public readonly record struct StoredScore(long Points, string? Level, DateTime? LastActivityAt);

    /// <summary>Takes a replaced rule entry back out of the daily roll-up.</summary>
    public void Uncount(DateTime occurredAt, int? teamId, string? behaviorType, string ruleName, int points) =>
        CountDaily(occurredAt, teamId, behaviorType, ruleName, -points, -1);

    /// <summary>Adds one rule entry and counts it in the daily roll-up.</summary>
    public void AddEntry(ScoreEntry entry, int? teamId)
    {
        Entries.Add(entry);
        CountDaily(entry.OccurredAt, teamId, entry.BehaviorType, entry.RuleName, entry.Points, 1);
    }

    /// <summary>
    /// Schedules the fading of a rule entry just added (SPEC §9): the steps due by <paramref name="now"/> become decay
    /// entries after it, the later ones pending steps. Returns the points of the decay entries written (zero or less for
    /// a positive entry), which the caller adds to the lead. Decays are not counted in the daily roll-up: it sums what
    /// rules awarded.
    /// </summary>
    public int AddDecays(ScoreEntry entry, DecaySchedule? schedule, DateTime now)
    {
        if (schedule is null)
        {
            return 0;
        }
        var points = 0;
        foreach (var step in schedule.For(entry.Points, entry.OccurredAt))
        {
            if (step.IsDueBy(now))
            {
                Entries.Add(DecayEntry(entry, step, now));
                points += step.Points;
            }
            else
            {
                PendingDecays.Add(new PendingDecay { Entry = entry, Step = step.Step, LeadId = entry.LeadId, DueAt = step.DueAt, Points = step.Points, Kept = step.Kept });
            }
        }
        return points;
    }

    /// <summary>The decay entry of one step of <paramref name="faded"/>'s schedule: the rule and behavior copied in, at the step's due time.</summary>
    public static ScoreEntry DecayEntry(ScoreEntry faded, DecayStep step, DateTime now) => new()
    {
        LeadId = faded.LeadId,
        Kind = ScoreEntryKind.Decay,
        Points = step.Points,
        RuleName = faded.RuleName,
        RuleSetVersion = faded.RuleSetVersion,
        Behavior = faded.Behavior,
        BehaviorId = faded.BehaviorId,
        EventId = faded.EventId,
        BehaviorType = faded.BehaviorType,
        OccurredAt = step.DueAt,
        ScoredAt = now,
        Decays = faded,
        DecayStep = step.Step,
    };

    private void CountDaily(DateTime occurredAt, int? teamId, string? behaviorType, string ruleName, int points, int entries)
    {
        var key = (occurredAt.Date, teamId ?? 0, behaviorType ?? "", ruleName);
        var (sum, count) = Daily.GetValueOrDefault(key);
        Daily[key] = (sum + points, count + entries);
    }
}
