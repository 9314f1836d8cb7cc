using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BehaviorPoints.Core;

/// <summary>
/// The language Core writes its sentences in. Each text is given in English with {0}-style places for its values; an
/// implementation returns it in the reader's language (the web app's reads its resource files). <see cref="Words.English"/>
/// fills the places as they are, for the API, logs and tests.
/// </summary>
public interface IWords
{
    /// <summary>The text <paramref name="english"/> in the reader's language, its places filled with <paramref name="args"/>.</summary>
    string this[string english, params object?[] args] { get; }

    /// <summary>
    /// A name the app ships under a key ("Behavior:form.submit", "Field:industry") in the reader's language, or
    /// <paramref name="fallback"/> when the key has none: names administrators wrote stay as they wrote them.
    /// </summary>
    string Name(string key, string fallback);
}

/// <summary>The words Core uses when no reader's language is given.</summary>
public static class Words
{
    /// <summary>English: the texts as written.</summary>
    public static IWords English { get; } = new EnglishWords();

    /// <summary>Items joined as a list ("a, b, c"), with the language's separator.</summary>
    public static string List(this IWords words, IEnumerable<string> items) =>
        items.Aggregate((string?)null, (list, item) => list is null ? item : words["{0}, {1}", list, item]) ?? "";

    private sealed class EnglishWords : IWords
    {
        public string this[string english, params object?[] args] =>
            args.Length == 0 ? english : string.Format(CultureInfo.CurrentCulture, english, args);

        public string Name(string key, string fallback) => fallback;
    }
}

/// <summary>
/// A sentence written once and read later in any language (a timeline entry, a notification): its English template with
/// {0}-style places and the values, each plain or a sentence of its own. Kept as JSON beside the English text.
/// </summary>
public sealed class Said
{
    private Said(string template, IReadOnlyList<object> args, string? fallback = null) => (Template, Args, _fallback) = (template, args, fallback);

    // Set for a name the app ships under a key (Template): what it reads as when the reader's language has none.
    private readonly string? _fallback;

    /// <summary>The English text with {0}-style places.</summary>
    public string Template { get; }

    /// <summary>The places' values: text, whole numbers, or sentences.</summary>
    public IReadOnlyList<object> Args { get; }

    public static Said Of(string template, params object?[] args) => new(template, [.. args.Select(Value)]);

    /// <summary>A name the app ships under <paramref name="key"/> ("Outcome:Contacted"), <paramref name="english"/> in English.</summary>
    public static Said Name(string key, string english) => new(key, [], english);

    /// <summary>The sentence in the reader's language.</summary>
    public string In(IWords words) => _fallback is { } english
        ? words.Name(Template, english)
        : words[Template, [.. Args.Select(a => a is Said said ? said.In(words) : a)]];

    /// <summary>The sentence in English.</summary>
    public override string ToString() => In(Words.English);

    /// <summary>The longest JSON a column keeps; a longer sentence (very long names) is kept in English only.</summary>
    public const int MaxJsonLength = 4000;

    public string ToJson() => ToNode().ToJsonString();

    /// <summary>The JSON to store, or null when it is longer than a column keeps.</summary>
    public string? ToStoredJson() => ToJson() is { Length: <= MaxJsonLength } json ? json : null;

    /// <summary>The sentence kept by <see cref="ToJson"/>; null for nothing kept (rows written before sentences were) or what does not read as one.</summary>
    public static Said? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return FromNode(JsonNode.Parse(json));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static object Value(object? value) => value switch
    {
        Said said => said,
        int or long or short => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        null => "",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private JsonObject ToNode() => _fallback is { } english ? new() { ["n"] = Template, ["f"] = english } : new()
    {
        ["t"] = Template,
        ["a"] = new JsonArray([.. Args.Select(a => a switch
        {
            Said said => (JsonNode)said.ToNode(),
            long number => JsonValue.Create(number),
            _ => JsonValue.Create((string)a),
        })]),
    };

    private static Said? FromNode(JsonNode? node)
    {
        if (node is JsonObject { } name && name["n"]?.GetValue<string>() is { } key)
        {
            return Name(key, name["f"]?.GetValue<string>() ?? key);
        }
        if (node is not JsonObject { } sentence || sentence["t"]?.GetValue<string>() is not { } template)
        {
            return null;
        }
        var args = new List<object>();
        foreach (var arg in sentence["a"] as JsonArray ?? [])
        {
            switch (arg)
            {
                case JsonObject:
                    args.Add(FromNode(arg) ?? (object)"");
                    break;
                case JsonValue value when value.TryGetValue<long>(out var number):
                    args.Add(number);
                    break;
                default:
                    args.Add(arg?.ToString() ?? "");
                    break;
            }
        }
        return new Said(template, args);
    }
}
