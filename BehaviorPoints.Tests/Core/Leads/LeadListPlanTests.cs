using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace BehaviorPoints.Tests.Core.Leads;

/// <summary>
/// The lead list's sorted pages read an index in the list's order, ties broken by id, instead of sorting: over a million
/// leads a sort of every tie costs hundreds of milliseconds (many leads share a last-activity time or a score), the index
/// under one. Each page is read as <c>LeadQueries</c> reads it: the statement it ran, with its parameters, is explained.
/// </summary>
public sealed class LeadListPlanTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    public static TheoryData<LeadSort, long?, long?> Pages => new()
    {
        { new LeadQuery().Sort, null, null }, // the list's default order, highest score first
        { LeadSort.ScoreAsc, null, null },
        { LeadSort.ScoreAsc, 50, 100 },
        { LeadSort.LastActivityDesc, null, null },
        { LeadSort.LastActivityAsc, null, null },
        { LeadSort.NewestFirst, null, null },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task A_sorted_page_of_the_lead_list_is_read_in_index_order(LeadSort sort, long? minScore, long? maxScore)
    {
        RanCommand page;
        using (var activity = DatabaseActivity.For(_database.Path))
        {
            await _database.Get<LeadQueries>().ListAsync(new LeadQuery { Sort = sort, MinScore = minScore, MaxScore = maxScore, Limit = 25 }, LeadAccess.All);
            page = activity.CommandsRun.Single(c => c.Text.Contains("ORDER BY", StringComparison.Ordinal));
        }

        var plan = await PlanAsync(page);

        Assert.DoesNotContain(TestDatabase.OnPostgres ? "Sort" : "TEMP B-TREE", plan);
    }

    // On PostgreSQL the planner is told to avoid sorts (and scanning the whole table) whenever it can, so a sort in the
    // plan means no index gives the order; SQLite names the temporary B-tree it would sort in.
    private async Task<string> PlanAsync(RanCommand ran)
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
        command.CommandText = (TestDatabase.OnPostgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + ran.Text;
        foreach (var (name, value) in ran.Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetValue(reader.FieldCount - 1)?.ToString() ?? "");
        }
        return string.Join('\n', lines);
    }
}
