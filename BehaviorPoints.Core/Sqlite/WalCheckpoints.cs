using System.Data.Common;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database file off the write path. SQLite's automatic checkpoint runs inside
/// whichever transaction commits past 1,000 log pages (every few ingest batches), so a request paid for copying and
/// syncing everything before it. A loop on its own connection does it instead, concurrently with writers; the automatic
/// checkpoint stays, at <see cref="SqlitePragmas.BackstopPages"/>, for processes that do not run the loop.
/// </summary>
/// <remarks>
/// Under a steady stream of commits the log never starts over by itself: a writer restarts it only when everything in
/// it has been copied, and by the time a concurrent checkpoint finishes there is always a newer commit. So once the log
/// is over <see cref="RestartPages"/>, the loop copies the last few commits behind the <see cref="WriteGate"/>, which
/// holds writers off for a few milliseconds, and the next writer starts the log over.
/// </remarks>
public sealed class WalCheckpoints(IDbContextFactory<BehaviorPointsDbContext> dbFactory, WriteGate writeGate)
{
    /// <summary>How often the loop checkpoints; a checkpoint with nothing new to copy costs a few microseconds.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The log size (pages of 4 KiB) from which the loop lets the log start over.</summary>
    public const int RestartPages = 4_096;

    /// <summary>Checkpoints every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var checkpoint = db.Database.GetDbConnection().CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (await LogPagesAfterAsync(checkpoint, cancellationToken) >= RestartPages)
            {
                using var _ = await writeGate.EnterAsync(cancellationToken);
                await LogPagesAfterAsync(checkpoint, cancellationToken);
            }
        }
    }

    // Runs a passive checkpoint (it never waits for readers or writers) and answers how many pages the log holds.
    private static async Task<long> LogPagesAfterAsync(DbCommand checkpoint, CancellationToken cancellationToken)
    {
        await using var reader = await checkpoint.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt64(1);
    }
}
