using System.Collections.Concurrent;
using System.Globalization;

namespace BehaviorPoints.Core.Tracking;

/// <summary>
/// Why a visitor's behaviors are held back as a suspected bot's (SPEC §16). Stored as a code and a detail
/// (<c>crawler:Googlebot</c>), said in words by <see cref="Describe"/>.
/// </summary>
public static class BotReasons
{
    public const string Crawler = "crawler";
    public const string Webdriver = "webdriver";
    public const string FastPageViews = "fast-page-views";
    public const string FastForm = "fast-form";

    public static string Of(string code, string? detail = null) => detail is null ? code : code + ":" + detail;

    /// <summary>The reason as a sentence template with its value ({0}), for the reader's language.</summary>
    public static (string Template, string? Detail) Describe(string stored)
    {
        var colon = stored.IndexOf(':');
        var (code, detail) = colon < 0 ? (stored, null) : (stored[..colon], stored[(colon + 1)..]);
        return code switch
        {
            Crawler => ("a crawler's user agent ({0})", detail),
            Webdriver => ("a browser driven by automation (navigator.webdriver)", null),
            FastPageViews => ("{0} page views within two seconds, faster than a person browses", detail),
            FastForm => ("a form submitted {0} ms after its page loaded", detail),
            _ => (stored, null),
        };
    }

    /// <summary>The reason in English (the API's language).</summary>
    public static string InEnglish(string stored)
    {
        var (template, detail) = Describe(stored);
        return string.Format(CultureInfo.InvariantCulture, template, detail);
    }
}

/// <summary>
/// The detectors: a self-declared crawler user agent (a short list kept here), <c>navigator.webdriver</c> as the tracker
/// reports it, more page views than a person makes (<see cref="PageViewsInWindow"/> within <see cref="PageViewWindow"/>,
/// by the times the tracker stamped), and a form submitted within <see cref="FastestFormMs"/> of its page loading.
/// </summary>
public sealed class BotDetectors
{
    public const int PageViewsInWindow = 5;
    public static readonly TimeSpan PageViewWindow = TimeSpan.FromSeconds(2);
    public const int FastestFormMs = 1000;

    // Lower-case parts of user agents that say they are not a person's browser: search and social crawlers, SEO tools,
    // link previewers and email link scanners, headless browsers and HTTP libraries.
    private static readonly string[] s_crawlers =
    [
        "googlebot", "bingbot", "slurp", "duckduckbot", "baiduspider", "yandexbot", "sogou", "360spider", "bytespider",
        "petalbot", "applebot", "facebookexternalhit", "facebot", "twitterbot", "linkedinbot", "slackbot", "discordbot",
        "telegrambot", "whatsapp", "skypeuripreview", "ahrefsbot", "semrushbot", "mj12bot", "dotbot", "rogerbot",
        "screaming frog", "ia_archiver", "archive.org_bot", "gptbot", "ccbot", "claudebot", "barracuda", "proofpoint",
        "mimecast", "headlesschrome", "phantomjs", "python-requests", "python-urllib", "curl/", "wget/", "go-http-client",
        "okhttp", "java/", "libwww-perl", "scrapy", "httpclient", "bot/", "crawler", "spider",
    ];

    // The last page-view times of visitors seen lately, by visitor row id (one app instance's view).
    private readonly ConcurrentDictionary<long, DateTime[]> _pageViews = new();

    /// <summary>The crawler a user agent declares itself to be, or null.</summary>
    public static string? CrawlerIn(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "no user agent";
        }
        var lower = userAgent.ToLowerInvariant();
        foreach (var crawler in s_crawlers)
        {
            if (lower.Contains(crawler, StringComparison.Ordinal))
            {
                return crawler.TrimEnd('/');
            }
        }
        return null;
    }

    /// <summary>
    /// Why the request's sender looks like a bot, or null: <paramref name="pageViews"/> are the times of its page views in
    /// this request, <paramref name="formMs"/> how long after their page loaded its forms were submitted.
    /// </summary>
    public string? Detect(long visitorId, string? userAgent, bool webdriver, IEnumerable<DateTime> pageViews, IEnumerable<long> formMs)
    {
        if (CrawlerIn(userAgent) is { } crawler)
        {
            return BotReasons.Of(BotReasons.Crawler, crawler);
        }
        if (webdriver)
        {
            return BotReasons.Of(BotReasons.Webdriver);
        }
        if (formMs.Where(ms => ms >= 0 && ms < FastestFormMs).Select(ms => (long?)ms).FirstOrDefault() is { } fast)
        {
            return BotReasons.Of(BotReasons.FastForm, fast.ToString(CultureInfo.InvariantCulture));
        }
        var views = pageViews.ToList();
        if (views.Count == 0)
        {
            return null;
        }
        if (_pageViews.Count > 100_000)
        {
            _pageViews.Clear();
        }
        var recent = _pageViews.AddOrUpdate(visitorId, _ => [.. views.OrderBy(v => v).TakeLast(PageViewsInWindow)],
            (_, known) => [.. known.Concat(views).OrderBy(v => v).TakeLast(PageViewsInWindow)]);
        return recent.Length >= PageViewsInWindow && recent[^1] - recent[0] <= PageViewWindow
            ? BotReasons.Of(BotReasons.FastPageViews, recent.Length.ToString(CultureInfo.InvariantCulture))
            : null;
    }
}
