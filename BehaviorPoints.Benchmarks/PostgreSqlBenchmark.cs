using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using BehaviorPoints.Core.Composition;
using BehaviorPoints.Core;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BehaviorPoints.Benchmarks;

/// <summary>
/// The same figures on PostgreSQL: batched ingest through two app instances sharing one database (senders split
/// between them, each instance's requests serialized with the other's by the write lock), single-event latency, the
/// ledger checked against the engine, the lead page, and the list, overview and dashboard queries at the query sizes.
/// The server is the one in <c>--postgres</c>, or a throwaway cluster started for the run.
/// </summary>
internal static class PostgreSqlBenchmark
{
    public sealed record Result(IngestBenchmark.Result? Ingest, double? LeadPageMs, IReadOnlyList<(string Name, double Ms)> Queries);

    public static async Task<Result> RunAsync(string server, BenchmarkSizes sizes)
    {
        IngestBenchmark.Result? ingest = null;
        if (sizes.Ingest)
        {
            Console.WriteLine($"PostgreSQL: ingest through two instances, {sizes.IngestEvents:N0} events to {sizes.IngestLeads:N0} leads...");
            ingest = await IngestAsync(await CreateDatabaseAsync(server, "ingest"), sizes);
        }
        if (!sizes.Queries)
        {
            return new Result(ingest, null, []);
        }

        Console.WriteLine($"PostgreSQL: lead page with {sizes.LeadPageEntries:N0} entries...");
        var leadPage = await QueryBenchmark.LeadPageAsync(await CreateDatabaseAsync(server, "leadpage"), sizes);

        Console.WriteLine($"PostgreSQL: lead list, overview and dashboard over {sizes.QueryLeads:N0} leads and {sizes.QueryEntries:N0} entries (generating)...");
        var queriesDatabase = await CreateDatabaseAsync(server, "queries");
        await using var services = await BenchmarkData.NewDatabaseAsync(queriesDatabase);
        await BenchmarkData.PublishAsync(services, BenchmarkData.RuleSet(10));
        await GenerateQueryDataAsync(queriesDatabase.ConnectionString, sizes);
        var queries = await QueryBenchmark.TimeQueriesAsync(services, sizes);
        return new Result(ingest, leadPage, queries);
    }

