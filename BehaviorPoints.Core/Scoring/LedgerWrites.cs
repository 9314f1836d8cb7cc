
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
    public List<StageChange> StageChanges { get; } = [];

    /// <summary>What the transaction's entries add to each lead's category scores.</summary>
    public Dictionary<(long LeadId, string Category), long> CategoryPoints { get; } = [];

    /// <summary>The rule entries summed per day, team, behavior type and rule, for the dashboard's roll-up.</summary>
    public Dictionary<(DateTime Day, int TeamId, string BehaviorType, string RuleName), (long Points, int Entries)> Daily { get; } = [];

    /// <summary>Marks a lead as changed by this transaction; call before changing it.</summary>
    public void Track(IScoredLead lead) =>
        Leads.TryAdd(lead, StoredScore.Of(lead));

    public readonly record struct StoredScore(long Points, string? Level, DateTime? LastActivityAt, string Stage, int StageVisit, long StageScore)
    {
        public static StoredScore Of(IScoredLead lead) =>
            new(lead.BehaviorPoints, lead.IntentLevel, lead.LastActivityAt, lead.Stage, lead.StageVisit, lead.StageScore);

        /// <summary>Whether the lead's stage or visit differs from this stored one (its stage columns must be written).</summary>
        public bool StageMoved(IScoredLead lead) => lead.Stage != Stage || lead.StageVisit != StageVisit;
    }

    /// <summary>
    /// Counts one entry of a tracked lead everywhere a lead's numbers are sums of entries: its total (and intent level),
    /// its stage score (moving it on, recorded, when the score reaches the stage's threshold: so the entry that crosses it
    /// counts in the stage it completes and the next entry in the next stage), and its category's score.
    /// </summary>
    public void Credit(IScoredLead lead, ScoreEntry entry, IntentBands? bands, StagePath stages, DateTime now)
    {
        lead.AddPoints(entry.Points, bands);
        CreditStage(lead, entry, stages, now);
        if (entry.Category is { } category)
        {
            var key = (lead.Id, category);
            CategoryPoints[key] = CategoryPoints.GetValueOrDefault(key) + entry.Points;
        }
    }

    /// <summary>
    /// The stage part of <see cref="Credit"/> alone, a move dated <paramref name="at"/> (a re-score sets totals and
    /// category scores as sums and dates the moves it rebuilds by the entries that caused them).
    /// </summary>
    public void CreditStage(IScoredLead lead, ScoreEntry entry, StagePath stages, DateTime at)
    {
        entry.StageVisit = lead.StageVisit;
        lead.AddStagePoints(entry.Points);
        if (stages.AdvanceFrom(lead.Stage, lead.StageScore) is var (next, threshold))
        {
            StageChanges.Add(StageChange.Move(lead, next, StageChangeReason.Advanced, threshold, null, at));
        }
    }

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
    /// entries after it (returned, for the caller to credit to the lead), the later ones pending steps. Decays are not
    /// counted in the daily roll-up: it sums what rules awarded.
    /// </summary>
    public IReadOnlyList<ScoreEntry> AddDecays(ScoreEntry entry, DecaySchedule? schedule, DateTime now)
    {
        if (schedule is null)
        {
            return [];
        }
        var due = new List<ScoreEntry>();
        foreach (var step in schedule.For(entry.Points, entry.OccurredAt))
        {
            if (step.IsDueBy(now))
            {
                var decay = DecayEntry(entry, step, now);
                Entries.Add(decay);
                due.Add(decay);
            }
            else
            {
                PendingDecays.Add(new PendingDecay { Entry = entry, Step = step.Step, LeadId = entry.LeadId, DueAt = step.DueAt, Points = step.Points, Kept = step.Kept });
            }
        }
        return due;
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
        Category = faded.Category,
    };

    private void CountDaily(DateTime occurredAt, int? teamId, string? behaviorType, string ruleName, int points, int entries)
    {
        var key = (occurredAt.Date, teamId ?? 0, behaviorType ?? "", ruleName);
        var (sum, count) = Daily.GetValueOrDefault(key);
        Daily[key] = (sum + points, count + entries);
    }
}
