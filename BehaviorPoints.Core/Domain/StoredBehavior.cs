namespace BehaviorPoints.Core.Domain;

/// <summary>What became of a stored behavior.</summary>
public enum BehaviorOutcome
{
    /// <summary>At least one rule applied.</summary>
    Scored,

    /// <summary>Linked to a lead, but no rule applied.</summary>
    NoMatch,

    /// <summary>Its contact matches no lead yet; it is scored when one appears.</summary>
    Unlinked,

    /// <summary>Held back as a suspected bot's (SPEC §16): not scored unless an administrator releases its visitor.</summary>
    Held,

    /// <summary>A Segment event whose name maps to no behavior yet: kept with who sent it, scored once it is mapped.</summary>
    Unmapped,
}

/// <summary>A behavior as received: kept forever, scored once. <see cref="EventId"/> is the idempotency key.</summary>
public sealed class StoredBehavior
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    public DateTime OccurredAt { get; set; }
    public DateTime ReceivedAt { get; set; }
    public long? LeadId { get; set; }
    public string? ContactEmail { get; set; }
    public string? ContactPhone { get; set; }
    public string? ContactExternalId { get; set; }

    /// <summary>The website visitor that sent it through the tracker (identity <c>visitor:&lt;id&gt;</c>); null otherwise.</summary>
    public long? VisitorId { get; set; }

    /// <summary>The attributes as a JSON object.</summary>
    public string AttributesJson { get; set; } = "{}";
    public BehaviorOutcome Outcome { get; set; }
}

/// <summary>A behavior type an administrator added beside the built-ins.</summary>
public sealed class CustomBehaviorType
{
    public string Code { get; set; } = "";
    public string Label { get; set; } = "";
    public string Channel { get; set; } = "Custom";

    /// <summary>Comma-separated attribute names offered in the rule builder.</summary>
    public string Attributes { get; set; } = "";
}
