using System.Net;
using BehaviorPoints.Core.Demo;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Tracking;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Web.Api;

/// <summary>
/// With the demo data on, a sample company website at <c>/demo-site/</c> that carries the tracker's snippet for the
/// demo's website, so a newcomer can browse it, fill in its form and watch the visitor become a lead on the Websites
/// page. The app allows the addresses it listens on (localhost and 127.0.0.1) as the demo website's origins at start.
/// </summary>
internal static class DemoWebsite
{
    public static void MapDemoWebsite(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Demo:Seed"))
        {
            return;
        }
        // The contact form posts here, so the email never sits in an address the tracker records.
        app.MapMethods("/demo-site/{**page}", ["GET", "POST"], PageAsync).ExcludeFromDescription().AllowAnonymous().DisableAntiforgery();
        app.Lifetime.ApplicationStarted.Register(() => _ = AllowListeningAddressesAsync(app));
    }

    private static async Task AllowListeningAddressesAsync(WebApplication app)
    {
        var origins = app.Urls.SelectMany(url => Uri.TryCreate(url.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost"), UriKind.Absolute, out var uri)
            ? new[] { $"{uri.Scheme}://localhost:{uri.Port}", $"{uri.Scheme}://127.0.0.1:{uri.Port}" }
            : []).ToList();
        if (origins.Count > 0)
        {
            await app.Services.GetRequiredService<SiteService>().AllowOriginsAsync(DemoSeeder.DemoSiteName, origins);
        }
    }

    private static async Task<IResult> PageAsync(string? page, IDbContextFactory<BehaviorPointsDbContext> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.Sites.Where(s => s.Name == DemoSeeder.DemoSiteName).Select(s => s.PublishableKey).FirstOrDefaultAsync(cancellationToken);
        if (key is null)
        {
            return Results.NotFound();
        }
        var (title, body) = (page ?? "").Trim('/') switch
        {
            "pricing" => ("Pricing", Pricing),
            "customers" => ("Customers", Customers),
            "whitepaper" => ("The lead scoring whitepaper", Whitepaper),
            "contact" => ("Talk to sales", Contact),
            "thanks" => ("Thank you", Thanks),
            "" => ("Analytics your sales team will use", Home),
            _ => ("Page not found", "<h1>Page not found</h1><p><a href=\"/demo-site/\">Back to the home page</a></p>"),
        };
        var html = Layout.Replace("{title}", WebUtility.HtmlEncode(title), StringComparison.Ordinal)
            .Replace("{key}", WebUtility.HtmlEncode(key), StringComparison.Ordinal)
            .Replace("{body}", body, StringComparison.Ordinal);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private const string Layout = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{title} · Northwind Analytics</title>
          <link rel="icon" href="data:,">
          <script async src="/t.js" data-key="{key}"></script>
          <style>
            body { font-family: system-ui, sans-serif; margin: 0; color: #1f2937; background: #f8fafc; }
            header { background: #0f766e; color: white; padding: 16px 32px; display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
            header a { color: white; text-decoration: none; } header strong { font-size: 1.2rem; margin-right: auto; }
            main { max-width: 760px; margin: 32px auto; padding: 0 24px; line-height: 1.6; }
            .note { background: #fef3c7; padding: 12px 16px; border-radius: 8px; font-size: .9rem; }
            .card { background: white; border-radius: 12px; padding: 20px 24px; margin: 16px 0; box-shadow: 0 1px 3px rgba(0,0,0,.1); }
            button, .button { background: #0f766e; color: white; border: 0; border-radius: 8px; padding: 10px 18px; font-size: 1rem; cursor: pointer; text-decoration: none; display: inline-block; }
            label { display: block; margin-top: 12px; } input, textarea { width: 100%; padding: 8px; font-size: 1rem; border: 1px solid #cbd5e1; border-radius: 6px; box-sizing: border-box; }
          </style>
        </head>
        <body>
          <header><strong>Northwind Analytics</strong><a href="/demo-site/">Home</a><a href="/demo-site/pricing">Pricing</a><a href="/demo-site/customers">Customers</a><a href="/demo-site/whitepaper">Whitepaper</a><a href="/demo-site/contact">Talk to sales</a></header>
          <main>
            <p class="note">A sample company website served by BehaviorPoints' demo. It carries the tracking snippet: browse, download the whitepaper, send the form with an email, then open <a href="/admin/sites">Websites</a> in BehaviorPoints (as the administrator) to see your visit arrive and become a lead.</p>
            {body}
          </main>
        </body>
        </html>
        """;

    private const string Home = """
        <h1>Analytics your sales team will use</h1>
        <p>Northwind Analytics turns the numbers in your CRM into a morning list: who to call, and why.</p>
        <p><a class="button" href="/demo-site/pricing">See pricing</a></p>
        """;

    private const string Pricing = """
        <h1>Pricing</h1>
        <div class="card"><h2>Team</h2><p>$29 per user per month. Dashboards, alerts, and the CRM connector.</p></div>
        <div class="card"><h2>Enterprise</h2><p>Single sign-on, audit log, and a named success manager.</p>
          <p><a class="button" href="/demo-site/contact">Talk to sales</a></p></div>
        """;

    private const string Customers = """
        <h1>Customers</h1>
        <div class="card"><p>"We call the right accounts first, every morning." — Head of Sales, a logistics company</p></div>
        <div class="card"><p>"Our reps trust the score because they can see what's behind it." — CRM administrator, a retailer</p></div>
        """;

    private const string Whitepaper = """
        <h1>The lead scoring whitepaper</h1>
        <p>Twelve pages on scoring behavior, fit and recency without losing your reps' trust.</p>
        <p><button data-bp-event="content.download" data-bp-content-id="wp-lead-scoring" data-bp-content-type="document" data-bp-title="The lead scoring whitepaper">Download the PDF</button></p>
        """;

    private const string Contact = """
        <h1>Talk to sales</h1>
        <form class="card" data-bp-form="contact-sales" data-bp-form-name="Contact sales" action="/demo-site/thanks" method="post">
          <label>Name <input name="name" autocomplete="name" required></label>
          <label>Work email <input type="email" name="email" autocomplete="email" required></label>
          <label>What would you like to know? <textarea name="message" rows="4"></textarea></label>
          <p><button type="submit">Send</button></p>
        </form>
        <p style="font-size:.9rem">Only your name and email reach the CRM; the message stays on this page.</p>
        """;

    private const string Thanks = """
        <h1>Thank you</h1>
        <p>Someone from sales will write to you today. Meanwhile, BehaviorPoints has your visit: see <a href="/admin/sites">Websites</a>.</p>
        """;
}
