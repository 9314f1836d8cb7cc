namespace BehaviorPoints.Core.Domain;

/// <summary>
/// A run of a job over every lead (the re-score after a publish in "re-score every lead" mode, the fit recompute after
/// a fit publish). It advances <see cref="LastLeadId"/> in the same transaction as each batch of leads, so a restart
/// continues after the last committed lead.
/// </summary>
public sealed class LeadJobRun
{
    public int Id { get; set; }

    /// <summary>Which job: <c>rescore</c> or <c>fit</c>.</summary>
    public string Job { get; set; } = "";

    /// <summary>The rule-set or fit-model version the run works for.</summary>
    public int Version { get; set; }

    /// <summary>What else the run works for: the routing rule an apply-to-existing run applies.</summary>
    public string? Argument { get; set; }
    public DateTime StartedAt { get; set; }
    public string? StartedBy { get; set; }
    public int Total { get; set; }
    public int Done { get; set; }
    public long LastLeadId { get; set; }
    public DateTime? FinishedAt { get; set; }
}
