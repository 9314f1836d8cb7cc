using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Benchmarks;

/// <summary>
/// Batched ingest over HTTP against the real app process, then single-event latency under 16 clients, with the
/// server's memory sampled throughout and the ledger checked against the pure engine at the end.
/// </summary>
internal static class IngestBenchmark
{
    /// <summary>The figures of one run; PendingDecaysLeft is how many decay steps were still overdue when the measurements ended.</summary>
    public sealed record Result(double EventsPerSecond, double PeakRssMiB, double P50Ms, double P95Ms, double P99Ms, int LatencyRequests, string? CorrectnessProblem, long PendingDecaysLeft = 0, BatchCpu? Cpu = null);

    /// <summary>
    /// The run on a database of its own (<paramref name="name"/>); <paramref name="prepare"/> adds to it before the app
    /// starts; <paramref name="shape"/> changes the published rule set (categories and stages); <paramref name="setUp"/>
    /// adds through Core's services after the rule set is published (routing rules and their reps, webhook endpoints);
    /// <paramref name="settings"/> go to the app process.
    /// </summary>
    public static async Task<Result> RunAsync(
        string folder, BenchmarkSizes sizes, string name = "ingest", Action<string>? prepare = null, Func<RuleSetDefinition, RuleSetDefinition>? shape = null,
        Func<ServiceProvider, Task>? setUp = null, IReadOnlyDictionary<string, string>? settings = null, Func<Task>? whileRunning = null)
    {
        var path = Path.Combine(folder, $"{name}.db");
        var definition = BenchmarkData.RuleSet(sizes.IngestRules);
        definition = shape?.Invoke(definition) ?? definition;
        string key;
        await using (var services = await BenchmarkData.NewDatabaseAsync(path))
        {
            await BenchmarkData.PublishAsync(services, definition);
            if (setUp is not null)
            {
                await setUp(services);
            }
            key = (await services.GetRequiredService<ApiKeyService>().CreateAsync("benchmark", ApiKeyScope.Ingest)).Key;
        }
        SqliteConnection.ClearAllPools();
        BenchmarkData.InsertLeads(path, sizes.IngestLeads);
        prepare?.Invoke(path);

        // Events are partitioned by lead across senders, so each lead's events arrive in generation order and the
        // engine replay below knows exactly what the ledger must write.
        var now = DateTime.UtcNow;
        var random = new Random(7);
        var expectation = new BenchmarkData.Expectation(CompiledRuleSet.Compile(definition, 1));
        var perSender = Enumerable.Range(0, sizes.Senders).Select(_ => new List<object>()).ToList();
        for (var i = 0; i < sizes.IngestEvents; i++)
        {
            var leadId = random.NextInt64(1, sizes.IngestLeads + 1);
            var json = BenchmarkData.Event(random, $"bench-{i}", leadId, now);
            var read = EventReader.Read(JsonSerializer.SerializeToElement(json, CoreJson.Options), now, BehaviorCatalog.BuiltInOnly);
            expectation.Add(leadId, read.Behavior!.Type, read.Behavior.OccurredAtUtc, read.Behavior.Attributes);
            perSender[(int)(leadId % sizes.Senders)].Add(json);
        }
        var bodies = perSender.Select(events => events.Chunk(sizes.BatchSize).Select(batch => JsonSerializer.SerializeToUtf8Bytes(new { events = batch }, CoreJson.Options)).ToList()).ToList();

        await using var server = await AppServer.StartAsync(path, settings);
        using var stopSampling = new CancellationTokenSource();
        var peakRss = server.PeakResidentMiBAsync(stopSampling.Token);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);

        // Warm-up: one small request so start-up costs are not counted.
        await http.PostAsJsonAsync("/api/v1/events", new { events = Array.Empty<object>() });

