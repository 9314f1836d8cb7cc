using System.Text.Json.Serialization;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.Behaviors;

/// <summary>
/// A behavior that passed the input checks and is ready for the ledger. <paramref name="VisitorId"/> names the website
/// visitor that sent it through the tracker; <paramref name="Held"/> stores it held back as a suspected bot's, unscored;
/// <paramref name="Unmapped"/> stores a Segment event whose name maps to no behavior yet, unscored until it does.
/// </summary>
public sealed record IncomingBehavior(
    string EventId,
    string Type,
    DateTime OccurredAtUtc,
    long? LeadId,
    ContactIdentity Contact,
    IReadOnlyDictionary<string, AttributeValue> Attributes,
    string AttributesJson,
    long? VisitorId = null,
    bool Held = false,
    bool Unmapped = false);

/// <summary>What happened to one event.</summary>
public enum IngestStatus
{
    Scored,
    NoMatch,
    Duplicate,
    Unlinked,
    Rejected,

    /// <summary>Stored, held back as a suspected bot's (the website collector only).</summary>
    Held,
}

/// <summary>
/// One entry an event produced: the rule and its points; its kind is decay for a fading step of the rule's entry that
/// was already due when the event came (an old occurredAt).
/// </summary>
public sealed record EntrySummary(string RuleName, int Points, ScoreEntryKind Kind = ScoreEntryKind.Rule, string? Category = null);

/// <summary>The answer for one event, in the order the events were sent.</summary>
public sealed record IngestResult(
    string? EventId,
    IngestStatus Status,
    long? LeadId = null,
    int? Points = null,
    long? Total = null,
    string? IntentLevel = null,
    IReadOnlyList<EntrySummary>? Entries = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, long>? Categories = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Stage = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? StageScore = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null)
{
    public static IngestResult Rejected(string? eventId, string error) => new(eventId, IngestStatus.Rejected, Error: error);
}
