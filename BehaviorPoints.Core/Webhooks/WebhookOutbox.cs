using System.Text.Json;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Webhooks;

/// <summary>
/// Turns a transaction's events into outbox messages for the enabled endpoints that want them, written on the
/// transaction's connection, so nothing is sent for a change that rolled back and nothing is lost for one that
/// committed; wakes the delivery worker once it commits (SPEC §11). Costs one small read per transaction when events
/// come and nobody subscribes.
/// </summary>
public sealed class WebhookOutbox(IWebhookStore store, WebhookDelivery delivery)
{
    public async Task AddAsync(WriteScope scope, IReadOnlyCollection<IWebhookEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }
        var subscribers = await SubscribersAsync(scope.Db, cancellationToken);
        var messages = new List<WebhookMessage>();
        foreach (var e in events)
        {
            string? payload = null;
            foreach (var (endpointId, types) in subscribers)
            {
                if (types.Contains(e.Type))
                {
                    messages.Add(Message(endpointId, e, payload ??= Payload(e)));
                }
            }
        }
        Write(scope, messages);
    }

    /// <summary>Whether an enabled endpoint wants events of <paramref name="type"/> (to skip building many events nobody wants).</summary>
    public async Task<bool> WantsAsync(WriteScope scope, string type, CancellationToken cancellationToken) =>
        (await SubscribersAsync(scope.Db, cancellationToken)).Any(s => s.Types.Contains(type));

    /// <summary>The types some enabled endpoint wants (to skip building events nobody wants).</summary>
    internal async Task<HashSet<string>> WantedTypesAsync(WriteScope scope, CancellationToken cancellationToken) =>
        [.. (await SubscribersAsync(scope.Db, cancellationToken)).SelectMany(s => s.Types)];

    /// <summary>A test event for one endpoint, written like any other message.</summary>
    internal void AddTest(WriteScope scope, int endpointId, string requestedBy, DateTime now)
    {
        var test = new WebhookTest(endpointId, "A test event sent from the endpoint's page. Verify its signature as you would any other.", requestedBy, now);
        Write(scope, [Message(endpointId, test, Payload(test))]);
    }

    private void Write(WriteScope scope, List<WebhookMessage> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }
        store.On(scope.Db).WriteMessages(messages);
        scope.AfterCommit(delivery.Request);
    }

    // The enabled endpoints and the types each wants: a read of a table of a few rows.
    private static async Task<List<(int EndpointId, HashSet<string> Types)>> SubscribersAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken) =>
        [.. (await db.WebhookEndpoints.AsNoTracking().Where(e => e.Enabled).Select(e => new { e.Id, e.Events }).ToListAsync(cancellationToken))
            .Select(e => (e.Id, WebhookEventList.Parse(e.Events)))];

    private static WebhookMessage Message(int endpointId, IWebhookEvent e, string payload) => new()
    {
        EndpointId = endpointId,
        MessageId = "msg_" + Guid.CreateVersion7().ToString("N"),
        EventType = e.Type,
        LeadId = e.LeadId,
        Payload = payload,
        CreatedAt = e.At,
        Status = WebhookMessageStatus.Pending,
        NextAttemptAt = e.At,
    };

    /// <summary>The body: <c>{ "type", "timestamp", "data" }</c>, <c>data</c> being the event record's own JSON.</summary>
    public static string Payload(IWebhookEvent e) =>
        JsonSerializer.Serialize(new { type = e.Type, timestamp = e.At, data = (object)e }, CoreJson.Options);
}

/// <summary>An endpoint's event types as stored: space-separated codes.</summary>
public static class WebhookEventList
{
    public static HashSet<string> Parse(string stored) => [.. stored.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>The known types among <paramref name="types"/>, each once, in the order of <see cref="WebhookEventTypes.All"/>.</summary>
    public static string Format(IEnumerable<string> types) => string.Join(' ', WebhookEventTypes.All.Intersect(types));
}
