namespace BehaviorPoints.Core.Domain;

/// <summary>Where a trained model stands: the one predicting, one it replaced, or one kept out by the AUC guard.</summary>
public enum ConversionModelStatus
{
    Live,
    Retired,
    Rejected,
}

/// <summary>
/// One trained version of the likelihood-to-convert model (SPEC §13), kept so that any can be made live again: what it
/// learnt from, how it measured on the held-out leads, its slots and its bytes as ML.NET saved them.
/// </summary>
public sealed class ConversionModelVersion
{
    public int Id { get; set; }

    /// <summary>The version number, counting up from 1.</summary>
    public int Version { get; set; }
    public DateTime TrainedAt { get; set; }

    /// <summary>Who asked for it, or null for the weekly retrain.</summary>
    public string? TrainedBy { get; set; }
    public int TrainedWon { get; set; }
    public int TrainedLost { get; set; }
    public int HoldoutWon { get; set; }
    public int HoldoutLost { get; set; }

    /// <summary>The area under the ROC curve on the held-out leads.</summary>
    public double Auc { get; set; }

    /// <summary>The held-out measurements (<c>ModelMetrics</c>) as JSON.</summary>
    public string MetricsJson { get; set; } = "{}";

    /// <summary>The feature slots in vector order (<c>FeatureSpace</c>) as JSON.</summary>
    public string SlotsJson { get; set; } = "[]";
    public byte[] ModelBytes { get; set; } = [];
    public ConversionModelStatus Status { get; set; }

    /// <summary>When it last became live; null if never.</summary>
    public DateTime? LiveSince { get; set; }
}

/// <summary>
/// How far a background job that follows new rows has read: the likelihood refresh keeps the last behavior id it saw and
/// the lead-update time it has looked up to, so a restart neither misses a change nor starts over.
/// </summary>
public sealed class JobCursor
{
    public string Job { get; set; } = "";

    /// <summary>The last behavior (by id) whose lead was looked at.</summary>
    public long BehaviorId { get; set; }

    /// <summary>The last lead edit looked at, by (update time, lead id).</summary>
    public DateTime LeadUpdatedAt { get; set; }
    public long LeadId { get; set; }
}
