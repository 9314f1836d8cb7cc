using System.Text.Json;
using System.Text.Json.Nodes;

namespace BehaviorPoints.Tests.Web.Api.Fuzz;

/// <summary>
/// Checks a JSON value against a resolved schema of the document (the parts of JSON Schema it uses: type, enum,
/// properties, required, items, additionalProperties, oneOf/anyOf) and lists every difference with its path.
/// </summary>
public static class SchemaCheck
{
    public static List<string> Problems(JsonNode? value, JsonObject schema, string path = "$")
    {
        var problems = new List<string>();
        Check(value, schema, path, problems);
        return problems;
    }

    private static void Check(JsonNode? value, JsonObject schema, string path, List<string> problems)
    {
        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray choices && !schema.ContainsKey("properties"))
        {
            if (!choices.OfType<JsonObject>().Any(c => Problems(value, c, path).Count == 0))
            {
                problems.Add($"{path}: {Show(value)} fits none of the documented choices");
            }
            return;
        }
        var types = ApiOperations.Types(schema);
        var kind = KindOf(value);
        if (types.Count > 0 && !types.Contains(kind) && !(kind == "integer" && types.Contains("number")))
        {
            problems.Add($"{path}: {Show(value)} is {kind}, documented as {string.Join(" or ", types)}");
            return;
        }
        if (schema["enum"] is JsonArray values && value is not null && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            problems.Add($"{path}: {Show(value)} is not one of {values.ToJsonString()}");
        }
        if (value is JsonObject obj)
        {
            foreach (var required in schema["required"]?.AsArray() ?? [])
            {
                if (!obj.ContainsKey(required!.GetValue<string>()))
                {
                    problems.Add($"{path}: the required {required} is missing");
                }
            }
            var properties = schema["properties"] as JsonObject;
            foreach (var (name, child) in obj)
            {
                if (properties?[name] is JsonObject propertySchema)
                {
                    Check(child, propertySchema, $"{path}.{name}", problems);
                }
                else if (schema["additionalProperties"] is JsonObject extra)
                {
                    Check(child, extra, $"{path}.{name}", problems);
                }
                else if (schema["additionalProperties"] is JsonValue allowed && !allowed.GetValue<bool>())
                {
                    problems.Add($"{path}.{name}: not allowed by the schema");
                }
            }
        }
        if (value is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], items, $"{path}[{i}]", problems);
            }
        }
    }

    private static string KindOf(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => value.ToJsonString().Contains('.') || value.ToJsonString().Contains('e') ? "number" : "integer",
            _ => "null",
        },
    };

    private static string Show(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length <= 80 ? text : text[..80] + "…";
    }
}
