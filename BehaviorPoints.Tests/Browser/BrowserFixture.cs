using System.Net;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

/// <summary>
/// The app on a loopback port with a small known data set, and one headless Debian Chromium driven by Playwright.
/// Set BP_SCREENSHOTS to a folder to keep a screenshot of each step.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string Password = "Browser!Pass1";
    public const string AdminEmail = "admin@browser.test";
    public const string NorthEmail = "north@browser.test";
    public const string SouthEmail = "south@browser.test";
    public const string LockoutEmail = "forgetful@browser.test";
    public const string ManagerEmail = "manager@browser.test";

    private readonly ApiFactory _app = new();

    /// <summary>The app under test, for API calls and services.</summary>
    public ApiFactory App => _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    /// <summary>The North team's leads per level, as the ledger scored them.</summary>
    public IReadOnlyDictionary<string, int> NorthCounts { get; private set; } = new Dictionary<string, int>();

    /// <summary>The seeded leads' ids by team.</summary>
    public Dictionary<string, List<long>> LeadIdsByTeam { get; } = [];

    public async Task InitializeAsync()
    {
        _app.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        await ((IAsyncLifetime)_app).InitializeAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await SeedAsync();

        // CI machines are busy: give expectations room before calling them failed.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", .. ExtraBrowserArguments],
        });
    }

    /// <summary>Creates the users; the default also publishes rules and scores a small set of leads.</summary>
    /// <summary>More command-line switches for Chromium.</summary>
    protected virtual IEnumerable<string> ExtraBrowserArguments => [];

    protected virtual async Task SeedAsync()
    {
        await CreateUsersAsync();
        await SeedLeadsAsync();
    }

    protected async Task CreateUsersAsync()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            await users.CreateAsync(AdminEmail, Password, Roles.Administrator, []);
            await users.CreateAsync(NorthEmail, Password, Roles.Sales, ["North"]);
            await users.CreateAsync(SouthEmail, Password, Roles.Sales, ["South"]);
            await users.CreateAsync(LockoutEmail, Password, Roles.Manager, []);
            await users.CreateAsync(ManagerEmail, Password, Roles.Manager, []);
        }
    }

    private async Task SeedLeadsAsync()
    {

        var ruleSets = _app.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(Build.RuleSet([.. Build.SeedExample, Build.Rule("Submit form", "form.submit", 60)]));
        await ruleSets.PublishAsync(AdminEmail);
        // Fit: Software scores High (60), anything else Low (0).
        var fitModels = _app.Get<FitModelService>();
        await fitModels.SaveDraftAsync(new FitModelDefinition
        {
            Rules = [new FitRuleDefinition { Name = "Software", Field = FitFields.Industry, Operator = "equals", Value = Build.Json("Software"), Points = 60 }],
            Bands = FitBandsDefinition.Default,
        });
        await fitModels.PublishAsync(AdminEmail);

        // North: forms per lead 0, 1, 1, 2, 3 -> Low, Medium, Medium, High, High. South: three High leads.
        var leads = _app.Get<LeadCommands>();
        var batch = new List<IncomingBehavior>();
        var sequence = 0;
        foreach (var (team, forms) in new[] { ("North", 0), ("North", 1), ("North", 1), ("North", 2), ("North", 3), ("South", 3), ("South", 3), ("South", 2) })
        {
            ++sequence;
            var lead = await leads.CreateAsync(new LeadInput { Name = $"{team} lead {sequence}", Company = "Browser Test Ltd", Team = team, Industry = sequence % 2 == 0 ? "Software" : "Retail" }, LeadAccess.All);
            (LeadIdsByTeam.TryGetValue(team, out var ids) ? ids : LeadIdsByTeam[team] = []).Add(lead.Id);
            for (var f = 0; f < forms; f++)
            {
                batch.Add(EventReader.Read(Build.Json(new { eventId = $"b-{sequence}-{f}", behavior = "form.submit", leadId = lead.Id }), DateTime.UtcNow, BehaviorCatalog.BuiltInOnly).Behavior!);
            }
        }
        await _app.Get<Ledger>().IngestAsync(batch);
        NorthCounts = new Dictionary<string, int> { ["Low"] = 1, ["Medium"] = 2, ["High"] = 2 };
    }

    /// <summary>A fresh browser context (own cookies) with a page.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the real form and waits for the interactive circuit.</summary>
    public async Task<IPage> SignInAsync(string email, string password = Password)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", email);
        await page.FillAsync("#Input\\.Password", password);
        var console = new List<string>();
        page.Console += (_, message) => console.Add(message.Text);
        await page.ClickAsync("button[type=submit]");
        try
        {
            await page.WaitForSelectorAsync("[data-interactive=yes]", new() { Timeout = 15000 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new() { Path = "/tmp/signin-fail.png" });
            throw new TimeoutException($"not interactive at {page.Url}: {string.Join(" / ", console)} -- {await page.ContentAsync()}");
        }
        return page;
    }

    /// <summary>
    /// A new page of <paramref name="email"/>'s browser context for this screen size and language, signed in through the
    /// form the first time, for tests that look at many screens as one user. The context is kept for the class, so its
    /// cookies and its cache of the app's scripts and styles serve every test; the page closes with the test.
    /// </summary>
    public async Task<IPage> SignedInPageAsync(string email, ViewportSize? viewport = null, string? locale = null)
    {
        var key = $"{email}|{viewport?.Width}x{viewport?.Height}|{locale}";
        if (!_signedIn.TryGetValue(key, out var context))
        {
            if (!_signIns.TryGetValue(email, out var state))
            {
                var first = await SignInAsync(email);
                _signIns[email] = state = await first.Context.StorageStateAsync();
                await first.Context.CloseAsync();
            }
            context = await Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = BaseUrl, ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 800 }, StorageState = state,
                HasTouch = viewport is not null && viewport.Width < 600,
                // The browser's language, sent as Accept-Language.
                Locale = locale,
            });
            _signedIn[key] = context;
        }
        return await context.NewPageAsync();
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IBrowserContext> _signedIn = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _signIns = new();

    /// <summary>A phone's screen in portrait (an iPhone 14's CSS pixels).</summary>
    public static ViewportSize Phone { get; } = new() { Width = 390, Height = 844 };

    /// <summary>Opens a page of the app and waits until its circuit is interactive.</summary>
    public static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForSelectorAsync("[data-interactive=yes]");
    }

    /// <summary>
    /// Closes every page that is open (and so its circuit on the server), and every context but the signed-in ones kept
    /// for the class: each test's pages end with the test, rather than rendering and keeping their circuits busy for
    /// the rest of the class.
    /// </summary>
    public async Task CloseContextsAsync()
    {
        var kept = _signedIn.Values.ToHashSet();
        foreach (var context in Browser.Contexts.ToList())
        {
            if (kept.Contains(context))
            {
                foreach (var page in context.Pages.ToList())
                {
                    await page.CloseAsync();
                }
            }
            else
            {
                await context.CloseAsync();
            }
        }
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("BP_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }

    public virtual async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await ((IAsyncLifetime)_app).DisposeAsync();
    }
}

/// <summary>The app with users only: no rule set, no leads, as an administrator finds it after <c>user create</c>.</summary>
public sealed class FreshAppFixture : BrowserFixture
{
    protected override Task SeedAsync() => CreateUsersAsync();
}

/// <summary>
/// A class of browser tests over one app and one browser (<typeparamref name="TFixture"/>); each test's pages are closed
/// when it ends.
/// </summary>
public abstract class BrowserTests<TFixture> : IClassFixture<TFixture>, IAsyncLifetime where TFixture : BrowserFixture
{
    /// <summary>The class's app and browser.</summary>
    protected abstract TFixture Fixture { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Fixture.CloseContextsAsync();
}
