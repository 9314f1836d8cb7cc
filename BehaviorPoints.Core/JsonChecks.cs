using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace BehaviorPoints.Core;

/// <summary>
/// What JSON syntax allows but no reader here should accept: text that is not valid Unicode (a lone surrogate escape
/// such as <c>"\ud800"</c>, or bytes that are not UTF-8, which .NET cannot turn into a string) and a property twice in
/// one object (which one would count?). Found before a body is read, so the answer can say where.
/// </summary>
public static class JsonChecks
{
    /// <summary>A problem found in a JSON value: where (<c>$.events[2].name</c>) and what.</summary>
    public readonly record struct Problem(string Path, string Field, string Message)
    {
        public override string ToString() => $"At {Path}: {Message}";
    }

    /// <summary>The first problem in <paramref name="element"/>, or null when there is none.</summary>
    /// <remarks>
    /// Every event of a batch passes through here, so the common case (no problem) reads the raw bytes without
    /// allocating; a value that fails that look (or only might: two names with one hash) is walked again to say where.
    /// </remarks>
    public static Problem? Find(JsonElement element, string path = "$") =>
        IsClean(element) ? null : Walk(element, path, path == "$" ? "$" : path.TrimStart('$', '.'));

    private static bool IsClean(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsCleanText(JsonMarshal.GetRawUtf8Value(element), element);
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!IsClean(item))
                    {
                        return false;
                    }
                }
                return true;
            case JsonValueKind.Object:
                // Names are compared by hash: an equal hash sends the value to the slow walk, which decides exactly.
                const int FewProperties = 16;
                Span<int> seen = stackalloc int[FewProperties];
                var count = 0;
                foreach (var property in element.EnumerateObject())
                {
                    var name = JsonMarshal.GetRawUtf8PropertyName(property);
                    // An escaped name could equal another written plainly, and a long object needs a set: slow walk.
                    if (count == FewProperties || name.Contains((byte)'\\') || !Utf8.IsValid(name))
                    {
                        return false;
                    }
                    var hash = HashOf(name);
                    if (seen[..count].Contains(hash))
                    {
                        return false;
                    }
                    seen[count++] = hash;
                    if (!IsClean(property.Value))
                    {
                        return false;
                    }
                }
                return true;
            default:
                return true;
        }
    }

    private static int HashOf(ReadOnlySpan<byte> bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    private static bool IsCleanText(ReadOnlySpan<byte> raw, JsonElement element) =>
        Utf8.IsValid(raw) && (!raw.Contains((byte)'\\') || IsText(element));

    /// <summary>The first problem among an object's own property names (not inside its values), or null.</summary>
    public static Problem? FindInNames(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!TryName(property, out var name))
            {
                return new Problem("$", "$", "A property name is not valid Unicode text.");
            }
            if (!seen.Add(name))
            {
                return new Problem($"$.{name}", name, $"{name} appears more than once; send each property once.");
            }
        }
        return null;
    }

    private static bool TryName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    private static Problem? Walk(JsonElement element, string path, string field)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsText(element) ? null : new Problem(path, field, $"{field} is not valid Unicode text (it holds a lone surrogate or bytes that are not UTF-8).");
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Walk(item, $"{path}[{index}]", field) is { } inItem)
                    {
                        return inItem;
                    }
                    index++;
                }
                return null;
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryName(property, out var name))
                    {
                        return new Problem(path, field, $"A property name in {field} is not valid Unicode text.");
                    }
                    seen ??= new HashSet<string>(StringComparer.Ordinal);
                    if (!seen.Add(name))
                    {
                        return new Problem($"{path}.{name}", name, $"{name} appears more than once; send each property once.");
                    }
                    if (Walk(property.Value, $"{path}.{name}", name) is { } inValue)
                    {
                        return inValue;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static bool IsText(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
