using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.Domain;

/// <summary>
/// What scoring reads and changes on a lead: its total, intent level and last activity. <see cref="Lead"/> is
/// one (for the paths that track the whole lead); the ledger's <c>LedgerLead</c> is the ingest path's lighter copy.
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
