using System.Globalization;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Tests.Support;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

public sealed class RescoreTests(BrowserFixture browser) : BrowserTests<BrowserFixture>
{
    protected override BrowserFixture Fixture => browser;

    [Fact]
    public async Task An_administrator_previews_a_rule_change_publishes_with_re_scoring_and_watches_it_finish()
    {
        // The administrator's change, saved as a draft: a form is worth 20 instead of 60.
        await browser.App.Get<RuleSetService>().SaveDraftAsync(Build.RuleSet([.. Build.SeedExample, Build.Rule("Submit form", "form.submit", 20)]));
        var topNorthLead = browser.LeadIdsByTeam["North"][^1]; // three forms: 180 now, 60 after
        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(page, "/admin/scoring-rules");
        await page.ClickAsync("[data-testid=next-step]");
        await page.ClickAsync("[data-testid=next-step]");

        await page.ClickAsync("[data-testid=run-preview]");

        await Assertions.Expect(page.Locator("[data-testid=preview-summary]")).ToContainTextAsync("7 of 8 leads would change score");
        // Now: 1 Low, 2 Medium, 5 High. After: 0, 20, 20, 40, 60 | 60, 60, 40 → Low 5, Medium 3, High 0.
        await Assertions.Expect(page.Locator("[data-testid=move][data-from=High][data-to=Medium]")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("[data-testid=move][data-from=High][data-to=Low]")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("[data-testid=move][data-from=Medium][data-to=Low]")).ToHaveTextAsync("2");
        var top = page.Locator("[data-testid=preview-change]").First;
        Assert.Equal(topNorthLead.ToString(CultureInfo.InvariantCulture), await top.GetAttributeAsync("data-lead"));
        Assert.Equal("60", await top.Locator("[data-testid=preview-after]").InnerTextAsync());
        await BrowserFixture.ScreenshotAsync(page, "rescore-preview");
        // Every part of the preview can be seen: no table or chart lies over another (the distribution's table lay over the
        // biggest changes, only its header readable).
        var parts = new List<(string Name, LocatorBoundingBoxResult Box)>();
        foreach (var part in new[] { "preview-matrix", "preview-distribution", "preview-distribution-table", "preview-stage-moves", "preview-biggest" })
        {
            if (await page.Locator($"[data-testid={part}]").CountAsync() > 0 && await page.Locator($"[data-testid={part}]").BoundingBoxAsync() is { } box)
            {
                parts.Add((part, box));
            }
        }
        foreach (var (a, first) in parts)
        {
            foreach (var (b, second) in parts.Where(p => string.CompareOrdinal(p.Name, a) > 0))
            {
                var overlap = Math.Min(first.X + first.Width, second.X + second.Width) - Math.Max(first.X, second.X) > 1
                    && Math.Min(first.Y + first.Height, second.Y + second.Height) - Math.Max(first.Y, second.Y) > 1;
                Assert.False(overlap, $"{a} ({first.Y:0}-{first.Y + first.Height:0}) and {b} ({second.Y:0}-{second.Y + second.Height:0}) overlap");
            }
        }

        await page.ClickAsync("[data-testid=publish]");
        await page.ClickAsync("[data-testid=mode-rescore]");
        await page.ClickAsync("[data-testid=confirm-publish]");

        await Assertions.Expect(page.Locator("[data-testid=rescore-progress-text]")).ToContainTextAsync("Re-score finished: 8 leads re-scored under version 2.");
        await BrowserFixture.ScreenshotAsync(page, "rescore-finished");

        await BrowserFixture.OpenAsync(page, $"/leads/{topNorthLead}");
        await Assertions.Expect(page.Locator("[data-testid=total-value]")).ToHaveTextAsync("60");
        await page.ClickAsync("[data-testid=total]");
        await Assertions.Expect(page.Locator("[data-testid=rescored-note]")).ToContainTextAsync("under version 2");
        await page.ClickAsync("[data-testid=toggle-superseded]");
        await Assertions.Expect(page.Locator("[data-testid=superseded-entry]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=superseded-entries]")).ToContainTextAsync("v1 → v2");
        await BrowserFixture.ScreenshotAsync(page, "rescore-drawer");
    }
}
