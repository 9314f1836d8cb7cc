using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// A lead's scoring columns and contact identity, read by the ledger for one ingest transaction and written back by
/// it: scoring a thousand behaviors needs these few columns, not the whole lead.
/// </summary>
public sealed class LedgerLead(
    long id, int? teamId, string? email, string? phone, string? externalId, long behaviorPoints, string? intentLevel, DateTime? lastActivityAt,
    string stage, long stageScore, int stageVisit)
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
    public string Stage { get; private set; } = stage;
    public long StageScore { get; private set; } = stageScore;
    public int StageVisit { get; private set; } = stageVisit;

    /// <summary>When the lead entered its stage, if this transaction moved it.</summary>
    public DateTime? StageEnteredAt { get; private set; }

    public void AddStagePoints(int points) => StageScore += points;

    public void EnterStage(string stage, DateTime atUtc)
    {
        Stage = stage;
        StageScore = 0;
        StageVisit++;
        StageEnteredAt = atUtc;
    }

    public void RestartStages(string firstStage)
    {
        Stage = firstStage;
        StageScore = 0;
        StageVisit = 0;
        StageEnteredAt = null;
    }

    public string? AddPoints(int points, IntentBands? bands)
    {
        var before = IntentLevel;
        BehaviorPoints += points;
        IntentLevel = bands?.LevelOf(BehaviorPoints);
        return before;
    }

    public void RecordActivity(DateTime occurredAtUtc) => LastActivityAt = IScoredLead.LastActivityAfter(LastActivityAt, occurredAtUtc);
}
