using System.Text.Json;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Webhooks;

/// <summary>
/// Turns a transaction's events into outbox messages for the enabled endpoints that want them, written on the
/// transaction's connection, and wakes the delivery worker once it commits (SPEC §11).
/// </summary>
public sealed class WebhookOutbox(ILedgerStore store, WebhookDelivery delivery) : ILeadEventOutbox
{
    public async Task AddAsync(WriteScope scope, IReadOnlyCollection<LeadEvent> events, CancellationToken cancellationToken)
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
                    messages.Add(Message(endpointId, e.Type, e.LeadId, payload ??= Payload(e.Type, e.At, e.Data), e.At));
                }
            }
        }
        Write(scope, messages);
    }

    public async Task<bool> WantsAsync(WriteScope scope, string type, CancellationToken cancellationToken) =>
        (await SubscribersAsync(scope.Db, cancellationToken)).Any(s => s.Types.Contains(type));

    public async Task AddScoreChangesAsync(WriteScope scope, LedgerWrites writes, CompiledRuleSet? ruleSet, DateTime now, CancellationToken cancellationToken)
    {
        var levelMoved = writes.Leads.Any(l => l.Key.IntentLevel != l.Value.Level);
        var categoriesMoved = ruleSet is { Categories.Count: > 0 } && writes.CategoryPoints.Count > 0;
        if (!levelMoved && !categoriesMoved)
        {
            return;
        }
        var subscribers = await SubscribersAsync(scope.Db, cancellationToken);
        if (subscribers.Count == 0)
        {
            return;
        }
        var events = new List<LeadEvent>();
        if (levelMoved && subscribers.Any(s => s.Types.Contains(LeadEventTypes.IntentLevelChanged)))
        {
            foreach (var (lead, stored) in writes.Leads.OrderBy(l => l.Key.Id))
            {
                if (lead.IntentLevel != stored.Level)
                {
                    events.Add(LeadEvent.IntentLevelChanged(lead.Id, stored.Level, lead.IntentLevel, lead.BehaviorPoints, now));
                }
            }
        }
        if (categoriesMoved && subscribers.Any(s => s.Types.Contains(LeadEventTypes.CategoryThresholdReached)))
        {
            var after = store.On(scope.Db).CategoryScores(writes.CategoryPoints.Keys.Select(k => k.LeadId).Distinct());
            foreach (var ((leadId, category), added) in writes.CategoryPoints.OrderBy(c => c.Key.LeadId))
            {
                var threshold = ruleSet!.Categories.FirstOrDefault(c => c.Name == category)?.TopBandMin ?? 1;
                var score = after.GetValueOrDefault(leadId)?.GetValueOrDefault(category) ?? 0;
                if (score - added < threshold && score >= threshold)
                {
                    events.Add(new LeadEvent(LeadEventTypes.CategoryThresholdReached, leadId, now, new { leadId, category, score, threshold, at = now }));
                }
            }
        }
        await AddAsync(scope, events, cancellationToken);
    }

    /// <summary>A test event for one endpoint, written like any other message.</summary>
    internal void AddTest(WriteScope scope, int endpointId, string requestedBy, DateTime now)
    {
        var data = new { endpointId, text = "A test event sent from the endpoint's page. Verify its signature as you would any other.", requestedBy, at = now };
        Write(scope, [Message(endpointId, LeadEventTypes.Test, null, Payload(LeadEventTypes.Test, now, data), now)]);
    }

    private void Write(WriteScope scope, List<WebhookMessage> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }
        store.On(scope.Db).WriteWebhookMessages(messages);
        scope.AfterCommit(delivery.Request);
    }

    // The enabled endpoints and the types each wants: a read of a table of a few rows.
    private static async Task<List<(int EndpointId, HashSet<string> Types)>> SubscribersAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken) =>
        [.. (await db.WebhookEndpoints.AsNoTracking().Where(e => e.Enabled).Select(e => new { e.Id, e.Events }).ToListAsync(cancellationToken))
            .Select(e => (e.Id, WebhookEventList.Parse(e.Events)))];

    private static WebhookMessage Message(int endpointId, string type, long? leadId, string payload, DateTime now) => new()
    {
        EndpointId = endpointId,
        MessageId = "msg_" + Guid.CreateVersion7().ToString("N"),
        EventType = type,
        LeadId = leadId,
        Payload = payload,
        CreatedAt = now,
        Status = WebhookMessageStatus.Pending,
        NextAttemptAt = now,
    };

    /// <summary>The body: <c>{ "type", "timestamp", "data" }</c>.</summary>
    public static string Payload(string type, DateTime at, object data) =>
        JsonSerializer.Serialize(new { type, timestamp = at, data }, CoreJson.Options);
}

/// <summary>An endpoint's event types as stored: space-separated codes.</summary>
public static class WebhookEventList
{
    public static HashSet<string> Parse(string stored) => [.. stored.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>The known types among <paramref name="types"/>, each once, in the order of <see cref="LeadEventTypes.All"/>.</summary>
    public static string Format(IEnumerable<string> types) => string.Join(' ', LeadEventTypes.All.Intersect(types));
}
