namespace BehaviorPoints.Core;

/// <summary>Checks shared by every place that stores text people or other systems send.</summary>
public static class UserText
{
    /// <summary>
    /// Whether <paramref name="text"/> holds control characters (NUL, escape sequences, …), which no field here means
    /// and which PostgreSQL cannot store at all. Line breaks and tabs are allowed where a field is prose.
    /// </summary>
    public static bool HasControlCharacters(string text, bool allowLineBreaks = false) =>
        text.Any(c => char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'));

    /// <summary><paramref name="text"/> with its control characters removed (for search text, which only filters).</summary>
    public static string WithoutControlCharacters(string text) =>
        HasControlCharacters(text) ? new string([.. text.Where(c => !char.IsControl(c))]) : text;
}