    private static async Task<DatabaseSettings> CreateDatabaseAsync(string server, string name)
    {
        var database = $"bp_bench_{name}";
        await using var connection = new NpgsqlConnection($"{server};Database=postgres;Pooling=false");
        await connection.OpenAsync();
        foreach (var sql in new[] { $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", $"CREATE DATABASE {database}" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        return new DatabaseSettings(DatabaseProvider.PostgreSql, $"{server};Database={database}");
    }

    private static async Task<IngestBenchmark.Result> IngestAsync(DatabaseSettings database, BenchmarkSizes sizes)
    {
        var definition = BenchmarkData.RuleSet(sizes.IngestRules);
        string key;
        await using (var services = await BenchmarkData.NewDatabaseAsync(database))
        {
            await BenchmarkData.PublishAsync(services, definition);
            key = (await services.GetRequiredService<ApiKeyService>().CreateAsync("benchmark", ApiKeyScope.Ingest)).Key;
        }
        await ExecuteAsync(database.ConnectionString, $"""
            INSERT INTO "Leads" ("Name", "Company", "Email", "ExternalId", "Status", "BehaviorPoints", "IntentLevel", "CreatedAt", "UpdatedAt", "LastActivityAt", "Industry", "Region")
            SELECT 'Lead ' || g, 'Company ' || (g % 5000), 'lead' || g || '@example.com', 'ext-' || g, 'Open', 0, 'Low',
                   timestamptz '2026-11-01', timestamptz '2026-11-01', timestamptz '2026-11-01' + (g % 20) * interval '1 day', 'Software', 'Europe'
            FROM generate_series(1, {sizes.IngestLeads}) g;
            ANALYZE;
            """);

        // The same events as the SQLite run (same seed), partitioned by lead across senders as there.
        var now = DateTime.UtcNow;
        var random = new Random(7);
        var expectation = new BenchmarkData.Expectation(CompiledRuleSet.Compile(definition, 1));
        var senders = Math.Max(2, sizes.Senders);
        var perSender = Enumerable.Range(0, senders).Select(_ => new List<object>()).ToList();
        for (var i = 0; i < sizes.IngestEvents; i++)
        {
            var leadId = random.NextInt64(1, sizes.IngestLeads + 1);
            var json = BenchmarkData.Event(random, $"bench-{i}", leadId, now);
            var read = EventReader.Read(JsonSerializer.SerializeToElement(json, CoreJson.Options), now, BehaviorCatalog.BuiltInOnly);
            expectation.Add(leadId, read.Behavior!.Type, read.Behavior.OccurredAtUtc, read.Behavior.Attributes);
            perSender[(int)(leadId % senders)].Add(json);
        }
        var bodies = perSender.Select(events => events.Chunk(sizes.BatchSize).Select(batch => JsonSerializer.SerializeToUtf8Bytes(new { events = batch }, CoreJson.Options)).ToList()).ToList();

        await using var first = await AppServer.StartAsync(database);
        await using var second = await AppServer.StartAsync(database);
        using var stopSampling = new CancellationTokenSource();
        var peakRss = first.PeakResidentMiBAsync(stopSampling.Token);
        var clients = new[] { first, second }.Select(server =>
        {
            var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
            return http;
        }).ToArray();
        foreach (var http in clients)
        {
            await http.PostAsJsonAsync("/api/v1/events", new { events = Array.Empty<object>() });
        }

        var postmaster = await CpuTime.PostmasterAsync(database.ConnectionString);
        var (appCpu, databaseCpu, sendersCpu) = (first.CpuTime() + second.CpuTime(), CpuTime.OfPostgres(postmaster), CpuTime.OfThisProcess());
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(bodies.Select(async (batches, sender) =>
        {
            var http = clients[sender % clients.Length];
            foreach (var body in batches)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                (await http.PostAsync("/api/v1/events", content)).EnsureSuccessStatusCode();
            }
        }));
        var eventsPerSecond = sizes.IngestEvents / watch.Elapsed.TotalSeconds;
        var cpu = BatchCpu.Per1000(sizes.IngestEvents, first.CpuTime() + second.CpuTime() - appCpu, CpuTime.OfPostgres(postmaster) - databaseCpu, CpuTime.OfThisProcess() - sendersCpu);

        var latencies = await IngestBenchmark.LatencyAsync(clients, sizes, random, now);
        await stopSampling.CancelAsync();
        var rss = await peakRss;
        foreach (var http in clients)
        {
            http.Dispose();
        }

        var problem = await CheckAsync(database, expectation, sizes.IngestEvents);
        latencies.Sort();
        double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        return new IngestBenchmark.Result(eventsPerSecond, rss, Percentile(0.50), Percentile(0.95), Percentile(0.99), latencies.Count, problem, Cpu: cpu);
    }

    // Every lead's total is the sum of its entries; the entries are exactly what the engine replay implies.
    private static async Task<string?> CheckAsync(DatabaseSettings database, BenchmarkData.Expectation expectation, int batchEvents)
    {
        await using var services = new ServiceCollection().AddLogging().AddBehaviorPointsCore(database).BuildServiceProvider();
        await using var db = await services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var mismatched = await db.Leads.CountAsync(l => l.BehaviorPoints != (db.ScoreEntries.Where(e => e.LeadId == l.Id).Sum(e => (long?)e.Points) ?? 0));
        if (mismatched > 0)
        {
            return $"{mismatched} leads have a total that is not the sum of their entries";
        }
        var stored = await db.Behaviors.CountAsync(b => b.EventId.StartsWith("bench-"));
        if (stored != batchEvents)
        {
            return $"{stored} batch behaviors stored, {batchEvents} sent";
        }
        var perLead = await db.ScoreEntries.Where(e => e.EventId!.StartsWith("bench-"))
            .GroupBy(e => e.LeadId).Select(g => new { Lead = g.Key, Points = g.Sum(e => (long)e.Points), Entries = g.Count() }).ToListAsync();
        if (perLead.Sum(l => l.Entries) != expectation.Entries)
        {
            return $"{perLead.Sum(l => l.Entries)} entries written for the batches, the rules imply {expectation.Entries}";
        }
        var wrong = perLead.Count(l => expectation.Totals.GetValueOrDefault(l.Lead) != l.Points);
        return wrong > 0 ? $"{wrong} leads' batch points differ from the engine replay" : null;
    }

    // The query data set, generated on the server: skewed entries (a few very active leads, many quiet ones), totals
    // and levels from them, teams, fit and statuses, the daily points roll-up and the level-change records.
    private static Task GenerateQueryDataAsync(string connectionString, BenchmarkSizes sizes) => ExecuteAsync(connectionString, $"""
        SELECT setseed(0.11);
        INSERT INTO "Teams" ("Name") VALUES ('North'), ('South'), ('Enterprise');
        INSERT INTO "Leads" ("Id", "Name", "Company", "Email", "ExternalId", "Status", "BehaviorPoints", "IntentLevel", "CreatedAt", "UpdatedAt", "LastActivityAt", "Industry", "Region",
                             "TeamId", "FitScore", "FitVersion", "FitLevel")
        OVERRIDING SYSTEM VALUE
        SELECT g, 'Lead ' || g || ' ' || (ARRAY['Smith','Garcia','Kowalski','Li','Wang','Müller','Rossi','Dubois','Silva','Kim'])[1 + (g - 1) % 10],
               'Company ' || ((g - 1) % 5000), 'lead' || g || '@example.com', 'ext-' || g,
               CASE WHEN g % 11 = 0 THEN 'Converted' WHEN g % 7 = 0 THEN 'Lost' ELSE 'Open' END, 0, 'Low',
               timestamptz '2026-11-01', timestamptz '2026-11-01', timestamptz '2026-11-01' + ((g - 1) % 20) * interval '1 day', 'Software', 'Europe',
               1 + g % 3, g % 90, 1, CASE WHEN g % 90 >= 50 THEN 'High' WHEN g % 90 >= 20 THEN 'Medium' ELSE 'Low' END
        FROM generate_series(1, {sizes.QueryLeads}) g;
        SELECT setval(pg_get_serial_sequence('"Leads"', 'Id'), {sizes.QueryLeads});
        INSERT INTO "ScoreEntries" ("LeadId", "Kind", "Points", "RuleName", "RuleSetVersion", "BehaviorType", "OccurredAt", "ScoredAt")
        SELECT LEAST({sizes.QueryLeads}, 1 + floor({sizes.QueryLeads} * power(random(), 2))::int), 'Rule', floor(random() * 14)::int - 2, 'Rule ' || (n % 10), 1,
               (ARRAY['{string.Join("','", QueryBenchmark.EntryTypes)}'])[1 + n % 8],
               timestamptz '2026-09-01 12:00' + (n % 3) * interval '1 month' + (n % 28) * interval '1 day',
               timestamptz '2026-09-01 12:00' + (n % 3) * interval '1 month' + (n % 28) * interval '1 day'
        FROM generate_series(0, {sizes.QueryEntries - 1}) n;
        UPDATE "Leads" l SET "BehaviorPoints" = s.total,
               "IntentLevel" = CASE WHEN s.total < 50 THEN 'Low' WHEN s.total <= 100 THEN 'Medium' ELSE 'High' END
        FROM (SELECT "LeadId", SUM("Points") AS total FROM "ScoreEntries" GROUP BY 1) s WHERE l."Id" = s."LeadId";
        INSERT INTO "DailyPoints" ("Day", "TeamId", "BehaviorType", "RuleName", "Points", "Entries")
        SELECT date_trunc('day', e."OccurredAt", 'UTC'), l."TeamId", e."BehaviorType", e."RuleName", SUM(e."Points"), COUNT(*)
        FROM "ScoreEntries" e JOIN "Leads" l ON l."Id" = e."LeadId" GROUP BY 1, 2, 3, 4;
        ALTER TABLE "IntentLevelChanges" DISABLE TRIGGER "IntentLevelChanges_CountDaily";
        INSERT INTO "IntentLevelChanges" ("LeadId", "TeamId", "From", "To", "ChangedAt")
        SELECT "Id", "TeamId", NULL, 'Low', timestamptz '2026-08-25 10:00' + ("Id" % 90) * interval '1 day' FROM "Leads";
        INSERT INTO "IntentLevelChanges" ("LeadId", "TeamId", "From", "To", "ChangedAt")
        SELECT "Id", "TeamId", 'Low', "IntentLevel", timestamptz '2026-08-27 10:00' + ("Id" % 90) * interval '1 day' FROM "Leads" WHERE "IntentLevel" <> 'Low';
        ALTER TABLE "IntentLevelChanges" ENABLE TRIGGER "IntentLevelChanges_CountDaily";
        INSERT INTO "DailyLevelEntries" ("Day", "TeamId", "Level", "Count")
        SELECT date_trunc('day', "ChangedAt", 'UTC'), COALESCE("TeamId", 0), "To", COUNT(*) FROM "IntentLevelChanges" WHERE "To" IS NOT NULL GROUP BY 1, 2, 3;
        VACUUM ANALYZE;
        """);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var statement in sql.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await using var command = new NpgsqlCommand(statement, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync();
        }
    }
}
