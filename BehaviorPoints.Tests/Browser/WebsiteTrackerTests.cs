using System.Net;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Tracking;
using BehaviorPoints.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

/// <summary>The app with a rule set that scores pricing-page views and forms, for the website tracker.</summary>
public sealed class TrackerFixture : BrowserFixture
{
    /// <summary>A person's Chrome says so in every request, beacons included (headless Chromium names itself, and is held as a crawler).</summary>
    public const string PersonsUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    protected override IEnumerable<string> ExtraBrowserArguments => [$"--user-agent={PersonsUserAgent}"];

    protected override async Task SeedAsync()
    {
        await CreateUsersAsync();
        var ruleSets = App.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(Build.RuleSet(Build.Rule("Pricing page", "website.visit", 10, Build.When("path", "contains", "/pricing")), Build.Rule("Contact form", "form.submit", 60)));
        await ruleSets.PublishAsync(AdminEmail);
    }
}

/// <summary>
/// The tracker in a real browser (SPEC §16): a company website served from another loopback origin carries the snippet;
/// its visitor browses, submits a form and becomes a lead whose earlier page views are scored once; a page from an origin
/// the site does not allow is refused; a browser driven by automation is held until an administrator releases it.
/// </summary>
public sealed class WebsiteTrackerTests(TrackerFixture browser) : BrowserTests<TrackerFixture>
{
    protected override TrackerFixture Fixture => browser;

    private CompanyWebsite _website = null!;
    private CompanyWebsite _stranger = null!;

    public override async Task InitializeAsync()
    {
        _website = await CompanyWebsite.StartAsync(IPAddress.Parse("127.0.0.2"));
        _stranger = await CompanyWebsite.StartAsync(IPAddress.Parse("127.0.0.3"));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _website.DisposeAsync();
        await _stranger.DisposeAsync();
    }

    [Fact]
    public async Task A_visitor_browses_submits_the_form_and_becomes_a_lead_with_its_earlier_page_views_scored_once()
    {
        var site = await SiteAsync("Company website", _website.Origin);
        var page = await PersonAsync();
        await page.Clock.InstallAsync();
        await page.GotoAsync(_website.Page("/", site.PublishableKey, browser.BaseUrl));
        await page.ClickAsync("text=Pricing");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/pricing\\?"));
        await page.ClickAsync("text=Enterprise plan"); // a single-page app's history change
        await page.ClickAsync("text=Download the price list");
        await page.FillAsync("#email", "Mei.Chen@Example.com");
        await page.FillAsync("#name", "Mei Chen");
        await page.FillAsync("#message", "please call me");
        // A person takes a moment (a form sent within a second of loading is held): the page's clock moves on, not the test's.
        await page.Clock.FastForwardAsync(BotDetectors.FastestFormMs + 1000);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/thanks\\?"));

        var lead = await EventuallyAsync(async () =>
        {
            await using var db = await browser.App.NewContextAsync();
            return await db.Leads.FirstOrDefaultAsync(l => l.Email == "mei.chen@example.com");
        }, TimeSpan.FromSeconds(15));
        await EventuallyAsync(async () =>
        {
            await using var db = await browser.App.NewContextAsync();
            return await db.Behaviors.AnyAsync(b => b.LeadId == null && db.Visitors.Any(v => v.Id == b.VisitorId && v.SiteId == site.Id)) ? null : "linked";
        }, TimeSpan.FromSeconds(15));

        await using (var db = await browser.App.NewContextAsync())
        {
            var behaviors = await db.Behaviors.Where(b => b.LeadId == lead!.Id).OrderBy(b => b.OccurredAt).ToListAsync();
            Assert.Equal(["website.visit", "website.visit", "website.visit", "content.download", "form.submit"], behaviors.Select(b => b.Type));
            Assert.DoesNotContain(behaviors, b => b.AttributesJson.Contains("please call me", StringComparison.Ordinal));
            var entries = await db.ScoreEntries.Where(e => e.LeadId == lead!.Id).ToListAsync();
            Assert.Equal(3, entries.Count); // two pricing views and the form, each once
            Assert.Equal(entries.Count, entries.Select(e => e.BehaviorId).Distinct().Count());
            var stored = await db.Leads.SingleAsync(l => l.Id == lead!.Id);
            Assert.Equal((80L, "website", "Mei Chen"), (stored.BehaviorPoints, stored.Source, stored.Name));
        }

        // The administrator sees it arrive on the site's page.
        var admin = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(admin, $"/admin/sites/{site.Id}");
        await Assertions.Expect(admin.Locator("[data-testid=recent-events] tbody tr")).ToHaveCountAsync(5);
        await Assertions.Expect(admin.Locator("[data-testid=today-identified]")).ToHaveTextAsync("1");
        await Assertions.Expect(admin.Locator("[data-testid=snippet]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("data-key=\"" + site.PublishableKey + "\""));
        await BrowserFixture.ScreenshotAsync(admin, "site-check-installation");
        await Axe.AssertCleanAsync(admin, "a website's page");
    }

