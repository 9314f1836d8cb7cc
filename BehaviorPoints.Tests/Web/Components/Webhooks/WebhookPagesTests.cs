using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Webhooks;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Pages.Admin.Webhooks;
using BehaviorPoints.Web.Components.Shared;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using WebhooksPage = BehaviorPoints.Web.Components.Pages.Admin.Webhooks.Webhooks;

namespace BehaviorPoints.Tests.Web.Components.Webhooks;

/// <summary>The webhook pages: the empty state, adding an endpoint (errors by field, the secret once), its log and the warning.</summary>
public sealed class WebhookPagesTests : MudContext, IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync(services => services.Configure<WebhookOptions>(o => o.AllowPrivateNetworks = true));
        SignIn(Roles.Administrator);
        Services.AddSingleton(_database.Get<WebhookEndpoints>());
        Services.AddSingleton<TimeProvider>(_database.Clock);
        Services.AddScoped<ViewerClock>();
    }

    async Task IAsyncLifetime.DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Adding_an_endpoint_names_the_wrong_field_then_shows_the_secret_once_and_lists_it()
    {
        var popovers = RenderInteractive<MudBlazor.MudPopoverProvider>();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<WebhooksPage>();
        Assert.Contains("No endpoints yet", page.WaitForElement("[data-testid=no-webhooks]").TextContent, StringComparison.Ordinal);

        // The click's handler waits for the dialog's result: it completes once the dialog closes.
        var adding = page.Find("[data-testid=add-webhook]").ClickAsync(new());
        dialogs.WaitForElement("input[data-testid=webhook-url]").Change("ftp://nowhere");
        await dialogs.Find("[data-testid=save-webhook]").ClickAsync(new());
        dialogs.WaitForAssertion(() => Assert.Contains("is not an http:// or https:// URL", dialogs.Markup, StringComparison.Ordinal));

        dialogs.Find("input[data-testid=webhook-url]").Change("http://127.0.0.1:9/hook");
        await dialogs.Find("[data-testid=save-webhook]").ClickAsync(new());
        await adding.WaitAsync(TimeSpan.FromSeconds(10));

        page.WaitForAssertion(() => Assert.StartsWith("whsec_", page.Find("input[data-testid=secret-value]").GetAttribute("value"), StringComparison.Ordinal));
        var row = page.Find("[data-testid=webhooks] tbody tr");
        Assert.Contains("http://127.0.0.1:9/hook", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Active", row.TextContent, StringComparison.Ordinal);
        // Every event type was chosen by default.
        Assert.Equal(WebhookEventTypes.All, Assert.Single(await _database.Get<WebhookEndpoints>().ListAsync()).Events);
        Assert.Empty(popovers.FindAll("[data-testid=webhook-url]"));
    }

    [Fact]
    public async Task An_endpoint_s_page_shows_its_log_and_says_when_nothing_was_sent()
    {
        var endpoints = _database.Get<WebhookEndpoints>();
        var created = await endpoints.CreateAsync(new WebhookEndpointInput("http://127.0.0.1:9/hook", [LeadCreated.TypeName], "ERP"), "tests");
        Render<MudBlazor.MudPopoverProvider>();
        var page = RenderInteractive<WebhookEndpointPage>(p => p.Add(x => x.Id, created.Endpoint.Id));
        page.WaitForElement("[data-testid=no-deliveries]");
        Assert.Equal("http://127.0.0.1:9/hook", page.Find("[data-testid=webhook-url-title]").TextContent);
        // No secret on the page: it was shown when the endpoint was added.
        Assert.DoesNotContain("whsec_", page.Markup, StringComparison.Ordinal);

        await using (var db = await _database.NewContextAsync())
        {
            var message = new WebhookMessage
            {
                EndpointId = created.Endpoint.Id, MessageId = "msg_log", EventType = LeadCreated.TypeName, LeadId = 7, Payload = "{}",
                CreatedAt = DateTime.UtcNow, Status = WebhookMessageStatus.Pending, NextAttemptAt = DateTime.UtcNow.AddMinutes(5), Attempts = 1,
            };
            db.WebhookMessages.Add(message);
            await db.SaveChangesAsync();
            db.WebhookAttempts.Add(new WebhookAttempt { EndpointId = created.Endpoint.Id, MessageId = message.Id, At = DateTime.UtcNow, StatusCode = 503, LatencyMs = 42, Response = "<b>down for maintenance</b>" });
            await db.SaveChangesAsync();
        }
        await page.InvokeAsync(() => page.Find("button:contains('Refresh')").Click());
        var row = page.WaitForElement("[data-testid=deliveries] tbody tr");
        Assert.Contains("503", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("42 ms", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Waiting, next try", row.TextContent, StringComparison.Ordinal);
        // The receiver's answer is text, never markup.
        Assert.Contains("&lt;b&gt;down for maintenance&lt;/b&gt;", row.InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_pages_warn_of_an_endpoint_failing_for_a_day()
    {
        var endpoints = _database.Get<WebhookEndpoints>();
        var created = await endpoints.CreateAsync(new WebhookEndpointInput("http://127.0.0.1:9/hook", [LeadCreated.TypeName]), "tests");
        Assert.Empty(await endpoints.TroubledAsync());

        await using (var db = await _database.NewContextAsync())
        {
            var endpoint = await db.WebhookEndpoints.FindAsync(created.Endpoint.Id);
            endpoint!.FailingSince = _database.Clock.GetUtcNow().UtcDateTime.AddHours(-25);
            await db.SaveChangesAsync();
        }
        var warning = RenderInteractive<WebhookWarning>().WaitForElement("[data-testid=webhook-warning]");
        Assert.Contains("has failed without a success since", warning.TextContent, StringComparison.Ordinal);
        Assert.Equal($"/admin/webhooks/{created.Endpoint.Id}", warning.QuerySelector("a")!.GetAttribute("href"));
    }
}
