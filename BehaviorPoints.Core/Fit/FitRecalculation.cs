using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Fit;

/// <summary>Where the background fit recompute stands.</summary>
public sealed record FitRecalculationProgress(int Version, int Done, int Total, DateTime StartedAt, DateTime? FinishedAt)
{
    public bool Running => FinishedAt is null;

    /// <summary>0 to 100.</summary>
    public double Percent => Total == 0 ? 100 : Math.Min(100, 100.0 * Done / Total);

    /// <summary>The time left at the pace so far, once there is a pace to go by.</summary>
    public TimeSpan? Remaining(DateTime nowUtc) => !Running || Done == 0 ? null
        : TimeSpan.FromTicks((long)((nowUtc - StartedAt).Ticks * (double)Math.Max(0, Total - Done) / Done));
}

/// <summary>
/// Recomputes the fit of every lead whose fit was computed by an older model version (or never), in batches of
/// <see cref="BatchSize"/>, one transaction per batch behind the write gate so ingest interleaves. Because it selects
/// by stored version, a restart simply continues with the leads still behind. A hosted service in the web app calls
/// <see cref="RunAsync"/> at start and after each <see cref="Request"/>.
/// </summary>
public sealed class FitRecalculation(IDbContextFactory<BehaviorPointsDbContext> dbFactory, PublishedFitModels models, WriteGate writeGate, TimeProvider clock)
{
    public const int BatchSize = 500;
    private readonly WorkRequests _requests = new();

    /// <summary>The latest run's progress, or null before the first run that had work.</summary>
    public FitRecalculationProgress? Progress { get; private set; }

    /// <summary>Raised after each batch and when a run finishes (on the worker's thread).</summary>
    public event Action<FitRecalculationProgress>? Changed;

    /// <summary>Wakes the worker (after a publish); requests made while one is pending collapse into it.</summary>
    public void Request() => _requests.Request();

    public Task WaitForRequestAsync(CancellationToken cancellationToken) => _requests.WaitAsync(cancellationToken);

    /// <summary>Recomputes every lead behind the published version; returns how many were recomputed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var model = await models.CurrentAsync(cancellationToken);
        if (model is null)
        {
            return 0;
        }

        int total;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            total = await Behind(db, model.Version).CountAsync(cancellationToken);
        }
        if (total == 0)
        {
            return 0;
        }

        var progress = new FitRecalculationProgress(model.Version, 0, total, clock.GetUtcNow().UtcDateTime, null);
        Report(progress);
        var done = 0;
        long lastId = 0;
        while (true)
        {
            int count;
            using (await writeGate.EnterAsync(cancellationToken))
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                // A newer publish during the run: finish with the newest model (the next run would redo these anyway).
                model = await models.CurrentAsync(db, cancellationToken) ?? model;
                var batch = await Behind(db, model.Version).Where(l => l.Id > lastId).OrderBy(l => l.Id).Take(BatchSize).ToListAsync(cancellationToken);
                foreach (var lead in batch)
                {
                    lead.ApplyFit(model.Score(lead));
                }
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                count = batch.Count;
                if (count > 0)
                {
                    lastId = batch[^1].Id;
                }
            }
            done += count;
            if (count < BatchSize)
            {
                break;
            }
            Report(progress = progress with { Done = Math.Min(done, progress.Total) });
        }
        Report(progress with { Version = model.Version, Done = done, Total = Math.Max(done, progress.Total), FinishedAt = clock.GetUtcNow().UtcDateTime });
        return done;
    }

    private static IQueryable<Leads.Lead> Behind(BehaviorPointsDbContext db, int version) =>
        db.Leads.Where(l => l.FitVersion == null || l.FitVersion != version);

    private void Report(FitRecalculationProgress progress)
    {
        Progress = progress;
        Changed?.Invoke(progress);
    }
}
