using System.Text.Json;
using System.Text.Json.Nodes;

namespace BehaviorPoints.Tests.Web.Api.Fuzz;

/// <summary>One parameter of an operation as the OpenAPI document declares it.</summary>
public sealed record ApiParameter(string Name, string In, bool Required, JsonObject Schema);

/// <summary>One operation of the served OpenAPI document, with its schemas' references resolved.</summary>
public sealed record ApiOperation(string Method, string Path, string OperationId, IReadOnlyList<ApiParameter> Parameters, JsonObject? Body, bool AdminOnly)
{
    public override string ToString() => $"{Method} {Path} ({OperationId})";
}

/// <summary>Reads the operations under <c>/api/v1</c> out of the document the app serves.</summary>
public static class ApiOperations
{
    public static IReadOnlyList<ApiOperation> Read(JsonObject document)
    {
        var operations = new List<ApiOperation>();
        // The public collector (/collect) takes no API key: CollectorApiTests and its own fuzz cover it.
        foreach (var (path, item) in document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/v1/", StringComparison.Ordinal)))
        {
            foreach (var (method, node) in item!.AsObject())
            {
                var operation = node!.AsObject();
                var parameters = (operation["parameters"]?.AsArray() ?? [])
                    .Select(p => new ApiParameter(
                        p!["name"]!.GetValue<string>(),
                        p["in"]!.GetValue<string>(),
                        p["required"]?.GetValue<bool>() ?? false,
                        Resolve(document, p["schema"]!.AsObject())))
                    .ToList();
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"] is JsonObject schema
                    ? Resolve(document, schema)
                    : null;
                // Reads of the behavior catalog and events are open to ingest keys; the document says which need admin.
                var adminOnly = !(path == "/api/v1/events" || (path == "/api/v1/behavior-types" && method == "get") || path.StartsWith("/api/v1/sources/segment/v1/", StringComparison.Ordinal));
                operations.Add(new ApiOperation(method.ToUpperInvariant(), path, operation["operationId"]?.GetValue<string>() ?? $"{method} {path}", parameters, body, adminOnly));
            }
        }
        return operations;
    }

    /// <summary>A copy of the schema with every <c>$ref</c> replaced by what it names (recursive types stop at depth 6).</summary>
    public static JsonObject Resolve(JsonObject document, JsonObject schema, int depth = 0)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            var name = reference[(reference.LastIndexOf('/') + 1)..];
            var target = document["components"]!["schemas"]![name]!.AsObject();
            return depth > 6 ? new JsonObject() : Resolve(document, target, depth + 1);
        }
        var copy = new JsonObject();
        foreach (var (key, value) in schema)
        {
            copy[key] = value switch
            {
                JsonObject child when key is "items" or "additionalProperties" => Resolve(document, child, depth + 1),
                JsonObject properties when key == "properties" => new JsonObject(properties.Select(p =>
                    KeyValuePair.Create(p.Key, (JsonNode?)Resolve(document, p.Value!.AsObject(), depth + 1)))),
                JsonArray choices when key is "oneOf" or "anyOf" or "allOf" => new JsonArray(choices.Select(c =>
                    (JsonNode?)(c is JsonObject o && o.ContainsKey("$ref") || c is JsonObject { Count: > 0 } ? Resolve(document, c!.AsObject(), depth + 1) : c?.DeepClone())).ToArray()),
                _ => value?.DeepClone(),
            };
        }
        return copy;
    }

    /// <summary>The JSON types a schema allows (its <c>type</c>, or those of its <c>oneOf</c>/<c>anyOf</c> choices).</summary>
    public static IReadOnlyList<string> Types(JsonObject schema)
    {
        if (schema["type"] is JsonValue single)
        {
            return [single.GetValue<string>()];
        }
        if (schema["type"] is JsonArray many)
        {
            return [.. many.Select(t => t!.GetValue<string>())];
        }
        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray choices)
        {
            return [.. choices.SelectMany(c => Types(c!.AsObject())).Distinct()];
        }
        return schema["enum"] is not null ? ["string"] : schema.ContainsKey("properties") ? ["object"] : [];
    }

    /// <summary>The object schema among a schema's choices, when it has one.</summary>
    public static JsonObject? ObjectSchema(JsonObject schema) =>
        schema.ContainsKey("properties") || (schema["type"]?.ToJsonString().Contains("object", StringComparison.Ordinal) ?? false)
            ? schema
            : (schema["oneOf"] ?? schema["anyOf"]) is JsonArray choices
                ? choices.OfType<JsonObject>().Select(ObjectSchema).FirstOrDefault(s => s is not null)
                : null;

    public static JsonElement ToElement(JsonNode node) => JsonSerializer.SerializeToElement(node);
}
