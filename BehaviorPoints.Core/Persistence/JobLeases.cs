using BehaviorPoints.Core.Domain;

namespace BehaviorPoints.Core.Persistence;

/// <summary>This app instance, as lease holders name it: the machine, the process and an id of this start.</summary>
public sealed class AppInstance
{
    public string Id { get; } = Shorten($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");

    private static string Shorten(string id) => id.Length <= 200 ? id : id[^200..];
}

/// <summary>
/// Leases that make a background job run in one app instance at a time. A job takes or extends its lease inside each
/// batch's write transaction (which every instance runs one at a time), so two instances never both hold it; when the
/// holder dies its lease runs out after <see cref="Duration"/> and the next instance to look takes the job over, from
/// the position the run stored.
/// </summary>
public sealed class JobLeases(AppInstance instance)
{
    /// <summary>How long a lease lasts without being extended.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    /// <summary>Takes or extends the lease on <paramref name="job"/>; false when another instance holds one that has not run out.</summary>
    public Task<bool> HoldAsync(BehaviorPointsDbContext db, string job, DateTime now, CancellationToken cancellationToken = default) =>
        HoldAsync(db, job, now, Duration, cancellationToken);

    /// <summary>The same, for a lease of <paramref name="duration"/>: work that runs long between looks (a model's training).</summary>
    public async Task<bool> HoldAsync(BehaviorPointsDbContext db, string job, DateTime now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var lease = await db.JobLeases.FindAsync([job], cancellationToken);
        if (lease is null)
        {
            db.JobLeases.Add(new JobLease { Job = job, Holder = instance.Id, ExpiresAt = now + duration });
            return true;
        }
        if (lease.Holder != instance.Id && lease.ExpiresAt > now)
        {
            return false;
        }
        lease.Holder = instance.Id;
        lease.ExpiresAt = now + duration;
        return true;
    }

    /// <summary>Gives up the lease at once when the job has nothing left to do, so another instance need not wait it out.</summary>
    public async Task ReleaseAsync(BehaviorPointsDbContext db, string job, DateTime now, CancellationToken cancellationToken = default)
    {
        if (await db.JobLeases.FindAsync([job], cancellationToken) is { } lease && lease.Holder == instance.Id)
        {
            lease.ExpiresAt = now;
        }
    }
}
