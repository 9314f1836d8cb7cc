using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;

namespace BehaviorPoints.Tests.Web.Api.Fuzz;

/// <summary>
/// Valid requests built from the document's schemas. The schema gives the shape; where a value must also make sense to
/// the product (an existing lead, a known behavior type, a consistent rule set), it comes from <see cref="Known"/>, by
/// property name.
/// </summary>
public sealed class ValidRequests(long leadId, long taskId, int webhookId, int siteId, string visitorId)
{
    /// <summary>Where valid webhook endpoints point: loopback's discard port, which refuses at once (the fixture allows private networks).</summary>
    public const string WebhookUrl = "http://127.0.0.1:9/fuzz";

    private int _counter;

    public long LeadId { get; } = leadId;

    /// <summary>An open follow-up task on the lead.</summary>
    public long TaskId { get; } = taskId;

    /// <summary>A webhook endpoint (disabled: it is sent nothing).</summary>
    public int WebhookId { get; } = webhookId;

    /// <summary>A website that sends through the tracker.</summary>
    public int SiteId { get; } = siteId;

    /// <summary>A visitor of that site (held back, so releasing it has something to do).</summary>
    public string VisitorId { get; } = visitorId;

    /// <summary>A fresh event id (events are stored once per id, so a valid event must be new to be stored).</summary>
    public string NextEventId() => $"fz-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}";

