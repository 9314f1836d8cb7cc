using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net;
using System.Text.Json;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Sqlite;
using BehaviorPoints.Core;
using BehaviorPoints.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Web.Api;

/// <summary>
/// The real app process on a loopback port: killed with SIGKILL while batches are in flight, and hammered by 16 clients
/// sending overlapping batches. Afterwards every acknowledged behavior is stored and scored exactly once.
/// </summary>
public sealed class CrashAndConcurrencyTests : IAsyncLifetime
{
    private const int Leads = 40;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"bp-crash-{Guid.NewGuid():N}.db");
    private string _key = "";

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection().AddLogging().AddBehaviorPointsCore($"Data Source={_path}").BuildServiceProvider();
        await using (services)
        {
            await using (var db = await services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync())
            {
                await SqliteDatabase.MigrateAsync(db);
            }
            var ruleSets = services.GetRequiredService<RuleSetService>();
            await ruleSets.SaveDraftAsync(Build.RuleSet(Build.Rule("Submit form", "form.submit", 7), Build.Rule("Any follow", "official_account.follow", 1)));
            await ruleSets.PublishAsync("tests");
            _key = (await services.GetRequiredService<ApiKeyService>().CreateAsync("crash test", ApiKeyScope.Ingest)).Key;
            for (var i = 0; i < Leads; i++)
            {
                await services.GetRequiredService<LeadCommands>().CreateAsync(new LeadInput { Name = $"Lead {i}" }, LeadAccess.All);
            }
        }
        SqliteConnection.ClearAllPools();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
        return Task.CompletedTask;
    }

    private static object Batch(string prefix, int batch, int size) => new
    {
        events = Enumerable.Range(0, size).Select(i => new { eventId = $"{prefix}-{batch}-{i}", behavior = "form.submit", leadId = 1 + (batch * size + i) % Leads }),
    };

    [Fact]
    public async Task A_kill_9_during_ingest_loses_no_acknowledged_behavior_and_writes_nothing_by_half()
    {
        var acknowledged = new ConcurrentBag<string>();
        var sent = new ConcurrentBag<(string Prefix, int Batch)>();
        var inFlight = 0;
        int inFlightAtKill;
        int acknowledgedAtKill;
        var flowing = new TaskCompletionSource();
        await using (var server = await AppProcess.StartAsync(_path))
        {
            using var http = server.Client(_key);
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 4).Select(sender => Task.Run(async () =>
            {
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    sent.Add(($"crash{sender}", batch));
                    Interlocked.Increment(ref inFlight);
                    try
                    {
                        var response = await http.PostAsJsonAsync("/api/v1/events", Batch($"crash{sender}", batch, 100));
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            foreach (var result in (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray())
                            {
                                acknowledged.Add(result.GetProperty("eventId").GetString()!);
                            }
                        }
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException or JsonException)
                    {
                        return; // the server died under this request: no answer, so no promise
                    }
                    finally
                    {
                        Interlocked.Decrement(ref inFlight);
                    }
                    if (acknowledged.Count >= 1_000)
                    {
                        flowing.TrySetResult();
                    }
                }
            })).ToList();

            // Kill once ten batches have been acknowledged, while the senders keep sending: the kill lands mid-stream.
            await flowing.Task.WaitAsync(TimeSpan.FromSeconds(60));
            inFlightAtKill = Volatile.Read(ref inFlight);
            acknowledgedAtKill = acknowledged.Count;
            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }
        Assert.True(inFlightAtKill > 0, "no batch was in flight when the server was killed");
        Assert.True(acknowledgedAtKill >= 1_000);

        await using (var restarted = await AppProcess.StartAsync(_path))
        {
            using var http = restarted.Client(_key);
            // Every behavior the client was told about is there; sending everything again scores only what was lost.
            foreach (var (prefix, batch) in sent)
            {
                var response = await http.PostAsJsonAsync("/api/v1/events", Batch(prefix, batch, 100));
                foreach (var result in (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray())
                {
                    if (acknowledged.Contains(result.GetProperty("eventId").GetString()!))
                    {
                        Assert.Equal("duplicate", result.GetProperty("status").GetString());
                    }
                }
            }
        }

        AssertInvariants(expectedBehaviors: sent.Count * 100);
    }

    [Fact]
    public async Task Sixteen_clients_with_overlapping_batches_score_every_event_exactly_once()
    {
        await using var server = await AppProcess.StartAsync(_path);
        using var http = server.Client(_key);

        // Client c sends batches c/2 .. c/2+7: every batch is sent by two or three clients at once.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(client => Task.Run(async () =>
        {
            for (var batch = client / 2; batch < client / 2 + 8; batch++)
            {
                var response = await http.PostAsJsonAsync("/api/v1/events", Batch("overlap", batch, 50));
                response.EnsureSuccessStatusCode();
            }
        })));

        AssertInvariants(expectedBehaviors: 15 * 50);
    }

    // total == sum(entries) for every lead; one behavior per event id; one entry (+7) per behavior, no orphans.
    private void AssertInvariants(int expectedBehaviors)
    {
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return (long)command.ExecuteScalar()!;
        }
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM Leads l WHERE l.BehaviorPoints != (SELECT COALESCE(SUM(Points), 0) FROM ScoreEntries e WHERE e.LeadId = l.Id)"));
        Assert.Equal(expectedBehaviors, Scalar("SELECT COUNT(*) FROM Behaviors"));
        Assert.Equal(expectedBehaviors, Scalar("SELECT COUNT(DISTINCT EventId) FROM Behaviors"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM Behaviors b WHERE (SELECT COUNT(*) FROM ScoreEntries e WHERE e.BehaviorId = b.Id) != 1"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM ScoreEntries e WHERE NOT EXISTS (SELECT 1 FROM Behaviors b WHERE b.Id = e.BehaviorId)"));
        Assert.Equal(expectedBehaviors * 7L, Scalar("SELECT SUM(BehaviorPoints) FROM Leads"));
    }

    /// <summary>BehaviorPoints.Web started as operators start it, over the test's database.</summary>
    private sealed class AppProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Uri _address;

        private AppProcess(Process process, Uri address) => (_process, _address) = (process, address);

        public static async Task<AppProcess> StartAsync(string databasePath)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "BehaviorPoints.Web.dll"), "--urls", $"http://127.0.0.1:{port}"])
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["ConnectionStrings__Default"] = $"Data Source={databasePath}";
            start.Environment["Demo__Seed"] = "false";
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"));
            using var probe = new HttpClient { BaseAddress = app._address };
            for (var attempt = 0; attempt < 150; attempt++)
            {
                try
                {
                    if ((await probe.GetAsync("/healthz")).IsSuccessStatusCode)
                    {
                        return app;
                    }
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(200);
            }
            await app.DisposeAsync();
            throw new InvalidOperationException("The app did not start.");
        }

        public HttpClient Client(string key)
        {
            var client = new HttpClient { BaseAddress = _address, Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            return client;
        }

        /// <summary>SIGKILL: no shutdown, no flushing, like a power cut for the process.</summary>
        public void Kill() => _process.Kill(entireProcessTree: true);

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
