using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.Domain;

/// <summary>Where a lead stands in the sales process.</summary>
public enum LeadStatus
{
    Open,
    Qualified,
    Converted,
    Lost,
}

/// <summary>
/// A prospective customer. Its <see cref="BehaviorPoints"/> total changes only by appending score entries
/// (<see cref="AddPoints"/>), so the total is always the sum of its entries.
/// </summary>
public sealed class Lead : IScoredLead
{
    private Lead() { }

    public Lead(LeadFields fields, DateTime nowUtc, IntentBands? bands, string? firstStage = null)
    {
        Apply(fields);
        ClosedAt = IsClosed(Status) ? nowUtc : null;
        CreatedAt = nowUtc;
        UpdatedAt = nowUtc;
        IntentLevel = bands?.LevelOf(0);
        Stage = firstStage ?? StagePath.Default.First;
    }

    public long Id { get; private set; }
    public string Name { get; private set; } = "";
    public string? Company { get; private set; }

    /// <summary>Stored trimmed and lower-cased, so behaviors find their lead whatever the case they were sent in.</summary>
    public string? Email { get; private set; }

    /// <summary>Stored as digits with an optional leading '+'.</summary>
    public string? Phone { get; private set; }
    public string? ExternalId { get; private set; }
    public LeadStatus Status { get; private set; }
    public string? Industry { get; private set; }
    public string? CompanySize { get; private set; }
    public string? JobTitle { get; private set; }
    public string? Region { get; private set; }

    /// <summary>Where the lead came from when something other than a person made it ("website": the tracker created it).</summary>
    public string? Source { get; private set; }

    public string? OwnerId { get; private set; }
    public ApplicationUser? Owner { get; private set; }
    public int? TeamId { get; private set; }
    public Team? Team { get; private set; }

    /// <summary>The sum of the lead's score entries.</summary>
    public long BehaviorPoints { get; private set; }

    /// <summary>The intent option whose range holds <see cref="BehaviorPoints"/>; null when the rule set has no intent field.</summary>
    public string? IntentLevel { get; private set; }

    /// <summary>The field-based fit score; null until a fit model is published.</summary>
    public int? FitScore { get; private set; }

    /// <summary>Low, Medium or High by the fit model's bands; null while <see cref="FitScore"/> is.</summary>
    public string? FitLevel { get; private set; }

    /// <summary>The fit model version that computed <see cref="FitScore"/>; behind the published one until recomputed.</summary>
    public int? FitVersion { get; private set; }

    /// <summary>The funnel stage the lead is in (SPEC §12).</summary>
    public string Stage { get; private set; } = StagePath.Default.First;

    /// <summary>The sum of the entries written while the lead has been in <see cref="Stage"/>.</summary>
    public long StageScore { get; private set; }

    /// <summary>
    /// Counts the lead's stage moves: entries written in the current stage carry this number, so the stage score's
    /// entries are the ones with it (0 for the stage the lead started in).
    /// </summary>
    public int StageVisit { get; private set; }

    /// <summary>When the lead entered <see cref="Stage"/>; null for the stage it was created in.</summary>
    public DateTime? StageEnteredAt { get; private set; }

    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>When a re-score last rebuilt the lead's rule entries, and under which version; null if never.</summary>
    public DateTime? RescoredAt { get; private set; }
    public int? RescoredVersion { get; private set; }

    /// <summary>When the lead's most recent behavior happened.</summary>
    public DateTime? LastActivityAt { get; private set; }

    /// <summary>
    /// When the lead became <see cref="LeadStatus.Converted"/> or <see cref="LeadStatus.Lost"/> (its latest such change);
    /// null while it is open or qualified. What happened before it is what a prediction may learn from.
    /// </summary>
    public DateTime? ClosedAt { get; private set; }

    /// <summary>Records where the lead came from (at creation).</summary>
    public void CameFrom(string source) => Source = source;

    /// <summary>
    /// The likelihood that the lead converts (0 to 1) by the live prediction model (SPEC §13); null for a closed lead or
    /// before any model. Never part of <see cref="BehaviorPoints"/>.
    /// </summary>
    public double? ConversionProbability { get; private set; }

    /// <summary>The strongest factors behind <see cref="ConversionProbability"/> (<c>ConversionFactor</c> JSON).</summary>
    public string? ConversionFactorsJson { get; private set; }

    /// <summary>The model version that predicted it.</summary>
    public int? ConversionModelVersion { get; private set; }

    /// <summary>When it was predicted.</summary>
    public DateTime? PredictedAt { get; private set; }

    /// <summary>Sets the prediction (null probability and factors for a closed lead).</summary>
    public void ApplyPrediction(double? probability, string? factorsJson, int version, DateTime nowUtc)
    {
        ConversionProbability = probability;
        ConversionFactorsJson = factorsJson;
        ConversionModelVersion = version;
        PredictedAt = nowUtc;
    }

    public void Update(LeadFields fields, DateTime nowUtc)
    {
        var before = Status;
        Apply(fields);
        if (Status != before)
        {
            ClosedAt = IsClosed(Status) ? nowUtc : null;
        }
        UpdatedAt = nowUtc;
    }

    /// <summary>Converted (won) and Lost close a lead; Open and Qualified leave it open.</summary>
    public static bool IsClosed(LeadStatus status) => status is LeadStatus.Converted or LeadStatus.Lost;

    public void AssignTo(string? ownerId, int? teamId)
    {
        OwnerId = ownerId;
        TeamId = teamId;
    }

    /// <summary>Adds one entry's points and re-buckets the intent level. Returns the level before, for change records.</summary>
    public string? AddPoints(int points, IntentBands? bands)
    {
        var before = IntentLevel;
        BehaviorPoints += points;
        IntentLevel = bands?.LevelOf(BehaviorPoints);
        return before;
    }

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

    /// <summary>
    /// Sets the total after a re-score rebuilt the rule entries (the new total is again the sum of the current
    /// entries) and re-buckets the level. Returns the level before, for change records.
    /// </summary>
    public string? Rescore(long total, IntentBands? bands, int version, DateTime nowUtc)
    {
        var before = IntentLevel;
        BehaviorPoints = total;
        IntentLevel = bands?.LevelOf(total);
        RescoredAt = nowUtc;
        RescoredVersion = version;
        return before;
    }

    /// <summary>Sets the fit computed from the lead's current fields (null when no fit model is published).</summary>
    public void ApplyFit(FitResult? fit)
    {
        FitScore = fit?.Score;
        FitLevel = fit?.Level;
        FitVersion = fit?.Version;
    }

    public void RecordActivity(DateTime occurredAtUtc) => LastActivityAt = IScoredLead.LastActivityAfter(LastActivityAt, occurredAtUtc);

    private void Apply(LeadFields fields)
    {
        Name = fields.Name.Trim();
        Company = Clean(fields.Company);
        Email = ContactIdentity.NormalizeEmail(fields.Email);
        Phone = ContactIdentity.NormalizePhone(fields.Phone);
        ExternalId = Clean(fields.ExternalId);
        Status = fields.Status;
        Industry = Clean(fields.Industry);
        CompanySize = Clean(fields.CompanySize);
        JobTitle = Clean(fields.JobTitle);
        Region = Clean(fields.Region);
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>The fields of a lead that people and the API edit.</summary>
public sealed record LeadFields
{
    public string Name { get; init; } = "";
    public string? Company { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? ExternalId { get; init; }
    public LeadStatus Status { get; init; }
    public string? Industry { get; init; }
    public string? CompanySize { get; init; }
    public string? JobTitle { get; init; }
    public string? Region { get; init; }
}
