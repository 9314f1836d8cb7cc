using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

public sealed class FadingTests(FreshAppFixture browser) : BrowserTests<FreshAppFixture>
{
    protected override FreshAppFixture Fixture => browser;

    [Fact]
    public async Task An_administrator_makes_visits_fade_publishes_with_re_scoring_and_the_rep_sees_the_faded_entry()
    {
        // A visit forty days ago, before any rule scored visits.
        var api = browser.App.Admin();
        var lead = await (await api.PostAsJsonAsync("/api/v1/leads", new { name = "Ana Costa", email = "ana.costa@example.com" })).Content.ReadFromJsonAsync<JsonElement>();
        var leadId = lead.GetProperty("id").GetInt64();
        var sent = await api.PostAsJsonAsync("/api/v1/events", new { eventId = "visit-40-days", behavior = "website.visit", leadId, occurredAt = DateTime.UtcNow.AddDays(-40), attributes = new { url = "/pricing" } });
        Assert.True(sent.IsSuccessStatusCode);

        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(page, "/admin/scoring-rules");
        await page.WaitForSelectorAsync("[data-testid=wizard]");
        await page.Locator("[data-testid=rule-set-name]").FillAsync("Engagement Score");
        await page.ClickAsync("[data-testid=next-step]");

        // The rule: +5 for a visit, halving after 30 days and gone after 90.
        await page.ClickAsync("[data-testid=add-rule]");
        var editor = page.Locator("[data-testid=rule-editor]");
        await editor.Locator("[data-testid=behavior-picker]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Visits website" }).First.ClickAsync();
        var name = editor.Locator("[data-testid=rule-name-input]");
        await Assertions.Expect(name).ToHaveValueAsync("Visits website");
        await name.FillAsync("Visit the website");
        await editor.Locator("[data-testid=points-input]").FillAsync("5");
        await Assertions.Expect(editor.Locator("[data-testid=no-fading]")).ToBeVisibleAsync();
        await editor.Locator("[data-testid=add-decay-step]").ClickAsync();
        await editor.Locator("[data-testid=add-decay-step]").ClickAsync();
        await Assertions.Expect(editor.Locator("[data-testid=decay-step]")).ToHaveCountAsync(2);
        await editor.Locator("[data-testid=decay-days]").Nth(1).FillAsync("90");
        await editor.Locator("[data-testid=decay-keep]").Nth(1).FillAsync("0");
        await editor.Locator("[data-testid=decay-keep]").Nth(1).BlurAsync();
        await Assertions.Expect(editor.Locator("[data-testid=rule-preview]")).ToHaveTextAsync("Visits website → +5, halves after 30 days, gone after 90 days");
        await BrowserFixture.ScreenshotAsync(page, "fading-rule-editor");
        await page.ClickAsync("[data-testid=save-rule]");
        await Assertions.Expect(page.Locator("[data-testid=rule-sentence]")).ToHaveTextAsync("Visits website → +5, halves after 30 days, gone after 90 days");

        await page.ClickAsync("[data-testid=publish]");
        await page.ClickAsync("[data-testid=mode-rescore]");
        await page.ClickAsync("[data-testid=confirm-publish]");
        await Assertions.Expect(page.Locator("[data-testid=rescore-progress-text]")).ToContainTextAsync("Re-score finished");

        // The visit's +5 has halved: 3 points, the drop explained by an entry that names what it faded.
        await BrowserFixture.OpenAsync(page, $"/leads/{leadId}");
        await Assertions.Expect(page.Locator("[data-testid=total-value]")).ToHaveTextAsync("3");
        await page.ClickAsync("[data-testid=total]");
        var faded = page.Locator("[data-testid=entry-faded]");
        await Assertions.Expect(faded).ToContainTextAsync("Faded: Visit the website (from Visits website on");
        await Assertions.Expect(page.Locator("[data-testid=entry-fading]")).ToContainTextAsync("+5 · 3 today · gone after");
        await Assertions.Expect(page.Locator("[data-testid=entry][data-kind=Decay] [data-testid=entry-points]")).ToHaveTextAsync("−2");
        await Assertions.Expect(page.Locator("[data-testid=entry-fading]")).ToBeInViewportAsync(new() { Ratio = 1 }); // the drawer has slid in
        await BrowserFixture.ScreenshotAsync(page, "fading-drawer");
    }
}
