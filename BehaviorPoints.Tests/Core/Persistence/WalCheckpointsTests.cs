using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Tests.Core.Persistence;

public sealed class WalCheckpointsTests
{
    [Fact]
    public async Task The_loop_copies_committed_pages_from_the_log_into_the_database_file()
    {
        await using var database = await CoreDatabase.CreateAsync();
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

    [Fact]
    public async Task Under_a_steady_stream_of_commits_the_log_still_starts_over()
    {
        await using var database = await CoreDatabase.CreateAsync();
        // Over RestartPages of log to begin with.
        await ExecuteAsync(database, """
            CREATE TABLE "Filler" ("Data" BLOB);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
            INSERT INTO "Filler" SELECT randomblob(3000) FROM n;
            """);
        Assert.True(await LogPagesAsync(database) > WalCheckpoints.RestartPages);

        // Commits back to back behind the write gate, as the ledger makes them under load, while the loop runs (on a
        // thread of their own, so the loop's timer is not starved).
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var loop = database.Get<WalCheckpoints>().RunAsync(TimeSpan.FromMilliseconds(20), stop.Token);
        var gate = database.Get<WriteGate>();
        await Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using (gate.EnterAsync().GetAwaiter().GetResult())
                {
                    using var db = database.NewContextAsync().GetAwaiter().GetResult();
                    db.Database.ExecuteSqlRaw("""INSERT INTO "Filler" VALUES (randomblob(30000));""");
                }
            }
        }, TaskCreationOptions.LongRunning);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);

        var pages = await LogPagesAsync(database);
        Assert.True(pages < WalCheckpoints.RestartPages, $"The log holds {pages} pages: it never started over.");
    }

    private static async Task ExecuteAsync(CoreDatabase database, string sql)
    {
        await using var db = await database.NewContextAsync();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    // The pages the log holds now (a passive checkpoint reports it, and copies them, which does not restart the log).
    private static async Task<long> LogPagesAsync(CoreDatabase database)
    {
        await using var db = await database.NewContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await checkpoint.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetInt64(1);
    }
}