    [Fact]
    public async Task Check_installation_shows_a_page_view_live_and_a_page_from_another_origin_is_refused()
    {
        var site = await SiteAsync("Docs website", _website.Origin);
        var admin = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(admin, $"/admin/sites/{site.Id}");
        await Assertions.Expect(admin.Locator("[data-testid=nothing-received]")).ToBeVisibleAsync();

        // A page of another origin carrying the same key: the collector refuses it, and the page may not even read why.
        var stranger = await PersonAsync();
        await stranger.GotoAsync(_stranger.Page("/", site.PublishableKey, browser.BaseUrl));
        var answer = await stranger.EvaluateAsync<string>(
            "([url, key]) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ key, visitorId: 'ffffffffffffffffffffffffffffffff', events: [{ id: 'ffffffffffffffffffffffffffffffff-1', behavior: 'website.visit' }] }) })"
            + ".then(r => 'read ' + r.status, () => 'refused')",
            new[] { browser.BaseUrl.TrimEnd('/') + "/collect", site.PublishableKey });
        Assert.Equal("refused", answer);
        await using (var db = await browser.App.NewContextAsync())
        {
            Assert.False(await db.Visitors.AnyAsync(v => v.SiteId == site.Id));
        }

        var visitor = await PersonAsync();
        await visitor.GotoAsync(_website.Page("/pricing", site.PublishableKey, browser.BaseUrl));
        // Within the page's refresh, without a reload.
        await Assertions.Expect(admin.Locator("[data-testid=recent-events] tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(admin.Locator("[data-testid=recent-events]")).ToContainTextAsync("/pricing");
    }

    [Fact]
    public async Task A_browser_driven_by_automation_is_held_and_an_administrator_releases_it_into_a_scored_lead()
    {
        var site = await SiteAsync("Shop website", _website.Origin);
        // Playwright's Chromium says navigator.webdriver, as automation does (with a person's user agent, so that is what gives it away).
        var bot = await (await browser.Browser.NewContextAsync(new BrowserNewContextOptions { UserAgent = TrackerFixture.PersonsUserAgent })).NewPageAsync();
        await bot.GotoAsync(_website.Page("/pricing", site.PublishableKey, browser.BaseUrl));
        await bot.FillAsync("#email", "driven@example.com");
        await bot.FillAsync("#name", "Driven");
        await bot.ClickAsync("button[type=submit]");
        await bot.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/thanks\\?"));

        var admin = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(admin, $"/admin/sites/{site.Id}");
        await Assertions.Expect(admin.Locator("[data-testid=held-summary]")).ToContainTextAsync("automation");
        await using (var db = await browser.App.NewContextAsync())
        {
            Assert.False(await db.Leads.AnyAsync(l => l.Email == "driven@example.com"));
        }
        await BrowserFixture.ScreenshotAsync(admin, "site-held-back");
        await admin.ClickAsync("[data-testid=visitor-rows] tbody tr a");
        await Assertions.Expect(admin.Locator("[data-testid=held-reason]")).ToContainTextAsync("automation");
        await Axe.AssertCleanAsync(admin, "a held visitor's page");
        await admin.GoBackAsync();
        await Assertions.Expect(admin.Locator("[data-testid=release]")).ToBeVisibleAsync();

        await admin.ClickAsync("[data-testid=release]");
        var lead = await EventuallyAsync(async () =>
        {
            await using var db = await browser.App.NewContextAsync();
            return await db.Leads.FirstOrDefaultAsync(l => l.Email == "driven@example.com" && l.BehaviorPoints == 70);
        }, TimeSpan.FromSeconds(15));
        await using (var db = await browser.App.NewContextAsync())
        {
            Assert.Equal(2, await db.ScoreEntries.CountAsync(e => e.LeadId == lead!.Id));
        }
    }

    // What the app does next (the collector answers before an identified visitor's behaviors are scored).
    private async Task<T> EventuallyAsync<T>(Func<Task<T?>> read, TimeSpan within) where T : class
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await read() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow >= deadline)
            {
                await using var db = await browser.App.NewContextAsync();
                var rows = await db.Behaviors.Where(b => b.VisitorId != null).Select(b => $"{b.VisitorId} {b.Type} {b.Outcome} lead {b.LeadId} {b.OccurredAt:O} {b.AttributesJson}").ToListAsync();
                var visitors = await db.Visitors.Select(v => $"{v.Id} site {v.SiteId} lead {v.LeadId} held {v.HeldReason} pending {v.LinkPending} email {v.Email}").ToListAsync();
                Assert.Fail($"nothing after {within.TotalSeconds} s\n{string.Join("\n", rows)}\n{string.Join("\n", visitors)}");
            }
            await Task.Delay(20);
        }
    }

    // A browser that does not say it is automated or headless, as a person's does not.
    private async Task<IPage> PersonAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { UserAgent = TrackerFixture.PersonsUserAgent });
        await context.AddInitScriptAsync("Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false });");
        return await context.NewPageAsync();
    }

    private async Task<SiteView> SiteAsync(string name, string origin) =>
        (await browser.App.Get<SiteService>().CreateAsync(new SiteInput { Name = $"{name} {Guid.NewGuid():N}"[..40], Origins = [origin], Team = "North" })).Site;
}

