using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace BehaviorPoints.Tests.Web.Api.Fuzz;

/// <summary>What a fuzz case does to one field of a valid body.</summary>
public enum MutationKind
{
    WrongType,
    Missing,
    Null,
    Empty,
    Huge,
    Negative,
    LoneSurrogate,
    Nul,
    ControlCharacter,
    InvalidUtf8,
    OddUnicode,
    DuplicateKey,
    ExtraField,
    ArrayForObject,
    ObjectForArray,
}

/// <summary>A place in a JSON body: property names and array indexes from the root.</summary>
public sealed record JsonPathTo(IReadOnlyList<object> Segments)
{
    /// <summary>The name the answer should mention: the last property name on the way.</summary>
    public string FieldName => Segments.OfType<string>().LastOrDefault() ?? "$";

    /// <summary>
    /// The names an answer may use for this place: the field, or the property that holds it (a range check on a
    /// rule-set option names the option, since its min and max are wrong together).
    /// </summary>
    public IReadOnlyList<string> Names => [.. Segments.OfType<string>().Reverse().Take(2)];

    public override string ToString() => "$" + string.Concat(Segments.Select(s => s is int i ? $"[{i}]" : "." + s));

    /// <summary>Every property and every array item (at any depth) of <paramref name="root"/>.</summary>
    public static List<JsonPathTo> All(JsonNode? root)
    {
        var found = new List<JsonPathTo>();
        void Walk(JsonNode? node, List<object> at)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (name, child) in o)
                    {
                        var next = new List<object>(at) { name };
                        found.Add(new JsonPathTo(next));
                        Walk(child, next);
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        // The item itself (a number in a list, an event of a batch) as well as what it holds.
                        found.Add(new JsonPathTo([.. at, i]));
                        Walk(a[i], [.. at, i]);
                    }
                    break;
            }
        }
        Walk(root, []);
        return found;
    }
}

