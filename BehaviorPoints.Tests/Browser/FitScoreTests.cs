using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

public sealed class FitScoreTests(BrowserFixture browser) : BrowserTests<BrowserFixture>
{
    protected override BrowserFixture Fixture => browser;

    [Fact]
    public async Task An_administrator_adds_a_fit_rule_publishes_and_existing_leads_are_recomputed()
    {
        var retailLead = browser.LeadIdsByTeam["North"][0]; // seeded with industry Retail: fit 0, Low
        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(page, "/admin/fit-score");
        await Assertions.Expect(page.Locator("[data-testid=fit-rule-row]")).ToHaveCountAsync(1);

        await page.ClickAsync("[data-testid=add-fit-rule]");
        await page.FillAsync("[data-testid=fit-rule-name]", "Retail");
        // The industries the leads have are offered as chips; typing a value and Enter is the bUnit test's.
        await page.Locator(".mud-dialog .mud-chip", new() { HasText = "Retail" }).ClickAsync();
        await page.FillAsync("[data-testid=fit-rule-points]", "30");
        await Assertions.Expect(page.Locator("[data-testid=fit-rule-preview]")).ToContainTextAsync("Industry is one of Retail: +30");
        await BrowserFixture.ScreenshotAsync(page, "fit-rule-dialog");
        await page.ClickAsync("[data-testid=save-fit-rule]");
        await Assertions.Expect(page.Locator("[data-testid=fit-rule-row]")).ToHaveCountAsync(2);

        await page.ClickAsync("[data-testid=publish-fit]");
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=fit-progress]")).ToContainTextAsync("Fit recomputed under version 2.");
        await Assertions.Expect(page.Locator("[data-testid=fit-versions]")).ToContainTextAsync("Version 2 · 2 rules");
        await BrowserFixture.ScreenshotAsync(page, "fit-score-published");

        await BrowserFixture.OpenAsync(page, $"/leads/{retailLead}");
        await Assertions.Expect(page.Locator("[data-testid=lead-fit]")).ToContainTextAsync("30 · Medium");
    }
}