    public JsonNode ValidEvent() => new JsonObject
    {
        ["eventId"] = NextEventId(),
        ["behavior"] = "form.submit",
        ["occurredAt"] = DateTime.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture),
        ["leadId"] = LeadId,
        ["contact"] = new JsonObject { ["email"] = "fuzz.contact@example.com" },
        ["attributes"] = new JsonObject { ["url"] = "/pricing", ["formName"] = "demo" },
    };

    /// <summary>Values that are valid in the product for properties of these names, whatever the schema.</summary>
    private JsonNode? Known(string property, int n) => property switch
    {
        "events" => new JsonArray(ValidEvent(), ValidEvent()),
        "eventId" => NextEventId(),
        "behavior" => "form.submit",
        "leadId" => LeadId,
        "email" => $"fuzz{n}@example.com",
        "ownerEmail" or "authorEmail" => null,
        "phone" => "+48 600 100 200",
        "externalId" => $"ext-{n}",
        "team" => "Fuzz",
        "origins" => new JsonArray($"https://fuzz{n}.example.com", "https://*.fuzz.example.org"),
        "consent" => "implied",
        "batch" => new JsonArray(SegmentMessage(n, "page"), SegmentMessage(n + 1, "track")),
        "messageId" => NextEventId(),
        "anonymousId" => $"fuzz-anonymous-{n:D8}",
        "userId" => $"fuzz-user-{n}",
        "event" => "Fuzz Event",
        "timestamp" => DateTime.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture),
        "properties" => new JsonObject { ["path"] = "/pricing", ["plan"] = "pro" },
        "traits" => new JsonObject { ["email"] = $"fuzz.segment{n}@example.com", ["name"] = "Fuzz Person" },
        "context" => new JsonObject { ["ip"] = "127.0.0.1" },
        "mappings" => new JsonArray(new JsonObject { ["event"] = "Fuzz Event", ["behavior"] = "form.submit" }),
        "unmapped" => null,
        "identify" => "form",
        "status" => "open",
        "stage" => "Engaged",
        "category" => null,
        "categories" => new JsonArray(new JsonObject { ["name"] = "CRM", ["ranges"] = null }),
        "stages" => new JsonArray(
            new JsonObject { ["name"] = "New", ["advanceAt"] = 20 },
            new JsonObject { ["name"] = "Engaged", ["advanceAt"] = null },
            new JsonObject { ["name"] = "Marketing qualified", ["advanceAt"] = null },
            new JsonObject { ["name"] = "Sales qualified", ["advanceAt"] = null }),
        "points" => 5,
        "outcome" => "contacted",
        "note" => "Called, booked a demo",
        "reason" => "Fuzzed adjustment",
        "apiName" => "fuzz__c",
        "object" => "Leads",
        "code" => $"fuzz.type{n}",
        "channel" => "Custom",
        "label" => "Fuzz type",
        "attributes" => new JsonArray("url", "plan"),
        "conditions" => new JsonArray(new JsonObject { ["attribute"] = "url", ["operator"] = "contains", ["value"] = "/pricing" }),
        "limit" => new JsonObject { ["times"] = 3, ["per"] = "day" },
        "intentField" => new JsonObject
        {
            ["name"] = "Intent Level",
            ["options"] = new JsonArray(
                new JsonObject { ["label"] = "Low", ["min"] = null, ["max"] = 49 },
                new JsonObject { ["label"] = "Medium", ["min"] = 50, ["max"] = 100 },
                new JsonObject { ["label"] = "High", ["min"] = 101, ["max"] = null }),
        },
        "rules" => new JsonArray(new JsonObject
        {
            ["name"] = "Fuzz form",
            ["behavior"] = "form.submit",
            ["conditions"] = Known("conditions", n),
            ["points"] = 5,
            ["limit"] = null,
        }),
        _ => JsonValue.Create("__schema__"),
    };

    private JsonObject SegmentMessage(int n, string type) => new()
    {
        ["type"] = type,
        ["messageId"] = NextEventId(),
        ["anonymousId"] = $"fuzz-anonymous-{n:D8}",
        ["event"] = type == "track" ? "Fuzz Event" : null,
        ["properties"] = new JsonObject { ["path"] = "/pricing" },
        ["timestamp"] = DateTime.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture),
    };

    /// <summary>A valid body for <paramref name="schema"/>, every property filled.</summary>
    public JsonNode Body(JsonObject schema)
    {
        var n = Interlocked.Increment(ref _counter);
        if (ApiOperations.ObjectSchema(schema)?["properties"] is JsonObject { } top && top.ContainsKey("url") && top.ContainsKey("events"))
        {
            // Its "events" are event types, not behaviors.
            return new JsonObject { ["url"] = WebhookUrl, ["events"] = new JsonArray("lead.created", "task.created"), ["description"] = $"Fuzz receiver {n}" };
        }
        if (IsRoutingRuleList(schema))
        {
            // Its "rules" are routing rules, not scoring rules.
            return new JsonObject { ["rules"] = new JsonArray(RoutingRule(n)) };
        }
        return Fill(schema, n) ?? new JsonObject();
    }

    private static bool IsRoutingRuleList(JsonObject schema) =>
        ApiOperations.ObjectSchema(schema)?["properties"]?["rules"]?["items"] is JsonObject items
        && ApiOperations.ObjectSchema(items)?["properties"]?["trigger"] is not null;

    // A routing rule naming what the fixture has: the default intent levels and the Fuzz team.
    private static JsonObject RoutingRule(int n) => new()
    {
        ["name"] = $"Fuzz routing {n}",
        ["trigger"] = new JsonObject { ["intentLevel"] = "High", ["category"] = null, ["minScore"] = null },
        ["conditions"] = new JsonArray(new JsonObject { ["field"] = "team", ["operator"] = "equals", ["value"] = "Fuzz" }),
        ["assign"] = new JsonObject { ["mode"] = "round_robin", ["userEmail"] = null, ["team"] = "Fuzz", ["capacity"] = 20 },
        ["reassignOwned"] = false,
        ["task"] = new JsonObject { ["dueAfterMinutes"] = 240, ["graceMinutes"] = 60, ["maxReclaims"] = 2 },
        ["minIntervalDays"] = 7,
    };

    private JsonNode? Fill(JsonObject schema, int n)
    {
        var objectSchema = ApiOperations.ObjectSchema(schema);
        if (objectSchema?["properties"] is JsonObject properties)
        {
            var result = new JsonObject();
            foreach (var (name, propertySchema) in properties)
            {
                var known = Known(name, n);
                result[name] = known is JsonValue v && v.TryGetValue<string>(out var text) && text == "__schema__"
                    ? FromSchema(propertySchema!.AsObject(), name, n)
                    : known;
            }
            return result;
        }
        return FromSchema(schema, "", n);
    }

    private JsonNode? FromSchema(JsonObject schema, string name, int n)
    {
        if (schema["enum"] is JsonArray values)
        {
            return values[0]!.DeepClone();
        }
        var types = ApiOperations.Types(schema);
        if (types.Contains("object"))
        {
            return Fill(schema, n);
        }
        if (types.Contains("array"))
        {
            return schema["items"] is JsonObject items ? new JsonArray(FromSchema(items, name, n)) : new JsonArray();
        }
        if (types.Contains("integer") || types.Contains("number"))
        {
            return 1;
        }
        if (types.Contains("boolean"))
        {
            return true;
        }
        return types.Contains("string") || types.Count == 0 ? $"Fuzz {name} {n}" : null;
    }

    /// <summary>
    /// A valid value for a query or path parameter; null for an optional one that has none here (a category when the
    /// published rule set lists none: the document then enumerates no values for it), which valid requests leave out.
    /// </summary>
    public string? Parameter(ApiParameter parameter) => parameter.Name switch
    {
        "category" => parameter.Schema["enum"] is JsonArray { Count: > 0 } categories ? categories[0]!.GetValue<string>() : null,
        "minCategoryScore" => null,
        "stage" => "New",
        "id" => LeadId.ToString(CultureInfo.InvariantCulture),
        "version" => "1",
        "intentLevel" => "High",
        "minScore" => "0",
        "maxScore" => "1000",
        "search" => "Fuzz",
        "sort" => "score_desc",
        "limit" => "10",
        "offset" => "0",
        "mode" => "new_behaviors_only",
        "before" => "999999999",
        "inPool" => "true",
        "ownerEmail" or "assigneeEmail" => null,
        "leadId" => LeadId.ToString(CultureInfo.InvariantCulture),
        "visitorId" => VisitorId,
        "code" => "form.submit",
        "held" => "true",
        _ => parameter.Schema["enum"] is JsonArray values ? values[0]!.GetValue<string>() : "1",
    };

    /// <summary>Values a parameter should refuse or survive: wrong types, out of range, and text no URL should carry.</summary>
    public static readonly string[] HostileParameterValues =
    [
        "abc", "", "-1", "0", "1.5", "2147483648", "99999999999999999999", "%00", "a%00b", "%07", "%1b%5b31m", "%ff", "%ED%A0%80",
        "%C3%28", "a%0Ab", "%E2%80%AE", "%F0%9F%92%A5", "'%20OR%201%3D1--", "%25", "+", new string('z', 5000), "null", "[]", "%7B%7D",
    ];

    /// <summary>CsCheck generator of a fuzz case's choices; the case builder interprets them.</summary>
    public static Gen<(int Operation, int Target, MutationKind Kind, int Odd, int Position)> Cases(int operations) =>
        Gen.Select(Gen.Int[0, operations - 1], Gen.Int[0, 10_000], Gen.Enum<MutationKind>(), Gen.Int[0, Mutation.OddTexts.Length - 1], Gen.Int[0, 10_000]);
}
