using System.Text.Json.Serialization;

namespace BehaviorPoints.Core.Webhooks;

/// <summary>
/// Something that happened, for the systems around the app (SPEC §11): one record per event type, whose public
/// properties are the delivered body's <c>data</c> object, in their order. Producers construct the record; the outbox
/// serializes it.
/// </summary>
public interface IWebhookEvent
{
    /// <summary>The event type, as endpoints subscribe to it.</summary>
    string Type { get; }

    /// <summary>The lead it is about (kept with the message for the delivery log); null for the test event.</summary>
    long? LeadId { get; }

    DateTime At { get; }
}

/// <summary>A lead's Intent Level changed (scored, faded, adjusted, re-scored, or the ranges were republished).</summary>
public sealed record LeadIntentLevelChanged(long LeadId, string? From, string? To, long Total, DateTime At) : IWebhookEvent
{
    public const string TypeName = "lead.intent_level_changed";
    string IWebhookEvent.Type => TypeName;
    long? IWebhookEvent.LeadId => LeadId;
}

/// <summary>A lead got an owner: by a routing rule (<paramref name="Rule"/> names it), a claim from the pool, or by hand.</summary>
public sealed record LeadAssigned(long LeadId, string? OwnerEmail, string? OwnerName, string? Rule, string Reason, DateTime At) : IWebhookEvent
{
    public const string TypeName = "lead.assigned";
    string IWebhookEvent.Type => TypeName;
    long? IWebhookEvent.LeadId => LeadId;
}

/// <summary>A routing rule created a follow-up task.</summary>
public sealed record TaskCreated(long TaskId, long LeadId, string? AssigneeEmail, DateTime DueAt, string? Rule, int Reclaims, DateTime At) : IWebhookEvent
{
    public const string TypeName = "task.created";
    string IWebhookEvent.Type => TypeName;
    long? IWebhookEvent.LeadId => LeadId;
}

/// <summary>A follow-up task passed its due time and grace still open: the lead went back to the pool.</summary>
public sealed record TaskOverdue(long TaskId, long LeadId, string? AssigneeEmail, DateTime DueAt, string? Rule, int Reclaims, DateTime At) : IWebhookEvent
{
    public const string TypeName = "task.overdue";
    string IWebhookEvent.Type => TypeName;
    long? IWebhookEvent.LeadId => LeadId;
}

/// <summary>A lead was created (by hand, the API or an import), with its team's name and owner's email as people know them.</summary>
public sealed record LeadCreated(
    long LeadId, string Name, string? Email, string? Company, string? Team, string? OwnerEmail, string? IntentLevel, string Stage, DateTime At) : IWebhookEvent
{
    public const string TypeName = "lead.created";
    string IWebhookEvent.Type => TypeName;
    long? IWebhookEvent.LeadId => LeadId;
}

/// <summary>A lead's score in a category reached the category's top range (SPEC §12).</summary>
public sealed record LeadCategoryThresholdReached(long LeadId, string Category, long Score, long Threshold, DateTime At) : IWebhookEvent
{
    public const string TypeName = "lead.category_threshold_reached";
    string IWebhookEvent.Type => TypeName;
    long? IWebhookEvent.LeadId => LeadId;
}

/// <summary>Sent to one endpoint on request from its page, never subscribed to.</summary>
public sealed record WebhookTest(int EndpointId, string Text, string RequestedBy, DateTime At) : IWebhookEvent
{
    public const string TypeName = "webhook.test";
    string IWebhookEvent.Type => TypeName;

    [JsonIgnore]
    public long? LeadId => null;
}

/// <summary>The event types endpoints subscribe to, in the order the forms list them, with what each reports.</summary>
public static class WebhookEventTypes
{
    /// <summary>Each subscribable type with the record that is its payload.</summary>
    public static IReadOnlyList<(string Type, Type Payload)> Catalog { get; } =
    [
        (LeadIntentLevelChanged.TypeName, typeof(LeadIntentLevelChanged)),
        (LeadAssigned.TypeName, typeof(LeadAssigned)),
        (TaskCreated.TypeName, typeof(TaskCreated)),
        (TaskOverdue.TypeName, typeof(TaskOverdue)),
        (LeadCreated.TypeName, typeof(LeadCreated)),
        (LeadCategoryThresholdReached.TypeName, typeof(LeadCategoryThresholdReached)),
    ];

    public static IReadOnlyList<string> All { get; } = [.. Catalog.Select(c => c.Type)];

    /// <summary>What each type reports, in the words of the endpoint form.</summary>
    public static string Describe(string type, IWords? words = null)
    {
        words ??= Words.English;
        return type switch
        {
            LeadIntentLevelChanged.TypeName => words["A lead's Intent Level changed"],
            LeadAssigned.TypeName => words["A lead was assigned to a rep"],
            TaskCreated.TypeName => words["A follow-up task was created"],
            TaskOverdue.TypeName => words["A follow-up task became overdue"],
            LeadCreated.TypeName => words["A lead was created"],
            LeadCategoryThresholdReached.TypeName => words["A lead's category score reached the category's top range"],
            WebhookTest.TypeName => words["A test event sent by hand"],
            _ => type,
        };
    }

    /// <summary>The fields of <paramref name="type"/>'s <c>data</c> object as delivered (camelCase), in order; empty for an unknown type.</summary>
    public static IReadOnlyList<string> FieldsOf(string type)
    {
        var payload = type == WebhookTest.TypeName ? typeof(WebhookTest) : Catalog.FirstOrDefault(c => c.Type == type).Payload;
        if (payload is null)
        {
            return [];
        }
        var info = CoreJson.Options.GetTypeInfo(payload);
        return [.. info.Properties.Select(p => p.Name)];
    }
}
