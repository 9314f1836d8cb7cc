using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

public sealed class SignInTests(BrowserFixture browser) : BrowserTests<BrowserFixture>
{
    protected override BrowserFixture Fixture => browser;

    [Fact]
    public async Task A_visitor_who_is_not_signed_in_is_sent_to_the_sign_in_page()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/");

        await page.WaitForURLAsync("**/Account/Login**");
        Assert.Equal("Sign in · BehaviorPoints", await page.TitleAsync());
        await BrowserFixture.ScreenshotAsync(page, "sign-in");
    }

    [Fact]
    public async Task A_wrong_password_says_so_and_signs_nobody_in()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", BrowserFixture.AdminEmail);
        await page.FillAsync("#Input\\.Password", "not the password");

        await page.ClickAsync("button[type=submit]");

        var alert = page.GetByRole(AriaRole.Alert);
        await alert.WaitForAsync();
        Assert.Contains("do not match an active account", await alert.InnerTextAsync());
        Assert.Contains("/Account/Login", page.Url);
    }

    [Fact]
    public async Task A_sales_user_sees_the_overview_of_their_own_team_only()
    {
        var page = await browser.SignInAsync(BrowserFixture.NorthEmail);

        await page.WaitForSelectorAsync("[data-level=High] [data-testid=level-count]");
        var shown = new Dictionary<string, int>();
        foreach (var level in browser.NorthCounts.Keys)
        {
            shown[level] = int.Parse(await page.InnerTextAsync($"[data-level={level}] [data-testid=level-count]"), System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(browser.NorthCounts, shown);
        await BrowserFixture.ScreenshotAsync(page, "overview-sales-north");
    }

    [Fact]
    public async Task An_administrator_sees_every_team_and_can_sign_out()
    {
        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await page.WaitForSelectorAsync("[data-level=High] [data-testid=level-count]");

        Assert.Equal("5", await page.InnerTextAsync("[data-level=High] [data-testid=level-count]"));
        await BrowserFixture.ScreenshotAsync(page, "overview-admin");

        await page.ClickAsync("text=Sign out");
        await page.WaitForURLAsync("**/Account/Login**");
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/Account/Login**");
    }
}
