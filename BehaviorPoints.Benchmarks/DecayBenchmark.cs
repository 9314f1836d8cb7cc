using System.Diagnostics;
using System.Globalization;
using BehaviorPoints.Core.Scoring;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Benchmarks;

/// <summary>
/// Fading (SPEC §9): the worker's decay entries per second with nothing else running, and batched ingest and
/// single-event latency while the app catches up a backlog of overdue steps at start (as after downtime), each beside
/// the same ingest on a database with nothing to catch up, measured in the same run.
/// </summary>
internal static class DecayBenchmark
{
    public sealed record Result(int WorkerSteps, double WorkerStepsPerSecond, double LongestBatchMs, int BacklogSteps, IngestBenchmark.Result Without, IngestBenchmark.Result With);

    public static async Task<Result> RunAsync(string folder, BenchmarkSizes sizes)
    {
        var path = Path.Combine(folder, "decay-worker.db");
        int written;
        TimeSpan elapsed;
        var batches = new List<double>();
        await using (var services = await BenchmarkData.NewDatabaseAsync(path))
        {
            await BenchmarkData.PublishAsync(services, BenchmarkData.RuleSet(sizes.IngestRules));
            InsertOverdueSteps(path, firstLead: 1, leads: 10_000, steps: sizes.DecayWorkerSteps);
            var fading = services.GetRequiredService<Fading>();
            var watch = Stopwatch.StartNew();
            var last = TimeSpan.Zero;
            fading.Changed += _ => { batches.Add((watch.Elapsed - last).TotalMilliseconds); last = watch.Elapsed; };
            written = await fading.RunAsync();
            elapsed = watch.Elapsed;
        }
        SqliteConnection.ClearAllPools();
        if (written != sizes.DecayWorkerSteps)
        {
            throw new InvalidOperationException($"The worker wrote {written} decay entries of {sizes.DecayWorkerSteps}.");
        }

        Console.WriteLine("  ingest with nothing to catch up...");
        var without = await IngestBenchmark.RunAsync(folder, sizes, "ingest-no-backlog");
        Console.WriteLine($"  ingest while the app catches up {sizes.DecayBacklogSteps:N0} overdue steps...");
        var with = await IngestBenchmark.RunAsync(folder, sizes, "ingest-with-backlog",
            prepare: p => InsertOverdueSteps(p, firstLead: sizes.IngestLeads + 1, leads: 20_000, steps: sizes.DecayBacklogSteps));
        // The first report comes before the first batch; the last after the empty look that ends the run.
        return new Result(written, written / elapsed.TotalSeconds, batches.Skip(1).DefaultIfEmpty().Max(), sizes.DecayBacklogSteps, without, with);
    }

    /// <summary>How many decay steps are due and not written yet.</summary>
    public static long Overdue(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM PendingDecays WHERE DueAt <= $now";
        command.Parameters.AddWithValue("$now", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    // Leads firstLead.. with +5 entries from 100 days ago (spread over a day), each with its two steps ("halves after 30
    // days, gone after 90") overdue: steps / 2 entries, totals and levels as the entries say.
    private static void InsertOverdueSteps(string path, long firstLead, int leads, int steps)
    {
        using var connection = BenchmarkData.Open(path);
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $leads - 1)
            INSERT INTO Leads (Id, Name, Email, Status, BehaviorPoints, IntentLevel, CreatedAt, UpdatedAt, Industry, Region)
            SELECT $first + i, 'Cooling lead ' || i, 'cooling' || i || '@example.com', 'Open', 0, 'Low', $at, $at, 'Software', 'Europe' FROM n;

            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $entries - 1)
            INSERT INTO ScoreEntries (LeadId, Kind, Points, RuleName, RuleSetVersion, OccurredAt, ScoredAt)
            SELECT $first + i % $leads, 'Rule', 5, 'Visit the website', 1, datetime($at, '+' || (i % 86400) || ' seconds'), $at FROM n;

            INSERT INTO PendingDecays (EntryId, Step, LeadId, DueAt, Points, Kept)
            SELECT Id, 1, LeadId, datetime(OccurredAt, '+30 days'), -2, 3 FROM ScoreEntries WHERE LeadId >= $first
            UNION ALL
            SELECT Id, 2, LeadId, datetime(OccurredAt, '+90 days'), -3, 0 FROM ScoreEntries WHERE LeadId >= $first;

            UPDATE Leads SET BehaviorPoints = (SELECT COALESCE(SUM(Points), 0) FROM ScoreEntries e WHERE e.LeadId = Leads.Id) WHERE Id >= $first;
            UPDATE Leads SET IntentLevel = CASE WHEN BehaviorPoints <= 49 THEN 'Low' WHEN BehaviorPoints <= 100 THEN 'Medium' ELSE 'High' END WHERE Id >= $first;
            """;
        command.Parameters.AddWithValue("$first", firstLead);
        command.Parameters.AddWithValue("$leads", leads);
        command.Parameters.AddWithValue("$entries", steps / 2);
        command.Parameters.AddWithValue("$at", DateTime.UtcNow.AddDays(-100).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        command.CommandTimeout = 600;
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}
