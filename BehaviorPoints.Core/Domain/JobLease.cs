namespace BehaviorPoints.Core.Domain;

/// <summary>
/// Who runs a background job now (re-score, fit recompute): one row per job, held by one app instance until it expires.
/// An instance that dies stops renewing it, and another takes the job over once it has expired.
/// </summary>
public sealed class JobLease
{
    public string Job { get; set; } = "";

    /// <summary>The holding instance (machine, process and a per-start id).</summary>
    public string Holder { get; set; } = "";
    public DateTime ExpiresAt { get; set; }
}
