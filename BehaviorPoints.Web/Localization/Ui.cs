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

/// <summary>Core's sentences (rule sentences, durations, field labels) in the request's language, from the UI's resources.</summary>
public sealed class UiWords(Microsoft.Extensions.Localization.IStringLocalizer localizer) : BehaviorPoints.Core.IWords
{
    public string this[string english, params object?[] args] => args.Length == 0 ? localizer[english] : localizer[english, args!];

    public string Name(string key, string fallback)
    {
        var localized = localizer[key];
        return localized.ResourceNotFound ? fallback : localized.Value;
    }
}

/// <summary>Names the app ships in English that the UI shows in the request's language.</summary>
public static class UiNames
{
    /// <summary>
    /// A behavior type's label: a built-in type's from the resources ("Behavior:form.submit"), a custom type's as the
    /// administrator wrote it (<paramref name="label"/>).
    /// </summary>
    public static string BehaviorLabel(this Microsoft.Extensions.Localization.IStringLocalizer l, string type, string label) =>
        new UiWords(l).Name("Behavior:" + type, label);

    /// <summary>Why a website visitor is held back as a suspected bot (<c>crawler:googlebot</c>), in the request's language.</summary>
    public static string HeldReason(this Microsoft.Extensions.Localization.IStringLocalizer l, string stored)
    {
        var (template, detail) = BehaviorPoints.Core.Tracking.BotReasons.Describe(stored);
        return l[template, detail ?? ""];
    }

    /// <summary>Core's sentences in the request's language: <c>RuleSentences.Describe(rule, catalog, L.Words())</c>.</summary>
    public static BehaviorPoints.Core.IWords Words(this Microsoft.Extensions.Localization.IStringLocalizer l) => new UiWords(l);

    /// <summary>A role's name ("Role:Sales"), as the user-administration screens show it.</summary>
    public static string RoleName(this Microsoft.Extensions.Localization.IStringLocalizer l, string role) =>
        new UiWords(l).Name("Role:" + role, role);

    /// <summary>A behavior channel's name: a built-in channel's from the resources ("Channel:Forms"), another as written.</summary>
    public static string ChannelName(this Microsoft.Extensions.Localization.IStringLocalizer l, string channel) =>
        new UiWords(l).Name("Channel:" + channel, channel);
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
