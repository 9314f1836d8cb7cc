using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence;

/// <summary>
/// Copies the write-ahead log back into the database file off the write path. SQLite's automatic checkpoint runs inside
/// whichever transaction commits past 1,000 log pages (every few ingest batches), so a request paid for copying and
/// syncing everything before it. A loop on its own connection does it instead, concurrently with writers; the automatic
/// checkpoint stays, at <see cref="SqlitePragmas.BackstopPages"/>, for processes that do not run the loop.
/// </summary>
public sealed class WalCheckpoints(IDbContextFactory<BehaviorPointsDbContext> dbFactory)
{
    /// <summary>How often the loop checkpoints; a checkpoint with nothing new to copy costs a few microseconds.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Checkpoints (PASSIVE: never waits for readers or writers) every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
