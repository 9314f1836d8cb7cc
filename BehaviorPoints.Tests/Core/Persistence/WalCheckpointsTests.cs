using BehaviorPoints.Core.Sqlite;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Tests.Core.Persistence;

// SQLite's own machinery: not run in the PostgreSQL pass.
[Trait("Category", "SqliteOnly")]
public sealed class WalCheckpointsTests
{
    [Fact]
    public async Task The_loop_copies_committed_pages_from_the_log_into_the_database_file()
    {
        await using var database = await CoreDatabase.CreateAsync();
        // SQLite checkpoints by itself when the last connection to a file closes: one held open keeps the pages in the
        // log until the loop copies them (an idle connection does not hold a checkpoint back).
        await using var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database.Path};Pooling=False");
        await holder.OpenAsync();
        await using (var db = await database.NewContextAsync())
        {
            // About 500 pages: far below the size at which a commit checkpoints by itself, so they stay in the log.
            await db.Database.ExecuteSqlRawAsync("""
                CREATE TABLE "Filler" ("Data" BLOB);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                INSERT INTO "Filler" SELECT randomblob(1000) FROM n;
                """);
        }
        var before = new FileInfo(database.Path).Length;

        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => database.Get<WalCheckpoints>().RunAsync(TimeSpan.FromMilliseconds(20), stop.Token));

        var after = new FileInfo(database.Path).Length;
        Assert.True(after >= before + 2000 * 1000, $"The database file grew from {before} to {after} bytes; the 2 MB in the log were not copied in.");
    }
}
