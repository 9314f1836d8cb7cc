using System.Globalization;

namespace BehaviorPoints.Core;

/// <summary>Counts in words: "1 lead", "2 leads", "1,250 leads" (never "1 leads").</summary>
public static class Plural
{
    /// <summary>The count (with thousands separators) and the noun in the form the count takes.</summary>
    public static string Of(long count, string singular, string? plural = null) =>
        $"{count.ToString("N0", CultureInfo.CurrentCulture)} {Noun(count, singular, plural)}";

    /// <summary>The noun alone, in the form <paramref name="count"/> takes ("of 1 lead", "of 3 leads").</summary>
    public static string Noun(long count, string singular, string? plural = null) =>
        count is 1 or -1 ? singular : plural ?? singular + "s";
}
