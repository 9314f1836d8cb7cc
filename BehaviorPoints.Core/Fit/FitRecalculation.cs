using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Fit;

/// <summary>
/// Recomputes the fit of every lead whose fit was computed by an older model version (or never), in batches of
/// <see cref="BatchSize"/>, one transaction per batch behind the write gate so ingest interleaves. Because it selects
/// by stored version, a restart simply continues with the leads still behind. A hosted service in the web app calls
/// <see cref="RunAsync"/> at start and after each <see cref="BackgroundJob.Request"/>.
/// </summary>
public sealed class FitRecalculation(IDbContextFactory<BehaviorPointsDbContext> dbFactory, PublishedFitModels models, WriteGate writeGate, TimeProvider clock)
    : BackgroundJob
{
    public const int BatchSize = 500;

    public override string Name => "Fit recompute";

    /// <summary>Recomputes every lead behind the published version; returns how many were recomputed.</summary>
    public override async Task<int> RunAsync(CancellationToken cancellationToken = default)
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

        var progress = new JobProgress(model.Version, 0, total, clock.GetUtcNow().UtcDateTime, null);
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

}
