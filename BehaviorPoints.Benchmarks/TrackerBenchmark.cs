using System.Collections.Concurrent;
using System.Diagnostics;
using BehaviorPoints.Core.Domain;
using System.Text;
using System.Text.Json;
using BehaviorPoints.Core;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Tracking;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Benchmarks;

/// <summary>
/// The website collector against the real app process (SPEC §16): 1,000 simulated visitors sending 1-5 events per
/// request as t.js does, with the answer's latency; batched API ingest of as many events in the same process as the
/// reference; then visitors identifying themselves, timed until every earlier behavior of theirs is scored; and the
/// size of /t.js gzipped as served.
/// </summary>
internal static class TrackerBenchmark
{
    public const string Origin = "https://www.bench.example";
    public const int Visitors = 1_000;
    public const int Identifying = 50;

    /// <summary>Requests in flight at once: a thousand visitors' browsers send independently of one another.</summary>
    public const int Concurrent = 64;

    public const double TargetEventsPerSecond = 5_000;

    public sealed record Result(
        double CollectorEventsPerSecond, double ApiEventsPerSecond, double P50Ms, double P99Ms, int Requests, int Events,
        double IdentifyP50Ms, double IdentifyMaxMs, int ScriptGzipBytes, string? Problem);

    public static async Task<Result> RunAsync(string folder, BenchmarkSizes sizes)
    {
        var path = Path.Combine(folder, "tracker.db");
        string key, ingestKey;
        await using (var services = await BenchmarkData.NewDatabaseAsync(path))
        {
            await BenchmarkData.PublishAsync(services, BenchmarkData.RuleSet(sizes.IngestRules));
            key = (await services.GetRequiredService<SiteService>().CreateAsync(new SiteInput { Name = "Benchmark website", Origins = [Origin] })).Site.PublishableKey;
            ingestKey = (await services.GetRequiredService<ApiKeyService>().CreateAsync("benchmark", ApiKeyScope.Ingest)).Key;
        }
        SqliteConnection.ClearAllPools();
        BenchmarkData.InsertLeads(path, sizes.IngestLeads);

        // Requests of 1-5 events from 1,000 visitors, round-robin so each visitor's requests are spread over the run.
        var random = new Random(11);
        var now = DateTime.UtcNow;
        var visitorIds = Enumerable.Range(0, Visitors).Select(_ => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())).ToArray();
        var sequence = new int[Visitors];
        var requests = new List<byte[]>();
        var events = 0;
        for (var r = 0; events < sizes.IngestEvents; r++)
        {
            var v = r % Visitors;
            var count = random.Next(1, 6);
            var batch = Enumerable.Range(0, count).Select(_ => new
            {
                id = $"{visitorIds[v]}-{++sequence[v]}",
                behavior = "website.visit",
                at = now.AddSeconds(-sizes.IngestEvents + events++).ToString("O"),
                attributes = new { url = $"{Origin}/page/{random.Next(50)}", path = $"/page/{random.Next(50)}", source = "direct" },
                sinceLoad = 30_000,
            }).ToArray();
            requests.Add(JsonSerializer.SerializeToUtf8Bytes(new { key, visitorId = visitorIds[v], events = batch }, CoreJson.Options));
        }

