using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Benchmarks;

/// <summary>
/// Categories and stages (SPEC §12): batched ingest and single-event latency with every rule counting toward one of
/// three categories and leads advancing through stages, beside the same ingest without them in the same run; and the
/// lead list filtered and sorted by a category's score over many leads.
/// </summary>
internal static class FunnelBenchmark
{
    /// <summary>The ingest pairs (without, with) in the order they ran, and the queries' medians.</summary>
    public sealed record Result(
        IReadOnlyList<(IngestBenchmark.Result Without, IngestBenchmark.Result With)> Pairs, int Leads, int LeadsInCategory, IReadOnlyList<(string Name, double Ms)> Queries)
    {
        /// <summary>What the last "with" run wrote besides entries: stage moves and category score rows.</summary>
        public long StageMoves { get; init; }
        public long CategoryRows { get; init; }

        /// <summary>The mean events/s with ÷ without: the machine's speed drifts over minutes, so the pairs alternate.</summary>
        public double Ratio => Pairs.Average(p => p.With.EventsPerSecond) / Pairs.Average(p => p.Without.EventsPerSecond);
    }

    /// <summary>How many times the pair runs (without, with, without, with, ...).</summary>
    public const int Rounds = 2;

    public static readonly string[] Categories = ["CRM", "Marketing Cloud", "Service Cloud"];

    /// <summary>The benchmark's rules, each counting toward a category in turn, with stages advancing at 20, 60 and 150.</summary>
    public static RuleSetDefinition WithFunnel(RuleSetDefinition definition) => definition with
    {
        Categories = [.. Categories.Select(c => new CategoryDefinition { Name = c, Ranges = [new() { Label = "Cold", Max = 19 }, new() { Label = "Warm", Min = 20, Max = 59 }, new() { Label = "Hot", Min = 60 }] })],
        Rules = [.. definition.Rules.Select((r, i) => r with { Category = Categories[i % Categories.Length] })],
        Stages =
        [
            new() { Name = "New", AdvanceAt = 20 },
            new() { Name = "Engaged", AdvanceAt = 60 },
            new() { Name = "Marketing qualified", AdvanceAt = 150 },
            new() { Name = "Sales qualified" },
        ],
    };

    public static async Task<Result> RunAsync(string folder, BenchmarkSizes sizes)
    {
        var pairs = new List<(IngestBenchmark.Result, IngestBenchmark.Result)>();
        for (var round = 1; round <= Rounds; round++)
        {
            Console.WriteLine($"  ingest without categories and stages ({round} of {Rounds})...");
            var without = await IngestBenchmark.RunAsync(folder, sizes, $"ingest-plain-{round}");
            Console.WriteLine($"  ingest with three categories and four stages ({round} of {Rounds})...");
            var with = await IngestBenchmark.RunAsync(folder, sizes, $"ingest-funnel-{round}", shape: WithFunnel);
            pairs.Add((without, with));
        }

        Console.WriteLine($"  the category filter over {sizes.FunnelLeads:N0} leads (generating)...");
        var path = Path.Combine(folder, "funnel-queries.db");
        await using var services = await BenchmarkData.NewDatabaseAsync(path);
        await BenchmarkData.PublishAsync(services, WithFunnel(BenchmarkData.RuleSet(10)));
        SqliteConnection.ClearAllPools();
        // Totals spread from 0 to 299, as a scored population has them (the lists sort by them).
        BenchmarkData.InsertLeads(path, sizes.FunnelLeads, i => i * 7919L % 300);
        var inCategory = InsertCategoryScores(path, sizes.FunnelLeads);

        var queries = services.GetRequiredService<LeadQueries>();
        var results = new List<(string, double)>
        {
            ($"lead list: CRM score ≥ 60 (Hot), by CRM score, of {sizes.FunnelLeads:N0} leads",
                await QueryBenchmark.MedianMsAsync(5, () => queries.ListAsync(new LeadQuery { Category = "CRM", MinCategoryScore = 60, Sort = LeadSort.CategoryScoreDesc, Limit = 25 }, LeadAccess.All))),
            ("lead list: any CRM points, by Behavior Points",
                await QueryBenchmark.MedianMsAsync(5, () => queries.ListAsync(new LeadQuery { Category = "CRM", Limit = 25 }, LeadAccess.All))),
            ("lead list: stage Engaged, by Behavior Points",
                await QueryBenchmark.MedianMsAsync(5, () => queries.ListAsync(new LeadQuery { Stage = "Engaged", Limit = 25 }, LeadAccess.All))),
        };
        using var written = BenchmarkData.Open(Path.Combine(folder, $"ingest-funnel-{Rounds}.db"));
        return new Result(pairs, sizes.FunnelLeads, inCategory, results)
        {
            StageMoves = Count(written, "StageChanges"),
            CategoryRows = Count(written, "LeadCategoryScores"),
        };
    }

    private static long Count(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // Three in five leads have CRM points (1-200), every other one Marketing Cloud points, and a fifth of them are
    // Engaged: spread as a year of scoring would leave them.
    private static int InsertCategoryScores(string path, int leads)
    {
        using var connection = BenchmarkData.Open(path);
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO LeadCategoryScores (LeadId, Category, Points)
            SELECT Id, 'CRM', 1 + (Id * 7919) % 200 FROM Leads WHERE Id % 5 < 3;
            INSERT INTO LeadCategoryScores (LeadId, Category, Points)
            SELECT Id, 'Marketing Cloud', 1 + (Id * 104729) % 120 FROM Leads WHERE Id % 2 = 0;
            UPDATE Leads SET Stage = 'Engaged' WHERE Id % 5 = 1;
            """;
        command.ExecuteNonQuery();
        transaction.Commit();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM LeadCategoryScores WHERE Category = 'CRM'";
        return Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
