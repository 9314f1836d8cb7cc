using System.Net;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

public sealed class AccessTests(BrowserFixture browser) : BrowserTests<BrowserFixture>
{
    protected override BrowserFixture Fixture => browser;

    [Fact]
    public async Task A_sales_user_opening_the_rule_builder_by_url_is_refused_and_does_not_see_it_in_the_menu()
    {
        var page = await browser.SignInAsync(BrowserFixture.NorthEmail);

        Assert.Equal(0, await page.Locator("nav >> text=Scoring rules").CountAsync());
        await page.GotoAsync("/admin/scoring-rules");

        await Assertions.Expect(page.GetByText("You are not allowed to open this page")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-testid=wizard]").CountAsync());
        await BrowserFixture.ScreenshotAsync(page, "not-allowed");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var page = await browser.NewPageAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await page.GotoAsync("/Account/Login");
            await page.FillAsync("#Input\\.Email", BrowserFixture.LockoutEmail);
            await page.FillAsync("#Input\\.Password", $"wrong-{attempt}");
            // Each attempt is a full form post; wait for its answer so no attempt is cut short by the next.
            await page.RunAndWaitForResponseAsync(
                () => page.ClickAsync("button[type=submit]"),
                response => response.Request.Method == "POST" && response.Url.Contains("/Account/Login", StringComparison.Ordinal));
        }
        await page.WaitForURLAsync("**/Account/Lockout");

        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", BrowserFixture.LockoutEmail);
        await page.FillAsync("#Input\\.Password", BrowserFixture.Password);
        await page.ClickAsync("button[type=submit]");

        await page.WaitForURLAsync("**/Account/Lockout");
        await Assertions.Expect(page.GetByText("This account is locked")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "locked-out");
    }

    [Fact]
    public async Task An_administrator_creates_an_ingest_key_that_is_shown_once_and_works()
    {
        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(page, "/admin/api-keys");
        await page.ClickAsync("[data-testid=new-key]");
        await page.FillAsync("[data-testid=key-name]", "Marketing cloud");
        await page.ClickAsync("[data-testid=create-key]");

        var key = await page.Locator("[data-testid=key-value]").InputValueAsync();
        await BrowserFixture.ScreenshotAsync(page, "api-keys");
        var client = browser.App.ClientWithKey(key);
        var send = await client.PostAsync("/api/v1/events", new StringContent(
            "{\"eventId\":\"ui-key\",\"behavior\":\"form.submit\",\"contact\":{\"email\":\"ui-key@example.com\"}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, send.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/leads")).StatusCode);

        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-testid=keys]");
        Assert.Equal(0, await page.Locator("[data-testid=key-value]").CountAsync());
        await Assertions.Expect(page.Locator("[data-testid=keys]")).ToContainTextAsync("Marketing cloud");
    }

    [Fact]
    public async Task An_administrator_adds_a_sales_user_who_can_then_sign_in()
    {
        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(page, "/admin/users");
        await page.ClickAsync("[data-testid=new-user]");
        await page.FillAsync("[data-testid=user-email]", "new.rep@browser.test");
        await page.FillAsync("[data-testid=user-password]", "New!Rep123");
        await page.ClickAsync("[data-testid=save-user]");
        await Assertions.Expect(page.Locator("[data-testid=users]")).ToContainTextAsync("new.rep@browser.test");
        await BrowserFixture.ScreenshotAsync(page, "users");

        var rep = await browser.SignInAsync("new.rep@browser.test", "New!Rep123");
        Assert.Equal(0, await rep.Locator("nav >> text=Users").CountAsync());
    }
}
