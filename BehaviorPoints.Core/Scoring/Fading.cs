using System.Diagnostics;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// Writes the decay steps that come due (SPEC §9): each pending step becomes a decay entry on its lead, with the lead's
/// new total and level, in due order, <see cref="BatchSize"/> steps per transaction behind the write gate (ingest
/// interleaves between batches). The pending row is deleted in the same transaction as its entry is written, so a step
/// is written exactly once, whatever crashes or restarts. The worker runs it every few seconds (a step is written well
/// within a minute of its due time) and at start, which catches up on everything that came due while the app was down.
/// Beside ingest it stays out of the way: waiting writers go first (for at most <see cref="MaxYield"/>), and while
/// ingest has written lately its transactions hold <see cref="BatchSizeBesideIngest"/> steps, a few milliseconds of
/// the write gate, and it takes at most a fifth of the gate's time (<see cref="IdleTimesHeldBesideIngest"/>). With several app instances one holds the job's lease.
/// </summary>
public sealed class Fading(
    IDbContextFactory<BehaviorPointsDbContext> dbFactory,
    UnitOfWork unitOfWork,
    JobLeases leases,
    PublishedRuleSets publishedRuleSets,
    ILedgerStore store,
    ScoreNotifications notifications,
    WriteGate writeGate,
    ScoreChangeHandlers reactions,
    TimeProvider clock) : BackgroundJob
{
    public const string JobCode = "decay";

    /// <summary>Steps per transaction with nothing else writing.</summary>
    public const int BatchSize = 2_000;

    /// <summary>
    /// Steps per transaction while ingest writes (it did within <see cref="IngestWindow"/>): a request that comes while a
    /// batch holds the gate waits for it, so the batch is kept to about a millisecond (measured: 50 steps cost single
    /// events' p99 tens of milliseconds, 10 nothing measurable).
    /// </summary>
    public const int BatchSizeBesideIngest = 10;

    /// <summary>While ingest writes, after each batch the worker stays away this many times as long as the batch held the gate (a fifth of the gate at most).</summary>
    public const int IdleTimesHeldBesideIngest = 4;

    private static readonly TimeSpan IngestWindow = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxYield = TimeSpan.FromMilliseconds(250);

    public override string Name => "Fading";

    /// <summary>Writes every step due by now; returns how many.</summary>
    public override async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        int overdue;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            overdue = await db.PendingDecays.CountAsync(p => p.DueAt <= started, cancellationToken);
        }
        if (overdue == 0)
        {
            return 0;
        }

        var progress = new JobProgress(0, 0, overdue, started, null);
        Report(progress);
        var done = 0;
        while (true)
        {
            var besideIngest = writeGate.ForegroundWithin(IngestWindow);
            var held = new Stopwatch();
            var written = await unitOfWork.WriteInBackgroundAsync(scope =>
            {
                held.Start();
                return WriteDueAsync(scope, besideIngest ? BatchSizeBesideIngest : BatchSize, cancellationToken);
            }, MaxYield, cancellationToken);
            if (written <= 0)
            {
                Report(progress with { Done = done, Total = Math.Max(done, progress.Total), FinishedAt = clock.GetUtcNow().UtcDateTime });
                return done;
            }
            done += written;
            Report(progress = progress with { Done = done, Total = Math.Max(done, progress.Total) });
            if (besideIngest)
            {
                // Leave the gate free for ingest most of the time: a request that comes while a batch holds it waits.
                await Task.Delay(held.Elapsed * IdleTimesHeldBesideIngest, cancellationToken);
            }
        }
    }

    // One batch of due steps in the caller's transaction: -1 when another instance holds the job, else how many.
    private async Task<int> WriteDueAsync(WriteScope scope, int batchSize, CancellationToken cancellationToken)
    {
        var db = scope.Db;
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await leases.HoldAsync(db, JobCode, now, cancellationToken))
        {
            return -1;
        }
        var statements = store.On(db);
        var due = statements.DueDecays(now, batchSize);
        if (due.Count == 0)
        {
            await leases.ReleaseAsync(db, JobCode, now, cancellationToken);
            return 0;
        }
        if (statements.DeletePending(due) != due.Count)
        {
            // Cannot happen behind the write gate and the lease; if it does, nothing of this batch is written.
            throw new InvalidOperationException("Some due decay steps were written by another writer meanwhile; the batch is rolled back.");
        }

        var ruleSet = await publishedRuleSets.CurrentAsync(db, cancellationToken);
        var bands = PublishedRuleSets.BandsOf(ruleSet);
        var stages = ruleSet?.Stages ?? StagePath.Default;
        var leads = statements.Leads(due.Select(d => d.LeadId).Distinct(), [], [], []).ToDictionary(l => l.Id);
        var writes = new LedgerWrites();
        foreach (var step in due)
        {
            // A step's entry belongs to its lead (deleting either deletes the step), so the lead is there.
            var lead = leads[step.LeadId];
            writes.Track(lead);
            var levelBefore = lead.IntentLevel;
            var decay = LedgerWrites.DecayEntry(step.Entry!, step.AsStep(), now);
            writes.Entries.Add(decay);
            writes.Credit(lead, decay, bands, stages, now);
            if (IntentLevelChange.Of(lead, levelBefore, now) is { } change)
            {
                writes.LevelChanges.Add(change);
            }
        }
        statements.Write(writes);
        await reactions.RunAsync(new ScoreChanges(scope, writes, ruleSet, now, ScoreChangeCause.Fading), cancellationToken);
        await notifications.AnnounceAsync(scope, ScoreNotifications.ChangesOf(leads.Values, writes), cancellationToken);
        return due.Count;
    }
}
