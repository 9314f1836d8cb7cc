using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BehaviorPoints.Benchmarks;

/// <summary>
/// Webhooks (SPEC §11): the delivery worker draining an outbox to a receiver on loopback, beside plain HTTP requests to the
/// same receiver (the ceiling); then batched ingest with an endpoint subscribed to every event beside the same ingest
/// without it (alternating pairs, same run), with the time from each message's commit to the receiver's answer.
/// </summary>
internal static class WebhookBenchmark
{
    public sealed record Result(
        int Messages, double DeliveriesPerSecond, double RawRequestsPerSecond,
        IReadOnlyList<(IngestBenchmark.Result Without, IngestBenchmark.Result With)> Pairs,
        long Written, int Received, double P50Ms, double P99Ms, string? Problem)
    {
        public double Ratio => Pairs.Average(p => p.With.EventsPerSecond) / Pairs.Average(p => p.Without.EventsPerSecond);
    }

    public const int Rounds = 2;
    public const int Messages = 20_000;

    public static async Task<Result> RunAsync(string folder, BenchmarkSizes sizes)
    {
        await using var receiver = await Receiver.StartAsync();

        Console.WriteLine($"  the delivery worker sending {Messages:N0} messages to a receiver on loopback...");
        var (deliveriesPerSecond, deliveryProblem) = await DeliverAsync(folder, receiver);
        Console.WriteLine("  the same receiver answering plain requests (the ceiling)...");
        var raw = await RawAsync(receiver);

        var pairs = new List<(IngestBenchmark.Result, IngestBenchmark.Result)>();
        long written = 0;
        List<double> latencies = [];
        for (var round = 1; round <= Rounds; round++)
        {
            Console.WriteLine($"  ingest without webhooks ({round} of {Rounds})...");
            var without = await IngestBenchmark.RunAsync(folder, sizes, $"ingest-unhooked-{round}");
            Console.WriteLine($"  ingest with an endpoint subscribed to every event ({round} of {Rounds})...");
            receiver.Reset();
            var with = await IngestBenchmark.RunAsync(folder, sizes, $"ingest-hooked-{round}",
                setUp: services => services.GetRequiredService<WebhookEndpoints>().CreateAsync(new WebhookEndpointInput(receiver.Url, WebhookEventTypes.All), "benchmark"),
                settings: new Dictionary<string, string> { ["Webhooks__AllowPrivateNetworks"] = "true" });
            pairs.Add((without, with));
            latencies = [.. receiver.Latencies.Order()];
            using var connection = BenchmarkData.Open(Path.Combine(folder, $"ingest-hooked-{round}.db"));
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM WebhookMessages";
            written = (long)count.ExecuteScalar()!;
        }
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        return new Result(Messages, deliveriesPerSecond, raw, pairs, written, latencies.Count, Percentile(0.5), Percentile(0.99), deliveryProblem);
    }

    // An outbox of Messages lead.created messages (a lead each), drained by the worker; every one must arrive.
    private static async Task<(double PerSecond, string? Problem)> DeliverAsync(string folder, Receiver receiver)
    {
        var path = Path.Combine(folder, "webhooks-delivery.db");
        await using var services = await BenchmarkData.NewDatabaseAsync(path);
        await services.GetRequiredService<WebhookEndpoints>().CreateAsync(new WebhookEndpointInput(receiver.Url, [LeadCreated.TypeName]), "benchmark");
        var now = DateTime.UtcNow;
        var outbox = services.GetRequiredService<WebhookOutbox>();
        await services.GetRequiredService<UnitOfWork>().WriteAsync(scope => outbox.AddAsync(scope,
            [.. Enumerable.Range(1, Messages).Select(i => (IWebhookEvent)new LeadCreated(i, $"Lead {i}", null, null, null, null, null, "New", now))], CancellationToken.None));
        receiver.Reset();
        var watch = Stopwatch.StartNew();
        await services.GetRequiredService<WebhookDelivery>().RunAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        await using var db = await services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();
        var delivered = await db.WebhookMessages.CountAsync(m => m.Status == WebhookMessageStatus.Delivered);
        SqliteConnection.ClearAllPools();
        var problem = delivered != Messages || receiver.Count < Messages ? $"{delivered:N0} delivered, {receiver.Count:N0} received of {Messages:N0}" : null;
        return (Messages / seconds, problem);
    }

    // The receiver's own ceiling: the same bodies posted with as many requests at once as the worker uses.
    private static async Task<double> RawAsync(Receiver receiver)
    {
        using var http = new HttpClient();
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "lead.created", timestamp = DateTime.UtcNow, data = new { leadId = 1 } }));
        var next = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, new WebhookOptions().ConcurrencyPerEndpoint).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= Messages)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                (await http.PostAsync(receiver.Url, content)).EnsureSuccessStatusCode();
            }
        }));
        return Messages / watch.Elapsed.TotalSeconds;
    }

    /// <summary>A receiver on loopback that answers 204 and notes how long after its event's commit each message came.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _count;

        private Receiver(WebApplication app) => _app = app;

        public ConcurrentBag<double> Latencies { get; private set; } = [];

        public int Count => Volatile.Read(ref _count);

        public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

        public void Reset()
        {
            Latencies = [];
            _count = 0;
        }

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/hook", async (HttpContext context) =>
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body);
                // The body's timestamp is the moment of the change, in its transaction: the latency counts its commit too.
                if (body.RootElement.TryGetProperty("timestamp", out var at) && at.TryGetDateTime(out var happened))
                {
                    receiver.Latencies.Add((DateTime.UtcNow - happened.ToUniversalTime()).TotalMilliseconds);
                }
                Interlocked.Increment(ref receiver._count);
                return Results.NoContent();
            });
            await app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
