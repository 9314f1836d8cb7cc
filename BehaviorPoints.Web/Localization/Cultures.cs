using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Localization;

namespace BehaviorPoints.Web.Localization;

/// <summary>
/// The languages the UI speaks and how a request picks one: the signed-in user's saved choice (a claim in their
/// cookie), else the language cookie (set by the switch before signing in), else the browser's Accept-Language,
/// else English. The API's contract does not change with the language.
/// </summary>
public static class Cultures
{
    public const string English = "en";
    public const string Chinese = "zh-CN";

    /// <summary>The user claim that holds the saved choice.</summary>
    public const string ClaimType = "bp:culture";

    /// <summary>Each language by its own name, as the switch offers it.</summary>
    public static IReadOnlyList<(string Code, string Name)> All { get; } = [(English, "English"), (Chinese, "简体中文")];

    /// <summary>The language's code as the app spells it ("zh-cn" gives "zh-CN"), or null when the app does not speak it.</summary>
    public static string? Find(string? code) => All.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.OrdinalIgnoreCase)).Code;

    public static bool IsSupported(string? code) => Find(code) is not null;

    /// <summary>True when the UI of this request speaks <paramref name="code"/> (the switch marks it).</summary>
    public static bool IsCurrent(string code) => string.Equals(CultureInfo.CurrentUICulture.Name, code, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the UI of this request speaks Chinese.</summary>
    public static bool IsChinese(CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);

    public static RequestLocalizationOptions Options()
    {
        var codes = All.Select(c => c.Code).ToArray();
        var options = new RequestLocalizationOptions { ApplyCurrentCultureToResponseHeaders = true }
            .SetDefaultCulture(English)
            .AddSupportedCultures(codes)
            .AddSupportedUICultures(codes);
        options.RequestCultureProviders.Insert(0, new SavedChoiceProvider());
        // The browser's languages by our own matching, in place of the framework's exact one.
        var acceptLanguage = options.RequestCultureProviders.OfType<AcceptLanguageHeaderRequestCultureProvider>().Single();
        options.RequestCultureProviders[options.RequestCultureProviders.IndexOf(acceptLanguage)] = new BrowserLanguageProvider();
        return options;
    }

    /// <summary>
    /// The language the app speaks closest to a browser's: any English is English, and Chinese in simplified script
    /// (zh, zh-CN, zh-Hans, zh-SG, zh-Hans-CN...) is zh-CN; null for a language the app does not speak (traditional
    /// Chinese included, which readers of it would not take for theirs).
    /// </summary>
    public static string? Closest(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }
        var parts = code.Trim().ToLowerInvariant().Split('-', '_');
        return parts[0] switch
        {
            "en" => English,
            "zh" when !parts.Skip(1).Any(p => p is "hant" or "tw" or "hk" or "mo") => Chinese,
            _ => null,
        };
    }

    /// <summary>The first of the browser's languages (by its preference) that the app speaks, by <see cref="Closest"/>.</summary>
    private sealed class BrowserLanguageProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var chosen = httpContext.Request.GetTypedHeaders().AcceptLanguage
                .Where(l => l.Quality is null or > 0)
                .OrderByDescending(l => l.Quality ?? 1)
                .Select(l => Closest(l.Value.Value))
                .FirstOrDefault(c => c is not null);
            return Task.FromResult(chosen is null ? null : new ProviderCultureResult(chosen));
        }
    }

    /// <summary>The signed-in user's saved language, from the claim in their authentication cookie.</summary>
    private sealed class SavedChoiceProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var saved = httpContext.User.FindFirstValue(ClaimType);
            return Task.FromResult(IsSupported(saved) ? new ProviderCultureResult(saved!) : null);
        }
    }
}
