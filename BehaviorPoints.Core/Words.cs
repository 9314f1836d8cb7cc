using System.Globalization;

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