/// <summary>
/// A company's website on its own loopback address: a home page, a pricing page (with a single-page-app link and a
/// download), a contact form marked for the tracker, and a thank-you page, each carrying the snippet.
/// </summary>
internal sealed class CompanyWebsite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CompanyWebsite(WebApplication app, string origin) => (_app, Origin) = (app, origin);

    public string Origin { get; }

    public static async Task<CompanyWebsite> StartAsync(IPAddress address)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(address, 0));
        var app = builder.Build();
        app.MapGet("/{**path}", (HttpContext context, string? path) =>
        {
            var key = context.Request.Query["key"].ToString();
            var tracker = context.Request.Query["tracker"].ToString();
            var query = $"?key={Uri.EscapeDataString(key)}&tracker={Uri.EscapeDataString(tracker)}";
            var body = (path ?? "") switch
            {
                "pricing" => $"""
                    <h1>Pricing</h1>
                    <a href="#" onclick="history.pushState(null, '', '/pricing/enterprise{query}'); return false;">Enterprise plan</a>
                    <button data-bp-event="content.download" data-bp-content-id="price-list">Download the price list</button>
                    <form data-bp-form="contact" action="/thanks{query}" method="get">
                      <input id="email" type="email" name="email"><input id="name" name="name"><textarea id="message" name="message"></textarea>
                      <button type="submit">Send</button>
                    </form>
                    """,
                "thanks" => "<h1>Thank you</h1>",
                _ => $"""<h1>Welcome</h1><a href="/pricing{query}">Pricing</a>""",
            };
            var html = $"""
                <!doctype html><html><head><title>Example Co</title>
                <script async src="{tracker}/t.js" data-key="{key}"></script></head><body>{body}</body></html>
                """;
            return Results.Content(html, "text/html");
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CompanyWebsite(app, bound.TrimEnd('/'));
    }

    /// <summary>The address of a page with the snippet for <paramref name="key"/>, loading t.js from <paramref name="tracker"/>.</summary>
    public string Page(string path, string key, string tracker) =>
        $"{Origin}{path}?key={Uri.EscapeDataString(key)}&tracker={Uri.EscapeDataString(tracker.TrimEnd('/'))}";

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
