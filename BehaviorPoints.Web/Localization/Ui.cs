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

    /// <summary>A behavior channel's name: a built-in channel's from the resources ("Channel:Forms"), another as written.</summary>
    public static string ChannelName(this Microsoft.Extensions.Localization.IStringLocalizer l, string channel)
    {
        var localized = l["Channel:" + channel];
        return localized.ResourceNotFound ? channel : localized.Value;
    }
}

/// <summary>Days as the request's language writes them: "Dec 1, 2026" and "Dec 1" in English, "2026年12月1日" and "12月1日" in Chinese.</summary>
public static class UiDates
{
    public static string Long(DateOnly day) => Cultures.IsChinese(System.Globalization.CultureInfo.CurrentUICulture)
        ? day.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture)
        : day.ToString("MMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public static string Short(DateOnly day) => Cultures.IsChinese(System.Globalization.CultureInfo.CurrentUICulture)
        ? day.ToString("M月d日", System.Globalization.CultureInfo.InvariantCulture)
        : day.ToString("MMM d", System.Globalization.CultureInfo.InvariantCulture);
}
