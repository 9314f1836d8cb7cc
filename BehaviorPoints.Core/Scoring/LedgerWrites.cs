
using BehaviorPoints.Core.Domain;

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

    private void CountDaily(DateTime occurredAt, int? teamId, string? behaviorType, string ruleName, int points, int entries)
    {
        var key = (occurredAt.Date, teamId ?? 0, behaviorType ?? "", ruleName);
        var (sum, count) = Daily.GetValueOrDefault(key);
        Daily[key] = (sum + points, count + entries);
    }
}
