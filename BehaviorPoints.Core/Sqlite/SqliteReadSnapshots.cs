using BehaviorPoints.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Sqlite;

/// <summary>
/// A deferred transaction: SQLite gives it a snapshot at its first read and it stays a reader (EF's default
/// BEGIN IMMEDIATE would queue behind ingest for the write lock).
/// </summary>
internal sealed class SqliteReadSnapshots : IReadSnapshots
{
    public async Task<IAsyncDisposable> BeginAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var snapshot = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(snapshot, cancellationToken);
        return snapshot;
    }
}
