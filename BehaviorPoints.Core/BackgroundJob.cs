namespace BehaviorPoints.Core;

/// <summary>Where a background job stands: items done of the total, under which version, since when.</summary>
public sealed record JobProgress(int Version, int Done, int Total, DateTime StartedAt, DateTime? FinishedAt)
{
    public bool Running => FinishedAt is null;

    /// <summary>0 to 100.</summary>
    public double Percent => Total == 0 ? 100 : Math.Min(100, 100.0 * Done / Total);

    /// <summary>The time left at the pace so far, once there is a pace to go by.</summary>
    public TimeSpan? Remaining(DateTime nowUtc) => !Running || Done == 0 ? null
        : TimeSpan.FromTicks((long)((nowUtc - StartedAt).Ticks * (double)Math.Max(0, Total - Done) / Done));
}

/// <summary>
/// Work that runs in the background on request (after a publish) and at start (to finish what a restart cut short),
/// reporting its progress to whoever watches. The web app runs each job with one hosted worker.
/// </summary>
public abstract class BackgroundJob
{
    private readonly SemaphoreSlim _requested = new(0, 1);

    /// <summary>What the job does, for logs.</summary>
    public abstract string Name { get; }

    /// <summary>How often the worker looks for work nobody asked for (due retries, a job another instance left).</summary>
    public virtual TimeSpan PollInterval => TimeSpan.FromSeconds(5);

    /// <summary>The latest run's progress, or null when no run had work since start.</summary>
    public JobProgress? Progress { get; private set; }

    /// <summary>Raised after each step and when a run finishes (on the worker's thread).</summary>
    public event Action<JobProgress>? Changed;

    /// <summary>Does everything there is to do; returns how many items it handled.</summary>
    public abstract Task<int> RunAsync(CancellationToken cancellationToken = default);

    /// <summary>Wakes the worker; requests made while one is pending collapse into it.</summary>
    public void Request()
    {
        try
        {
            _requested.Release();
        }
        catch (SemaphoreFullException)
        {
            // One is pending already; the run it starts does all there is to do.
        }
    }

    /// <summary>Waits for a request, or at most <paramref name="poll"/>: a job another app instance was running may need taking over.</summary>
    public Task WaitForRequestAsync(TimeSpan poll, CancellationToken cancellationToken) => _requested.WaitAsync(poll, cancellationToken);

    protected void Report(JobProgress progress)
    {
        Progress = progress;
        Changed?.Invoke(progress);
    }
}
