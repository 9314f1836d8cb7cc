using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using BehaviorPoints.Core.Composition;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Tests.Support;
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
    private TestDatabase _database = null!;
    private string _key = "";
    private string _adminKey = "";

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("bp-crash");
        var services = new ServiceCollection().AddLogging().AddBehaviorPointsCore(_database.Settings).BuildServiceProvider();
        await using (services)
        {
            var ruleSets = services.GetRequiredService<RuleSetService>();
            await ruleSets.SaveDraftAsync(Build.RuleSet(Build.Rule("Submit form", "form.submit", 7), Build.Rule("Any follow", "official_account.follow", 1)));
            await ruleSets.PublishAsync("tests");
            _key = (await services.GetRequiredService<ApiKeyService>().CreateAsync("crash test", ApiKeyScope.Ingest)).Key;
            _adminKey = (await services.GetRequiredService<ApiKeyService>().CreateAsync("crash test admin", ApiKeyScope.Admin)).Key;
            for (var i = 0; i < Leads; i++)
            {
                await services.GetRequiredService<LeadCommands>().CreateAsync(new LeadInput { Name = $"Lead {i}" }, LeadAccess.All);
            }
        }
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

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
        await using (var server = await AppProcess.StartAsync(_database.Settings))
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

        await using (var restarted = await AppProcess.StartAsync(_database.Settings))
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

        await AssertInvariantsAsync(expectedBehaviors: sent.Count * 100);
    }

    [Fact]
    public async Task Sixteen_clients_with_overlapping_batches_score_every_event_exactly_once()
    {
        await using var server = await AppProcess.StartAsync(_database.Settings);
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

        await AssertInvariantsAsync(expectedBehaviors: 15 * 50);
    }

    [Fact]
    public async Task A_kill_9_with_webhook_messages_undelivered_loses_none_the_restarted_app_delivers_each()
    {
        var settings = new Dictionary<string, string> { ["Webhooks__AllowPrivateNetworks"] = "true" };
        await using var receiver = await WebhookReceiver.StartAsync();
        // Until the kill the receiver holds every request open: nothing gets an answer.
        var hold = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Answer = (_, _) => hold.Task;

        await using (var server = await AppProcess.StartAsync(_database.Settings, settings))
        {
            using var http = server.Client(_adminKey);
            var created = await http.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, events = new[] { "lead.created" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            for (var i = 0; i < 20; i++)
            {
                (await http.PostAsJsonAsync("/api/v1/leads", new { name = $"Hooked {i}" })).EnsureSuccessStatusCode();
            }
            // Killed with deliveries in flight and messages not yet tried.
            await receiver.WaitUntilAsync(r => r.Arrivals > 0);
            server.Kill();
        }
        hold.SetResult(204);
        receiver.Answer = (_, _) => Task.FromResult(204);

        List<string> messageIds;
        await using (var services = new ServiceCollection().AddLogging().AddBehaviorPointsCore(_database.Settings).BuildServiceProvider())
        await using (var db = await services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync())
        {
            messageIds = await db.WebhookMessages.Select(m => m.MessageId).ToListAsync();
            Assert.Equal(20, messageIds.Count);
            Assert.Equal(20, await db.WebhookMessages.CountAsync(m => m.Status == WebhookMessageStatus.Pending));
        }

        // The restarted app takes the delivery lease over once the dead one's runs out, and sends every message.
        await using (await AppProcess.StartAsync(_database.Settings, settings))
        {
            await receiver.WaitUntilAsync(r => messageIds.All(id => r.Accepted.Any(a => a.Id == id)), seconds: 60);
            // The worker records each outcome a moment after the receiver answered.
            await using var services = new ServiceCollection().AddLogging().AddBehaviorPointsCore(_database.Settings).BuildServiceProvider();
            await Poll.UntilAsync(async () =>
            {
                await using var db = await services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();
                return await db.WebhookMessages.CountAsync(m => m.Status == WebhookMessageStatus.Delivered) == 20;
            }, "every message recorded as delivered");
        }
    }

    // total == sum(entries) for every lead; one behavior per event id; one entry (+7) per behavior, no orphans.
    private async Task AssertInvariantsAsync(int expectedBehaviors)
    {
        await using var services = new ServiceCollection().AddLogging().AddBehaviorPointsCore(_database.Settings).BuildServiceProvider();
        await using var db = await services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Leads.CountAsync(l => l.BehaviorPoints != (db.ScoreEntries.Where(e => e.LeadId == l.Id).Sum(e => (long?)e.Points) ?? 0)));
        Assert.Equal(expectedBehaviors, await db.Behaviors.CountAsync());
        Assert.Equal(expectedBehaviors, await db.Behaviors.Select(b => b.EventId).Distinct().CountAsync());
        Assert.Equal(0, await db.Behaviors.CountAsync(b => db.ScoreEntries.Count(e => e.BehaviorId == b.Id) != 1));
        Assert.Equal(0, await db.ScoreEntries.CountAsync(e => !db.Behaviors.Any(b => b.Id == e.BehaviorId)));
        Assert.Equal(expectedBehaviors * 7L, await db.Leads.SumAsync(l => l.BehaviorPoints));
    }
}
