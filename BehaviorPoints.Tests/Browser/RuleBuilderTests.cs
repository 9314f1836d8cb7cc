using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

public sealed class RuleBuilderTests(FreshAppFixture browser) : BrowserTests<FreshAppFixture>
{
    protected override FreshAppFixture Fixture => browser;

    [Fact]
    public async Task An_administrator_builds_the_seed_rules_publishes_and_a_follow_scores_three_in_two_entries()
    {
        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(page, "/admin/scoring-rules");
        await page.WaitForSelectorAsync("[data-testid=wizard]");

        // Step 1: the API name follows the name as it is typed.
        var name = page.Locator("[data-testid=rule-set-name]");
        await name.FillAsync("Engagement Score");
        await Assertions.Expect(page.Locator("[data-testid=rule-set-api-name]")).ToHaveValueAsync("engagement_score__c");
        await BrowserFixture.ScreenshotAsync(page, "wizard-1-basic-info");
        await page.ClickAsync("[data-testid=next-step]");

        // Step 2: the seed example's two rules.
        await AddRuleAsync(page, "Follow any account", points: 1, condition: null);
        await AddRuleAsync(page, "Follow ShareCRM", points: 2, condition: "sharecrm");
        await Assertions.Expect(page.Locator("[data-testid=rule-row]")).ToHaveCountAsync(2);
        var conflict = page.Locator("[data-testid=conflict]");
        await Assertions.Expect(conflict).ToContainTextAsync("+1 and +2 → +3, two entries");
        await Assertions.Expect(page.Locator("[data-testid=rule-sentence]").Nth(1)).ToHaveTextAsync("Follows official account where accountId is sharecrm → +2");
        await BrowserFixture.ScreenshotAsync(page, "wizard-2-rules");

        // Publish: the dialog names version 1 and both new rules.
        await page.ClickAsync("[data-testid=publish]");
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Publish version 1");
        await Assertions.Expect(page.Locator("[data-testid=changes]")).ToContainTextAsync("Added: Follow ShareCRM");
        await BrowserFixture.ScreenshotAsync(page, "wizard-3-publish");
        await page.ClickAsync("[data-testid=confirm-publish]");
        await Assertions.Expect(page.Locator("[data-testid=published-version]")).ToContainTextAsync("Version 1 is scoring leads");
        await page.ClickAsync("text=Result fields");
        await Assertions.Expect(page.Locator("[data-testid=range-segment]")).ToHaveCountAsync(3);
        await BrowserFixture.ScreenshotAsync(page, "wizard-4-result-fields");

        await page.ClickAsync("[aria-label='More actions']");
        await page.ClickAsync("text=Version history");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync(BrowserFixture.AdminEmail);
        // By the link's exact name: other browser tests publish too, and "text=Version 1" also matches "Version 12".
        await page.GetByRole(AriaRole.Link, new() { Name = "Version 1", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/scoring-rules/versions/1$"));
        await Assertions.Expect(page.Locator("h4")).ToContainTextAsync("Engagement Score — version 1");
        await BrowserFixture.ScreenshotAsync(page, "version-1");

        // A follow of ShareCRM sent through the API: +3 in two entries.
        var api = browser.App.Admin();
        var lead = await (await api.PostAsJsonAsync("/api/v1/leads", new { name = "Li Wei", email = "li.wei@example.com" })).Content.ReadFromJsonAsync<JsonElement>();
        var leadId = lead.GetProperty("id").GetInt64();
        await api.PostAsJsonAsync("/api/v1/events", new { eventId = "wizard-1", behavior = "official_account.follow", leadId, attributes = new { accountId = "sharecrm" } });
        var score = await api.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leadId}/score");

        Assert.Equal(3, score.GetProperty("total").GetInt64());
        Assert.Equal(
            [("Follow ShareCRM", 2), ("Follow any account", 1)],
            score.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("ruleName").GetString(), e.GetProperty("points").GetInt32())));
    }

    private static async Task AddRuleAsync(IPage page, string name, int points, string? condition)
    {
        await page.ClickAsync("[data-testid=add-rule]");
        var editor = page.Locator("[data-testid=rule-editor]");
        await editor.WaitForAsync();
        await editor.Locator("[data-testid=behavior-picker]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Follows official account" }).First.ClickAsync();
        // Picking a behavior names an unnamed rule after it; wait for that before typing our own name.
        var nameInput = page.Locator("[data-testid=rule-name-input]");
        await Assertions.Expect(nameInput).ToHaveValueAsync("Follows official account");
        await nameInput.FillAsync(name);
        await Assertions.Expect(nameInput).ToHaveValueAsync(name);
        if (condition is not null)
        {
            await editor.Locator("[data-testid=add-condition]").ClickAsync();
            await editor.Locator("[data-testid=condition-value]").FillAsync(condition);
        }
        // A typed minus means subtracting: the toggle moves, nothing is clamped to +1.
        await editor.Locator("[data-testid=points-input]").FillAsync("-7");
        await editor.Locator("[data-testid=points-input]").BlurAsync();
        await Assertions.Expect(editor.Locator("[data-testid=rule-preview]")).ToContainTextAsync("−7");
        await Assertions.Expect(editor.Locator("[data-testid=points-input]")).ToHaveValueAsync("7");
        await editor.Locator(".mud-toggle-item").Filter(new() { HasText = "Add +" }).ClickAsync();
        await editor.Locator("[data-testid=points-input]").FillAsync(points.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(editor.Locator("[data-testid=rule-preview]")).ToContainTextAsync($"+{points}");
        await BrowserFixture.ScreenshotAsync(page, "wizard-rule-editor");
        await page.ClickAsync("[data-testid=save-rule]");
        await Assertions.Expect(editor).ToHaveCountAsync(0);
    }
}