        var (appCpu, sendersCpu) = (server.CpuTime(), CpuTime.OfThisProcess());
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(bodies.Select(async batches =>
        {
            foreach (var body in batches)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                var response = await http.PostAsync("/api/v1/events", content);
                response.EnsureSuccessStatusCode();
            }
        }));
        var eventsPerSecond = sizes.IngestEvents / watch.Elapsed.TotalSeconds;
        var cpu = BatchCpu.Per1000(sizes.IngestEvents, server.CpuTime() - appCpu, TimeSpan.Zero, CpuTime.OfThisProcess() - sendersCpu);

        var latencies = await LatencyAsync([http], sizes, random, now);
        if (whileRunning is not null)
        {
            // What the caller waits for before the app stops (background work it started).
            await whileRunning();
        }
        long pendingLeft;
        using (var connection = BenchmarkData.Open(path))
        {
            pendingLeft = DecayBenchmark.Overdue(connection);
        }
        await stopSampling.CancelAsync();
        var rss = await peakRss;
        await server.DisposeAsync();

        var problem = Check(path, expectation, sizes.IngestEvents);
        latencies.Sort();
        double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        return new Result(eventsPerSecond, rss, Percentile(0.50), Percentile(0.95), Percentile(0.99), latencies.Count, problem, pendingLeft, cpu);
    }

    // 16 clients together at the target rate, each on its own schedule, single events for leads the batches did not use;
    // with several app instances, the clients take turns between them.
    internal static async Task<List<double>> LatencyAsync(IReadOnlyList<HttpClient> instances, BenchmarkSizes sizes, Random random, DateTime now)
    {
        var perClientInterval = TimeSpan.FromSeconds((double)sizes.LatencyClients / sizes.LatencyEventsPerSecond);
        var requestsPerClient = sizes.LatencySeconds * sizes.LatencyEventsPerSecond / sizes.LatencyClients;
        var latencies = new List<double>();
        var bodies = Enumerable.Range(0, sizes.LatencyClients)
            .Select(c => Enumerable.Range(0, requestsPerClient)
                .Select(i => JsonSerializer.SerializeToUtf8Bytes(BenchmarkData.Event(random, $"single-{c}-{i}", random.NextInt64(1, sizes.IngestLeads + 1), now), CoreJson.Options))
                .ToList())
            .ToList();
        var start = Stopwatch.StartNew();
        await Task.WhenAll(bodies.Select(async (clientBodies, client) =>
        {
            var http = instances[client % instances.Count];
            var offset = perClientInterval * client / sizes.LatencyClients;
            for (var i = 0; i < clientBodies.Count; i++)
            {
                var due = offset + perClientInterval * i;
                if (due > start.Elapsed)
                {
                    await Task.Delay(due - start.Elapsed);
                }
                using var content = new ByteArrayContent(clientBodies[i]);
                content.Headers.ContentType = new("application/json");
                var watch = Stopwatch.StartNew();
                var response = await http.PostAsync("/api/v1/events", content);
                var elapsed = watch.Elapsed.TotalMilliseconds;
                response.EnsureSuccessStatusCode();
                lock (latencies) { latencies.Add(elapsed); }
            }
        }));
        return latencies;
    }

    // Every lead's total is the sum of its entries; the entries are exactly what the engine replay implies.
    private static string? Check(string path, BenchmarkData.Expectation expectation, int batchEvents)
    {
        using var connection = BenchmarkData.Open(path);
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        var mismatched = Scalar("SELECT COUNT(*) FROM Leads l WHERE l.BehaviorPoints != (SELECT COALESCE(SUM(Points), 0) FROM ScoreEntries e WHERE e.LeadId = l.Id)");
        if (mismatched > 0)
        {
            return $"{mismatched} leads have a total that is not the sum of their entries";
        }
        // Every category score and stage score is a sum of entries too (zero rows and mismatches where nothing uses them).
        var categories = Scalar("""
            SELECT COUNT(*) FROM (SELECT LeadId, Category, SUM(Points) AS Points FROM ScoreEntries WHERE Category IS NOT NULL GROUP BY LeadId, Category) e
            LEFT JOIN LeadCategoryScores c ON c.LeadId = e.LeadId AND c.Category = e.Category WHERE c.Points IS NOT e.Points
            """);
        if (categories > 0)
        {
            return $"{categories} category scores are not the sum of their entries";
        }
        var stages = Scalar("SELECT COUNT(*) FROM Leads l WHERE l.StageScore != (SELECT COALESCE(SUM(Points), 0) FROM ScoreEntries e WHERE e.LeadId = l.Id AND e.StageVisit = l.StageVisit)");
        if (stages > 0)
        {
            return $"{stages} leads have a stage score that is not the sum of the entries written in their stage";
        }
        var stored = Scalar("SELECT COUNT(*) FROM Behaviors WHERE EventId LIKE 'bench-%'");
        if (stored != batchEvents)
        {
            return $"{stored} batch behaviors stored, {batchEvents} sent";
        }
        var entries = Scalar("SELECT COUNT(*) FROM ScoreEntries e JOIN Behaviors b ON b.Id = e.BehaviorId WHERE b.EventId LIKE 'bench-%'");
        if (entries != expectation.Entries)
        {
            return $"{entries} entries written for the batches, the rules imply {expectation.Entries}";
        }
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT e.LeadId, SUM(e.Points) FROM ScoreEntries e JOIN Behaviors b ON b.Id = e.BehaviorId WHERE b.EventId LIKE 'bench-%' GROUP BY e.LeadId";
        using var reader = command.ExecuteReader();
        var wrong = 0;
        while (reader.Read())
        {
            if (expectation.Totals.GetValueOrDefault(reader.GetInt64(0)) != reader.GetInt64(1))
            {
                wrong++;
            }
        }
        return wrong > 0 ? $"{wrong} leads' batch points differ from the engine replay" : null;
    }
}
