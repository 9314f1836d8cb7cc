using System.Net.Http.Json;
using BehaviorPoints.Tests.Support;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

public sealed class WebhookTests(FreshAppFixture browser) : BrowserTests<FreshAppFixture>
{
    protected override FreshAppFixture Fixture => browser;

    [Fact]
    public async Task An_administrator_registers_an_endpoint_sends_a_test_event_and_sees_the_delivery_in_the_log()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(admin, "/admin/webhooks");
        await Assertions.Expect(admin.Locator("[data-testid=no-webhooks]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(admin, "webhooks-empty");

        await admin.ClickAsync("[data-testid=add-webhook]");
        await admin.Locator("input[data-testid=webhook-url]").FillAsync(receiver.Url);
        await admin.Locator("input[data-testid=webhook-url]").BlurAsync();
        await BrowserFixture.ScreenshotAsync(admin, "webhooks-add-dialog");
        await admin.ClickAsync("[data-testid=save-webhook]");
        var secretField = admin.Locator("input[data-testid=secret-value]");
        await Assertions.Expect(secretField).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^whsec_"));
        var secret = await secretField.InputValueAsync();
        await Assertions.Expect(admin.Locator("[data-testid=webhooks]")).ToContainTextAsync(receiver.Url);
        await Assertions.Expect(admin.Locator("[data-testid=webhooks]")).ToContainTextAsync("Active");
        await BrowserFixture.ScreenshotAsync(admin, "webhooks-added");

        await admin.Locator("[data-testid=webhooks] a").First.ClickAsync();
        await Assertions.Expect(admin.Locator("[data-testid=no-deliveries]")).ToBeVisibleAsync();
        await admin.ClickAsync("[data-testid=send-test]");
        var log = admin.Locator("[data-testid=deliveries]");
        await Assertions.Expect(log).ToContainTextAsync("webhook.test");
        await Assertions.Expect(log).ToContainTextAsync("204");
        await Assertions.Expect(log).ToContainTextAsync("Delivered");

        // A lead created through the API is reported too, and the page's log shows it without a reload.
        var lead = await (await browser.App.Admin().PostAsJsonAsync("/api/v1/leads", new { name = "Hook Test Lead" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        await Assertions.Expect(log).ToContainTextAsync("lead.created");
        await Assertions.Expect(log).ToContainTextAsync($"lead {lead.GetProperty("id").GetInt64()}");
        await BrowserFixture.ScreenshotAsync(admin, "webhook-delivery-log");

        // The receiver verifies what it got with the secret the page showed.
        Assert.Equal(2, receiver.Accepted.Count());
        foreach (var received in receiver.Accepted)
        {
            received.VerifyWith(secret);
        }
    }
}
