using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BehaviorPoints.Tests.Core.Leads;

/// <summary>
/// The lead list's sorted pages read an index in the list's order, ties broken by id, instead of sorting: over a million
/// leads a sort of every tie costs hundreds of milliseconds (many leads share a last-activity time or a score), the index
/// under one. The statements repeat the orders of <c>LeadQueries.Ordered</c>.
/// </summary>
public sealed class LeadListPlanTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("""ORDER BY "LastActivityAt" DESC, "Id" DESC""")]
    [InlineData("""ORDER BY "LastActivityAt", "Id" """)]
    [InlineData("""WHERE "BehaviorPoints" BETWEEN 50 AND 100 ORDER BY "BehaviorPoints", "Id" """)]
    public async Task A_sorted_page_of_the_lead_list_is_read_in_index_order(string order)
    {
        var plan = await PlanAsync($"""SELECT "Id" FROM "Leads" {order} LIMIT 25""");

        Assert.DoesNotContain(TestDatabase.OnPostgres ? "Sort" : "TEMP B-TREE", plan);
    }

    // On PostgreSQL the planner is told to avoid sorts (and scanning the whole table) whenever it can, so a sort in the
    // plan means no index gives the order; SQLite names the temporary B-tree it would sort in.
    private async Task<string> PlanAsync(string sql)
    {
        await using var db = await _database.NewContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        if (TestDatabase.OnPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_sort = off; SET LOCAL enable_incremental_sort = off; SET LOCAL enable_seqscan = off;");
        }
        await using var command = connection.CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = (TestDatabase.OnPostgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql;
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetValue(reader.FieldCount - 1)?.ToString() ?? "");
        }
        return string.Join('\n', lines);
    }
}