/// <summary>
/// Applies a <see cref="MutationKind"/> to one property and writes the body's bytes. Text that JSON can carry but
/// .NET strings cannot (a lone surrogate escape, bytes that are not UTF-8, a key twice) is written by hand.
/// </summary>
public static class Mutation
{
    private const string LoneMarker = "\uE000lone\uE001";
    private const string BadUtf8Marker = "\uE000bad\uE001";
    private static readonly Regex s_lone = new(@"\\uE000lone\\uE001", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex s_bad = new(@"\\uE000bad\\uE001", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static readonly string[] OddTexts =
    [
        "\u202Eevil\u202C", "💥🔥", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "e\u0301\u0301\u0301\u0301", "\uFEFFbom", "\u00A0 ", "\u2028line", "'; DROP TABLE Leads; --", "<script>x</script>", "%00", "../../etc/passwd", "\uFFFF",
    ];

    public static byte[] Write(JsonNode root, JsonPathTo target, MutationKind kind, string oddText)
    {
        var body = root.DeepClone();
        var (parent, key) = Locate(body, target);
        var original = Get(parent, key);
        var duplicate = false;
        switch (kind)
        {
            case MutationKind.WrongType:
                Set(parent, key, original switch
                {
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(7),
                    JsonValue v when v.GetValueKind() is JsonValueKind.Number => JsonValue.Create("seven"),
                    JsonValue => JsonValue.Create("true"),
                    JsonArray => JsonValue.Create("not a list"),
                    JsonObject => JsonValue.Create(12),
                    _ => JsonValue.Create(false),
                });
                break;
            case MutationKind.Missing:
                Remove(parent, key);
                break;
            case MutationKind.Null:
                Set(parent, key, null);
                break;
            case MutationKind.Empty:
                Set(parent, key, original switch { JsonArray => new JsonArray(), JsonObject => new JsonObject(), _ => JsonValue.Create("") });
                break;
            case MutationKind.Huge:
                Set(parent, key, original switch
                {
                    JsonValue v when v.GetValueKind() is JsonValueKind.Number => JsonNode.Parse("99999999999999999999999"),
                    JsonArray a when a.Count > 0 => new JsonArray([.. Enumerable.Range(0, 1500).Select(_ => a[0]!.DeepClone())]),
                    _ => JsonValue.Create(new string('x', 70_000)),
                });
                break;
            case MutationKind.Negative:
                Set(parent, key, original is JsonValue v2 && v2.GetValueKind() is JsonValueKind.Number ? JsonNode.Parse("-9223372036854775809") : JsonValue.Create(-1));
                break;
            case MutationKind.LoneSurrogate:
                Set(parent, key, JsonValue.Create(Prefix(original) + LoneMarker));
                break;
            case MutationKind.Nul:
                Set(parent, key, JsonValue.Create(Prefix(original) + "\0"));
                break;
            case MutationKind.ControlCharacter:
                Set(parent, key, JsonValue.Create(Prefix(original) + "\u0007\u001b"));
                break;
            case MutationKind.InvalidUtf8:
                Set(parent, key, JsonValue.Create(Prefix(original) + BadUtf8Marker));
                break;
            case MutationKind.OddUnicode:
                Set(parent, key, JsonValue.Create(oddText));
                break;
            case MutationKind.DuplicateKey:
                duplicate = key is string;
                break;
            case MutationKind.ExtraField:
                if (parent is JsonObject o)
                {
                    o["zzUnknown" + o.Count] = "surplus";
                }
                break;
            case MutationKind.ArrayForObject:
                Set(parent, key, new JsonArray(original?.DeepClone()));
                break;
            case MutationKind.ObjectForArray:
                Set(parent, key, new JsonObject { ["0"] = original?.DeepClone() });
                break;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteNode(writer, body, duplicate ? (parent, (string)key) : null);
        }
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        text = s_lone.Replace(text, "\\ud800");
        if (!s_bad.IsMatch(text))
        {
            return Encoding.UTF8.GetBytes(text);
        }
        // Bytes that are not UTF-8 cannot pass through a .NET string: splice them in.
        var parts = s_bad.Split(text);
        var bytes = new List<byte>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                bytes.AddRange([0xC3, 0x28, 0xFF]);
            }
            bytes.AddRange(Encoding.UTF8.GetBytes(parts[i]));
        }
        return [.. bytes];
    }

    private static string Prefix(JsonNode? original) =>
        original is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "x";

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node, (JsonNode? Parent, string Key)? duplicate)
    {
        switch (node)
        {
            case JsonObject o:
                writer.WriteStartObject();
                foreach (var (name, child) in o)
                {
                    if (duplicate is { } d && ReferenceEquals(d.Parent, o) && d.Key == name)
                    {
                        // The first copy differs from the second, so an endpoint that reads either one is caught.
                        writer.WritePropertyName(name);
                        writer.WriteStringValue("first copy");
                    }
                    writer.WritePropertyName(name);
                    WriteNode(writer, child, duplicate);
                }
                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var child in a)
                {
                    WriteNode(writer, child, duplicate);
                }
                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static (JsonNode Parent, object Key) Locate(JsonNode root, JsonPathTo path)
    {
        var node = root;
        for (var i = 0; i < path.Segments.Count - 1; i++)
        {
            node = path.Segments[i] is int index ? node[index]! : node[(string)path.Segments[i]]!;
        }
        return (node, path.Segments[^1]);
    }

    private static JsonNode? Get(JsonNode parent, object key) => key is int i ? parent[i] : parent[(string)key];

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (key is int i)
        {
            parent[i] = value;
        }
        else
        {
            parent[(string)key] = value;
        }
    }

    private static void Remove(JsonNode parent, object key)
    {
        if (parent is JsonObject o && key is string name)
        {
            o.Remove(name);
        }
        else if (parent is JsonArray a && key is int i)
        {
            a.RemoveAt(i);
        }
    }
}
