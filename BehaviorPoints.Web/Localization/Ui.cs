namespace BehaviorPoints.Web.Localization;

/// <summary>
/// The UI's texts, for <c>IStringLocalizer&lt;Ui&gt;</c> (injected into every component as <c>L</c>): Ui.resx holds the
/// English, Ui.zh-CN.resx the Simplified Chinese, keyed by the English text (with {0}-style places for values).
/// </summary>
public sealed class Ui;

/// <summary>Texts with counts in them, in the request's language.</summary>
public static class UiCounts
{
    /// <summary>
    /// "1 lead" or "3 leads" in English from the keys <paramref name="one"/> and <paramref name="many"/> (each with {0}
    /// for the count, formatted for the culture); a language without plurals gives both keys the same text.
    /// </summary>
    public static string Count(this Microsoft.Extensions.Localization.IStringLocalizer l, long count, string one, string many) =>
        l[count == 1 ? one : many, count.ToString("N0", System.Globalization.CultureInfo.CurrentCulture)];
}

/// <summary>Names the app ships in English that the UI shows in the request's language.</summary>
public static class UiNames
{
    /// <summary>
    /// A behavior type's label: a built-in type's from the resources ("Behavior:form.submit"), a custom type's as the
    /// administrator wrote it (<paramref name="label"/>).
    /// </summary>
    public static string BehaviorLabel(this Microsoft.Extensions.Localization.IStringLocalizer l, string type, string label)
    {
        var localized = l["Behavior:" + type];
        return localized.ResourceNotFound ? label : localized.Value;
    }
}
