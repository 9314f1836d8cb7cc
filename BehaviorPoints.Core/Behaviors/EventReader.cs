using System.Globalization;
using System.Text.Json;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.Behaviors;

/// <summary>
/// Reads one event of the HTTP API (SPEC §5) from JSON and checks it against the limits. A bad event yields an error
/// that names the field and what is wrong with it; it never affects the other events of a batch.
/// </summary>
public static class EventReader
{
    public const int MaxEventIdLength = 128;
    public const int MaxAttributes = 50;
    public const int MaxAttributeNameLength = 64;
    public const int MaxTextLength = 2_000;
    public const int MaxContactLength = 320;
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);
    public static readonly DateTime EarliestOccurredAt = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>An event read from JSON: either <see cref="Behavior"/> or an <see cref="Error"/>.</summary>
    public readonly record struct Outcome(IncomingBehavior? Behavior, string? EventId, string? Error);

    public static Outcome Read(JsonElement json, DateTime nowUtc, BehaviorCatalog catalog)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return Fail(null, $"An event must be a JSON object, not {Describe(json.ValueKind)}.");
        }

        if (JsonChecks.Find(json) is { } unreadable)
        {
            return Fail(ReadableEventId(json), unreadable.Message);
        }

        string? eventId = null;
        if (!json.TryGetProperty("eventId", out var idJson) || idJson.ValueKind == JsonValueKind.Null)
        {
            return Fail(null, "eventId is required.");
        }
        if (idJson.ValueKind != JsonValueKind.String)
        {
            return Fail(null, $"eventId must be a string, not {Describe(idJson.ValueKind)}.");
        }
        eventId = idJson.GetString()!;
        if (eventId.Length is 0 or > MaxEventIdLength)
        {
            return Fail(eventId.Length == 0 ? null : eventId[..MaxEventIdLength],
                $"eventId must be 1 to {MaxEventIdLength} characters; it has {eventId.Length}.");
        }
        if (UserText.HasControlCharacters(eventId))
        {
            return Fail(null, "eventId must not contain control characters.");
        }

        if (!TryString(json, "behavior", out var type, out var error))
        {
            return Fail(eventId, error);
        }
        if (type is null)
        {
            return Fail(eventId, "behavior is required (a behavior type code such as official_account.follow).");
        }
        if (!catalog.Contains(type))
        {
            return Fail(eventId, $"behavior '{Shorten(type)}' is not a known behavior type.");
        }

        if (ReadTime(json, "occurredAt", nowUtc, out var occurredAt) is { } timeError)
        {
            return Fail(eventId, timeError);
        }

        long? leadId = null;
        if (json.TryGetProperty("leadId", out var leadJson) && leadJson.ValueKind != JsonValueKind.Null)
        {
            if (leadJson.ValueKind != JsonValueKind.Number || !leadJson.TryGetInt64(out var id) || id <= 0)
            {
                return Fail(eventId, "leadId must be a positive whole number.");
            }
            leadId = id;
        }

        var contact = new ContactIdentity(null, null, null);
        if (json.TryGetProperty("contact", out var contactJson) && contactJson.ValueKind != JsonValueKind.Null)
        {
            if (contactJson.ValueKind != JsonValueKind.Object)
            {
                return Fail(eventId, "contact must be an object with email, phone or externalId.");
            }
            if (!TryString(contactJson, "email", out var email, out error, "contact.email", MaxContactLength)
                || !TryString(contactJson, "phone", out var phone, out error, "contact.phone", 40)
                || !TryString(contactJson, "externalId", out var externalId, out error, "contact.externalId", 128))
            {
                return Fail(eventId, error);
            }
            if (email is not null && !email.Contains('@'))
            {
                return Fail(eventId, $"contact.email '{Shorten(email)}' is not an email address.");
            }
            contact = ContactIdentity.Normalized(email, phone, externalId);
        }
        if (leadId is null && contact.IsEmpty)
        {
            return Fail(eventId, "Say who did it: leadId, or contact with at least one of email, phone or externalId.");
        }

        if (ReadAttributes(json, out var attributes, out var attributesJson) is { } attributesError)
        {
            return Fail(eventId, attributesError);
        }

        return new Outcome(new IncomingBehavior(eventId, type, occurredAt, leadId, contact, attributes, attributesJson), eventId, null);
    }

    /// <summary>
    /// Reads an optional ISO 8601 time from <paramref name="property"/> (<paramref name="nowUtc"/> when absent), from
    /// 2000 to a day ahead. Returns the problem, or null.
    /// </summary>
    public static string? ReadTime(JsonElement json, string property, DateTime nowUtc, out DateTime occurredAt)
    {
        occurredAt = nowUtc;
        if (json.TryGetProperty(property, out var atJson) && atJson.ValueKind != JsonValueKind.Null)
        {
            if (atJson.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(atJson.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return $"{property} must be an ISO 8601 date and time, such as 2026-11-20T08:30:00Z.";
            }
            occurredAt = parsed.UtcDateTime;
            if (occurredAt < EarliestOccurredAt)
            {
                return $"{property} {parsed:O} is before 2000-01-01; send when the behavior really happened.";
            }
            if (occurredAt > nowUtc + MaxFutureSkew)
            {
                return $"{property} {parsed:O} is more than one day in the future.";
            }
        }
        return null;
    }

    /// <summary>
    /// Reads an event's optional <c>attributes</c> object (names to text, numbers or true/false, within the limits).
    /// Returns the problem, or null.
    /// </summary>
    public static string? ReadAttributes(JsonElement json, out IReadOnlyDictionary<string, AttributeValue> attributes, out string attributesJson)
    {
        var bag = BehaviorOccurrence.NewAttributeBag();
        attributes = bag;
        attributesJson = "{}";
        if (!json.TryGetProperty("attributes", out var attrsJson) || attrsJson.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (attrsJson.ValueKind != JsonValueKind.Object)
        {
            return "attributes must be an object of names to text, numbers or true/false.";
        }
        var stored = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var attribute in attrsJson.EnumerateObject())
        {
            var name = attribute.Name;
            if (name.Length is 0 or > MaxAttributeNameLength)
            {
                return $"Attribute names must be 1 to {MaxAttributeNameLength} characters; '{Shorten(name)}' has {name.Length}.";
            }
            if (attribute.Value.ValueKind == JsonValueKind.Null)
            {
                continue; // A null value means the attribute is absent.
            }
            if (!AttributeValue.TryFromJson(attribute.Value, out var value))
            {
                return $"Attribute '{name}' must be text, a number or true/false, not {Describe(attribute.Value.ValueKind)}.";
            }
            if (value.Text.Length > MaxTextLength)
            {
                return $"Attribute '{name}' is {value.Text.Length} characters long; text values are limited to {MaxTextLength}.";
            }
            if (!bag.TryAdd(name, value))
            {
                return $"Attribute '{name}' appears more than once (names ignore case).";
            }
            if (bag.Count > MaxAttributes)
            {
                return $"An event carries at most {MaxAttributes} attributes.";
            }
            stored[name] = attribute.Value;
        }
        attributesJson = JsonSerializer.Serialize(stored, CoreJson.Options);
        return null;
    }

    private static bool TryString(JsonElement parent, string property, out string? value, out string error, string? label = null, int maxLength = 100)
    {
        value = null;
        error = "";
        if (!parent.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        label ??= property;
        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"{label} must be a string, not {Describe(element.ValueKind)}.";
            return false;
        }
        var text = element.GetString()!.Trim();
        if (text.Length > maxLength)
        {
            error = $"{label} is {text.Length} characters long; the limit is {maxLength}.";
            return false;
        }
        if (UserText.HasControlCharacters(text))
        {
            error = $"{label} must not contain control characters.";
            return false;
        }
        value = text.Length == 0 ? null : text;
        return true;
    }

    /// <summary>The event id to answer with when another part of the event cannot be read.</summary>
    private static string? ReadableEventId(JsonElement json) =>
        json.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String && JsonChecks.Find(id) is null
            && id.GetString() is { Length: > 0 and <= MaxEventIdLength } text && !UserText.HasControlCharacters(text)
            ? text
            : null;

    private static Outcome Fail(string? eventId, string error) => new(null, eventId, error);

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        _ => "null",
    };
}