        var settings = new Dictionary<string, string>
        {
            // Simulated visitors send far faster than people: the limits per visitor and address are not what is measured.
            ["Collector__RateLimit__PerVisitorPerSecond"] = "100000",
            ["Collector__RateLimit__PerVisitorBurst"] = "100000",
            ["Collector__RateLimit__PerAddressPerSecond"] = "1000000",
            ["Collector__RateLimit__PerAddressBurst"] = "1000000",
            ["Collector__RateLimit__PerKeyPerSecond"] = "1000000",
            ["Collector__RateLimit__PerKeyBurst"] = "1000000",
        };
        await using var server = await AppServer.StartAsync(path, settings);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };

        // Warm-up, not counted.
        await SendAsync(http, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { key, visitorId = new string('0', 32), events = Array.Empty<object>() })));

        // Throughput: as fast as the collector takes them, 64 requests in flight.
        var failures = 0;
        var half = requests.Count / 2;
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < half)
            {
                if (await SendAsync(http, requests[i]) != 202)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var throughputEvents = requests.Take(half).Sum(EventsIn);
        var collectorRate = throughputEvents / watch.Elapsed.TotalSeconds;

        // Latency while it takes the target, 5,000 events/s: the other half of the requests on a schedule.
        var latencies = new ConcurrentBag<double>();
        var paced = requests.Skip(half).ToList();
        var interval = TimeSpan.FromSeconds(paced.Sum(EventsIn) / TargetEventsPerSecond / paced.Count);
        var pacedNext = -1;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref pacedNext)) < paced.Count)
            {
                var due = interval * i - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
                var sent = Stopwatch.GetTimestamp();
                if (await SendAsync(http, paced[i]) != 202)
                {
                    Interlocked.Increment(ref failures);
                }
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }
        }));

        // The reference in the same run: as many events through the batched API (1000 per request) to existing leads.
        http.DefaultRequestHeaders.Add("X-Api-Key", ingestKey);
        var apiBodies = Enumerable.Range(0, events).Select(i => BenchmarkData.Event(random, $"api-{i}", random.NextInt64(1, sizes.IngestLeads + 1), now))
            .Chunk(sizes.BatchSize).Select(b => JsonSerializer.SerializeToUtf8Bytes(new { events = b }, CoreJson.Options)).ToList();
        var apiNext = -1;
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(0, sizes.Senders).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref apiNext)) < apiBodies.Count)
            {
                using var content = new ByteArrayContent(apiBodies[i]);
                content.Headers.ContentType = new("application/json");
                (await http.PostAsync("/api/v1/events", content)).EnsureSuccessStatusCode();
            }
        }));
        var apiRate = events / watch.Elapsed.TotalSeconds;
        http.DefaultRequestHeaders.Remove("X-Api-Key");

        // Visitors identify themselves one after another; each is timed from its form's answer until none of its
        // behaviors waits unscored.
        var identify = new List<double>();
        using (var connection = BenchmarkData.Open(path))
        {
            for (var v = 0; v < Identifying; v++)
            {
                var visitor = visitorIds[v];
                var body = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    key,
                    visitorId = visitor,
                    events = new[] { new { id = $"{visitor}-form", behavior = "form.submit", at = now.ToString("O"), attributes = new { formId = "contact" }, identify = new { email = $"visitor{v}@bench.example", name = $"Visitor {v}" }, sinceLoad = 30_000 } },
                }, CoreJson.Options);
                var started = Stopwatch.GetTimestamp();
                await SendAsync(http, body);
                while (Waiting(connection, visitor) > 0)
                {
                    if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(30))
                    {
                        break;
                    }
                    await Task.Delay(2);
                }
                identify.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        using var gzip = new HttpRequestMessage(HttpMethod.Get, "/t.js");
        gzip.Headers.AcceptEncoding.ParseAdd("gzip");
        var scriptBytes = (await (await http.SendAsync(gzip)).Content.ReadAsByteArrayAsync()).Length;
        await server.DisposeAsync();

        string? problem = failures > 0 ? $"{failures} collector requests were not answered 202" : null;
        using (var connection = BenchmarkData.Open(path))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """SELECT COUNT(*) FROM "Behaviors" WHERE "VisitorId" IS NOT NULL""";
            var stored = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (stored != events + Identifying)
            {
                problem ??= $"{stored:N0} website behaviors stored of {events + Identifying:N0} sent";
            }
            command.CommandText = """SELECT COUNT(*) FROM "Leads" l WHERE l."BehaviorPoints" <> (SELECT COALESCE(SUM(e."Points"), 0) FROM "ScoreEntries" e WHERE e."LeadId" = l."Id")""";
            if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and var broken)
            {
                problem ??= $"{broken} leads whose total is not the sum of their entries";
            }
        }

        var sorted = latencies.Order().ToList();
        identify.Sort();
        double Percentile(List<double> values, double p) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(p * values.Count) - 1)];
        return new Result(collectorRate, apiRate, Percentile(sorted, 0.5), Percentile(sorted, 0.99), half, throughputEvents,
            Percentile(identify, 0.5), identify[^1], scriptBytes, problem);
    }

    private static int EventsIn(byte[] request)
    {
        using var document = JsonDocument.Parse(request);
        return document.RootElement.GetProperty("events").GetArrayLength();
    }

    private static async Task<int> SendAsync(HttpClient http, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/collect") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("text/plain");
        request.Headers.Add("Origin", Origin);
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    // The visitor's behaviors not yet on a lead.
    private static long Waiting(SqliteConnection connection, string visitor)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*) FROM "Behaviors" b JOIN "Visitors" v ON v."Id" = b."VisitorId"
            WHERE v."Key" = $key AND b."LeadId" IS NULL
            """;
        command.Parameters.AddWithValue("$key", visitor);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
