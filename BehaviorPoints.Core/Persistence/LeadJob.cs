using BehaviorPoints.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence;

/// <summary>
/// A background job that visits every lead once, in id order, <see cref="LeadsPerTransaction"/> leads per unit of work
/// (behind the write gate, so ingest interleaves between batches), and records its position in the same transaction
/// as each batch's writes: after a crash or restart it continues after the last lead that committed. Publishing starts
/// a run (<see cref="StartAsync"/>) inside the publish transaction; a later publish closes an unfinished run of the
/// same job, whose work the new run does anyway. Each batch holds the job's lease (<see cref="JobLeases"/>), so with
/// several app instances one of them runs the job and another takes it over, from the stored position, if it dies.
/// The re-score and the fit recompute are such jobs.
/// </summary>
public abstract class LeadJob(IDbContextFactory<BehaviorPointsDbContext> dbFactory, UnitOfWork unitOfWork, JobLeases leases, TimeProvider clock) : BackgroundJob
{
    /// <summary>The job's code in <see cref="LeadJobRun.Job"/>.</summary>
    protected abstract string Code { get; }

    /// <summary>Leads per transaction.</summary>
    protected abstract int LeadsPerTransaction { get; }

    /// <summary>
    /// Does the job's work for the leads with ids from <paramref name="firstId"/> to <paramref name="lastId"/> (every lead
    /// in that range, none skipped) in the batch's unit of work.
    /// </summary>
    protected abstract Task ProcessAsync(WriteScope scope, LeadJobRun run, long firstId, long lastId, DateTime now, CancellationToken cancellationToken);

    /// <summary>Opens a run of <paramref name="job"/> under <paramref name="version"/> in the caller's transaction; an unfinished one is closed.</summary>
    public static async Task StartAsync(BehaviorPointsDbContext db, string job, int version, string? startedBy, DateTime now, CancellationToken cancellationToken, string? argument = null)
    {
        await db.LeadJobRuns.Where(r => r.Job == job && r.FinishedAt == null).ExecuteUpdateAsync(s => s.SetProperty(r => r.FinishedAt, now), cancellationToken);
        var total = await db.Leads.CountAsync(cancellationToken);
        db.LeadJobRuns.Add(new LeadJobRun { Job = job, Version = version, StartedAt = now, StartedBy = startedBy, Total = total, Argument = argument });
    }

    /// <summary>Continues the unfinished run, if any, to its end; returns how many leads this call did.</summary>
    public override async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        LeadJobRun? run;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            run = await db.LeadJobRuns.AsNoTracking().Where(r => r.Job == Code && r.FinishedAt == null).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        }
        if (run is null)
        {
            return 0;
        }

        var progress = new JobProgress(run.Version, run.Done, run.Total, run.StartedAt, null);
        Report(progress);
        var done = 0;
        while (true)
        {
            var step = await unitOfWork.WriteAsync(async scope =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                if (!await leases.HoldAsync(scope.Db, Code, now, cancellationToken))
                {
                    // Another instance runs this job; if it dies, its lease runs out and a later look here takes over.
                    return (Leads: 0, Progress: (JobProgress?)null);
                }
                var state = await scope.Db.LeadJobRuns.SingleAsync(r => r.Id == run.Id, cancellationToken);
                if (state.FinishedAt is not null)
                {
                    // A newer publish closed this run; its own run takes over.
                    return (Leads: 0, Progress: (JobProgress?)null);
                }
                var ids = await scope.Db.Leads.NextIdsAsync(state.LastLeadId, LeadsPerTransaction, cancellationToken);
                if (ids.Count == 0)
                {
                    state.FinishedAt = now;
                    state.Total = state.Done;
                    await leases.ReleaseAsync(scope.Db, Code, now, cancellationToken);
                    return (Leads: 0, Progress: progress with { Done = state.Done, Total = state.Total, FinishedAt = now });
                }

                // The ids are the next ones after the run's position, so the range from the first to the last holds exactly them.
                await ProcessAsync(scope, state, ids[0], ids[^1], now, cancellationToken);
                state.LastLeadId = ids[^1];
                state.Done += ids.Count;
                state.Total = Math.Max(state.Total, state.Done);
                return (Leads: ids.Count, Progress: progress with { Done = state.Done, Total = state.Total });
            }, cancellationToken);

            done += step.Leads;
            if (step.Progress is { } reported)
            {
                Report(progress = reported);
            }
            if (step.Leads == 0)
            {
                return done;
            }
        }
    }
}
