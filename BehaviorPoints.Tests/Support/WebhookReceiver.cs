using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BehaviorPoints.Tests.Support;

/// <summary>
/// A webhook receiver on loopback (Kestrel): records every request it gets (headers and body) and answers each with
/// what <see cref="Answer"/> says, 204 by default. Tests make it fail, stall or say Gone.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>How many requests arrived, answered or not yet.</summary>
    public int Arrivals => Volatile.Read(ref _arrivals);
    private int _arrivals;

    /// <summary>The status to answer a request with (given the request and how many came before it); 204 unless set.</summary>
    public Func<ReceivedWebhook, int, Task<int>> Answer { get; set; } = (_, _) => Task.FromResult(204);

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

    /// <summary>The requests that got a 2xx answer.</summary>
    public IEnumerable<ReceivedWebhook> Accepted => Received.Where(r => r.Status is >= 200 and < 300);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        var count = 0;
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var received = new ReceivedWebhook(
                context.Request.Headers["webhook-id"].ToString(),
                context.Request.Headers["webhook-timestamp"].ToString(),
                context.Request.Headers["webhook-signature"].ToString(),
                await reader.ReadToEndAsync(),
                DateTime.UtcNow);
            Interlocked.Increment(ref receiver._arrivals);
            var status = await receiver.Answer(received, Interlocked.Increment(ref count) - 1);
            received.Status = status;
            receiver.Received.Enqueue(received);
            context.Response.StatusCode = status;
            if (status >= 300)
            {
                await context.Response.WriteAsync($"receiver says {status}");
            }
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until <paramref name="done"/> holds of what was received (or fails after <paramref name="seconds"/>).</summary>
    public Task WaitUntilAsync(Func<WebhookReceiver, bool> done, int seconds = 30) =>
        Poll.UntilAsync(() => Task.FromResult(done(this)), $"the receiver to get what the test waited for ({Received.Count} requests so far)", seconds);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, DateTime At)
{
    public int Status { get; set; }

    /// <summary>Verifies the request as a receiver would, with the Standard Webhooks library; throws when it does not verify.</summary>
    public void VerifyWith(string secret) => new StandardWebhooks.StandardWebhook(secret).Verify(Body, new HeaderDictionary
    {
        ["webhook-id"] = Id,
        ["webhook-timestamp"] = Timestamp,
        ["webhook-signature"] = Signature,
    });
}
