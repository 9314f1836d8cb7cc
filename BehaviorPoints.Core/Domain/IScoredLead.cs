using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.Domain;

/// <summary>
/// What scoring reads and changes on a lead: its total, intent level, stage and last activity. <see cref="Lead"/> is
/// one (for the paths that track the whole lead); the ledger's <c>LedgerLead</c> is the ingest path's lighter copy.
/// </summary>
public interface IScoredLead
{
    long Id { get; }
    int? TeamId { get; }
    long BehaviorPoints { get; }
    string? IntentLevel { get; }
    DateTime? LastActivityAt { get; }

    /// <summary>The funnel stage, the points written since entering it, and which of the lead's stage visits it is.</summary>
    string Stage { get; }
    long StageScore { get; }
    int StageVisit { get; }
    DateTime? StageEnteredAt { get; }

    /// <summary>Adds one entry's points and re-buckets the intent level. Returns the level before.</summary>
    string? AddPoints(int points, IntentBands? bands);

    void RecordActivity(DateTime occurredAtUtc);

    /// <summary>Adds one entry's points to the stage score.</summary>
    void AddStagePoints(int points);

    /// <summary>Moves the lead into <paramref name="stage"/>: a new visit with a stage score of zero.</summary>
    void EnterStage(string stage, DateTime atUtc);

    /// <summary>Puts the lead back at the start of the path (visit 0, stage score 0), for a re-score that walks its entries again.</summary>
    void RestartStages(string firstStage);

    /// <summary>A lead's last activity once a behavior at <paramref name="occurredAtUtc"/> is recorded: a late behavior does not move it back.</summary>
    static DateTime? LastActivityAfter(DateTime? lastActivityAt, DateTime occurredAtUtc) =>
        lastActivityAt is null || occurredAtUtc > lastActivityAt ? occurredAtUtc : lastActivityAt;
}
