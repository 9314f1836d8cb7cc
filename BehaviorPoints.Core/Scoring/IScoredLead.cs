namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// What scoring reads and changes on a lead: its total, intent level and last activity. <see cref="Leads.Lead"/> is
/// one (for the paths that track the whole lead); <see cref="LedgerLead"/> is the ingest path's lighter copy.
/// </summary>
public interface IScoredLead
{
    long Id { get; }
    int? TeamId { get; }
    long BehaviorPoints { get; }
    string? IntentLevel { get; }
    DateTime? LastActivityAt { get; }

    /// <summary>Adds one entry's points and re-buckets the intent level. Returns the level before.</summary>
    string? AddPoints(int points, IntentBands? bands);

    void RecordActivity(DateTime occurredAtUtc);

    /// <summary>A lead's last activity once a behavior at <paramref name="occurredAtUtc"/> is recorded: a late behavior does not move it back.</summary>
    static DateTime? LastActivityAfter(DateTime? lastActivityAt, DateTime occurredAtUtc) =>
        lastActivityAt is null || occurredAtUtc > lastActivityAt ? occurredAtUtc : lastActivityAt;
}

/// <summary>
/// A lead's scoring columns and contact identity, read by the ledger for one ingest transaction and written back by
/// it: scoring a thousand behaviors needs these eight columns, not the whole lead.
/// </summary>
internal sealed class LedgerLead(
    long id, int? teamId, string? email, string? phone, string? externalId, long behaviorPoints, string? intentLevel, DateTime? lastActivityAt)
    : IScoredLead
{
    public long Id { get; } = id;
    public int? TeamId { get; } = teamId;
    public string? Email { get; } = email;
    public string? Phone { get; } = phone;
    public string? ExternalId { get; } = externalId;
    public long BehaviorPoints { get; private set; } = behaviorPoints;
    public string? IntentLevel { get; private set; } = intentLevel;
    public DateTime? LastActivityAt { get; private set; } = lastActivityAt;

    public string? AddPoints(int points, IntentBands? bands)
    {
        var before = IntentLevel;
        BehaviorPoints += points;
        IntentLevel = bands?.LevelOf(BehaviorPoints);
        return before;
    }

    public void RecordActivity(DateTime occurredAtUtc) => LastActivityAt = IScoredLead.LastActivityAfter(LastActivityAt, occurredAtUtc);
}
