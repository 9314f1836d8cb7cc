namespace BehaviorPoints.Core.Domain;

/// <summary>
/// A receiver of webhooks (SPEC §11): the URL, the event types it wants and its signing secrets. The secrets are kept
/// encrypted with the app's Data Protection key ring (signing needs them back, so they cannot be hashed); the plain
/// secret is shown once, when it is made.
/// </summary>
public sealed class WebhookEndpoint
{
    public int Id { get; set; }
    public string Url { get; set; } = "";

    /// <summary>The event types it wants, space-separated codes (<c>lead.assigned task.created</c>).</summary>
    public string Events { get; set; } = "";
    public string? Description { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>Why it was disabled when the app disabled it (410 Gone, three days of failures); null when a user did, or when enabled.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>The same reason to be said in the reader's language (<see cref="Said"/> as JSON); null on older rows.</summary>
    public string? DisabledReasonSaid { get; set; }

    public string ProtectedSecret { get; set; } = "";

    /// <summary>The secret before the last rotation, still signing (beside the new one) until <see cref="PreviousSecretUntil"/>.</summary>
    public string? ProtectedPreviousSecret { get; set; }
    public DateTime? PreviousSecretUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }

    /// <summary>The first failed attempt since the last success; null while it succeeds.</summary>
    public DateTime? FailingSince { get; set; }
    public DateTime? LastSuccessAt { get; set; }
}

public enum WebhookMessageStatus
{
    /// <summary>Waiting for its next attempt at <see cref="WebhookMessage.NextAttemptAt"/>.</summary>
    Pending,
    Delivered,

    /// <summary>Failed for good: a 4xx answer that retrying cannot mend, or the last retry of the schedule failed.</summary>
    Failed,
}

/// <summary>
/// One event for one endpoint: the outbox row, written in the transaction of the change it reports and delivered at
/// least once after it commits. <see cref="MessageId"/> is the <c>webhook-id</c> header, the same on every attempt.
/// </summary>
public sealed class WebhookMessage
{
    public long Id { get; set; }
    public int EndpointId { get; set; }
    public string MessageId { get; set; } = "";
    public string EventType { get; set; } = "";

    /// <summary>The lead it is about (deliveries keep each lead's order); null for a test event.</summary>
    public long? LeadId { get; set; }

    /// <summary>The body as sent: <c>{ "type", "timestamp", "data" }</c>, the same bytes on every attempt.</summary>
    public string Payload { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public WebhookMessageStatus Status { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? DeliveredAt { get; set; }
}

/// <summary>One try at delivering a message: the delivery log's row.</summary>
public sealed class WebhookAttempt
{
    public long Id { get; set; }
    public int EndpointId { get; set; }
    public long MessageId { get; set; }
    public WebhookMessage? Message { get; set; }
    public DateTime At { get; set; }

    /// <summary>The receiver's HTTP status; null when no answer came (refused, timed out, connection failed).</summary>
    public int? StatusCode { get; set; }
    public int LatencyMs { get; set; }

    /// <summary>The start of the answer's body, or what went wrong when there was none.</summary>
    public string? Response { get; set; }
    public bool Succeeded { get; set; }
}
