using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

public sealed class CategoriesAndStagesTests(FreshAppFixture browser) : BrowserTests<FreshAppFixture>
{
    protected override FreshAppFixture Fixture => browser;

    [Fact]
    public async Task An_administrator_adds_a_category_and_a_threshold_and_a_rep_sees_the_lead_hot_for_it_and_filters_the_list_by_it()
    {
        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(page, "/admin/scoring-rules");
        await page.WaitForSelectorAsync("[data-testid=wizard]");
        await page.Locator("[data-testid=rule-set-name]").FillAsync("Engagement Score");

        // Step 1: a category with levels of its own, and New moving on at 20 points.
        await Assertions.Expect(page.Locator("[data-testid=no-categories]")).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=add-category]");
        await page.Locator("[data-testid=category-name]").FillAsync("CRM");
        await page.Locator("[data-testid=category-levels]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=categories] [data-testid=option-row]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=stage-row]")).ToHaveCountAsync(4);
        await page.Locator("[data-testid=stage-advance]").First.FillAsync("20");
        await page.Locator("[data-testid=stage-advance]").First.BlurAsync();
        await BrowserFixture.ScreenshotAsync(page, "categories-and-stages-step");
        await page.ClickAsync("[data-testid=next-step]");

        // Step 2: pricing visits +15 for CRM.
        await page.ClickAsync("[data-testid=add-rule]");
        var editor = page.Locator("[data-testid=rule-editor]");
        await editor.Locator("[data-testid=behavior-picker]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Visits website" }).First.ClickAsync();
        await editor.Locator("[data-testid=points-input]").FillAsync("15");
        await editor.Locator("[data-testid=points-input]").BlurAsync();
        await Assertions.Expect(editor.Locator("[data-testid=rule-preview]")).ToHaveTextAsync("Visits website → +15");
        await editor.Locator("[data-testid=rule-category]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "CRM" }).First.ClickAsync();
        await Assertions.Expect(editor.Locator("[data-testid=rule-preview]")).ToHaveTextAsync("Visits website → +15 for CRM");
        await page.ClickAsync("[data-testid=save-rule]");
        await page.ClickAsync("[data-testid=publish]");
        await page.ClickAsync("[data-testid=confirm-publish]");
        await Assertions.Expect(page.Locator("[data-testid=published-version]")).ToContainTextAsync("Version 1 is scoring leads");

        // Two visits: 30 points for CRM, and the lead moved on to Engaged when the second one took New's score to 30.
        var api = browser.App.Admin();
        var hot = await CreateLeadAsync(api, "Hanna Schmidt");
        await CreateLeadAsync(api, "Cold Lead");
        for (var i = 0; i < 2; i++)
        {
            var sent = await api.PostAsJsonAsync("/api/v1/events", new { eventId = $"visit-{i}", behavior = "website.visit", leadId = hot, occurredAt = DateTime.UtcNow.AddMinutes(i - 5), attributes = new { url = "/pricing" } });
            Assert.True(sent.IsSuccessStatusCode);
        }

        await BrowserFixture.OpenAsync(page, $"/leads/{hot}");
        var crm = page.Locator("[data-testid=category-score][data-category=CRM]");
        await Assertions.Expect(crm.Locator("[data-testid=category-points]")).ToHaveTextAsync("30");
        await Assertions.Expect(crm).ToContainTextAsync("Warm");
        await Assertions.Expect(page.Locator("[data-testid=stage]")).ToHaveTextAsync("Engaged");
        await Assertions.Expect(page.Locator("[data-testid=stage-passed]")).ToHaveTextAsync("New · +30");
        await BrowserFixture.ScreenshotAsync(page, "lead-categories-and-stage");

        // The category's number opens the entries behind it.
        await crm.Locator("[data-testid=category-points]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=drawer-filter]")).ToContainTextAsync("Only the entries for CRM");
        await Assertions.Expect(page.Locator("[data-testid=entry]")).ToHaveCountAsync(2);
        await BrowserFixture.ScreenshotAsync(page, "drawer-by-category");

        // The list filtered by the category, with its score, and the URL keeps it.
        await BrowserFixture.OpenAsync(page, "/leads");
        await page.Locator("[data-testid=category-filter]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "CRM" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=lead-link]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=lead-link]")).ToHaveTextAsync("Hanna Schmidt");
        await Assertions.Expect(page.Locator("[data-testid=category-score]")).ToHaveTextAsync("30");
        Assert.Contains("category=CRM", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "leads-by-category");
        // The category's column stands beside Behavior Points, whether chosen on the page or opened from a link.
        await AssertCategoryColumnBesidePointsAsync(page);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-testid=lead-link]")).ToHaveTextAsync("Hanna Schmidt");
        await AssertCategoryColumnBesidePointsAsync(page);
    }

    private static async Task AssertCategoryColumnBesidePointsAsync(IPage page)
    {
        var headers = (await page.Locator("[data-testid=lead-grid] thead th").AllInnerTextsAsync()).Select(h => h.Trim()).ToList();
        var points = headers.FindIndex(h => h.StartsWith("Behavior Points", StringComparison.Ordinal));
        Assert.True(points >= 0 && points + 1 < headers.Count && headers[points + 1].StartsWith("CRM points", StringComparison.Ordinal), string.Join(" | ", headers));
    }

    private static async Task<long> CreateLeadAsync(HttpClient api, string name)
    {
        var created = await api.PostAsJsonAsync("/api/v1/leads", new { name });
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }
}
