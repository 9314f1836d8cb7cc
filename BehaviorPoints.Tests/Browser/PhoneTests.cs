using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

/// <summary>A sales rep on a phone (390 × 844): the lead list, a lead and its drawer fit the screen without zooming.</summary>
public sealed class PhoneTests(BrowserFixture browser) : BrowserTests<BrowserFixture>
{
    protected override BrowserFixture Fixture => browser;

    [Fact]
    public async Task The_lead_list_fits_the_width_with_a_compact_row_per_lead_and_new_lead_in_reach()
    {
        var page = await browser.SignedInPageAsync(BrowserFixture.AdminEmail, BrowserFixture.Phone);
        await OpenOnPhoneAsync(page, "/leads");
        await Assertions.Expect(page.Locator("[data-testid=lead-link]").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "phone-leads");

        await AssertNoSidewaysScrollAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=new-lead]")).ToBeInViewportAsync();
        // A row is one line of a table (name, points, level), not a card of every field.
        var row = page.Locator("[data-testid=lead-grid] tbody tr").First;
        var box = await row.BoundingBoxAsync();
        Assert.True(box!.Height <= 90, $"a lead's row is {box.Height}px high");
        Assert.True(box.Width <= BrowserFixture.Phone.Width);
    }

    [Fact]
    public async Task A_lead_and_its_drawer_fit_and_an_adjustment_is_added_without_zooming()
    {
        var lead = browser.LeadIdsByTeam["South"][2];
        var page = await browser.SignedInPageAsync(BrowserFixture.AdminEmail, BrowserFixture.Phone);
        await OpenOnPhoneAsync(page, $"/leads/{lead}");
        await Assertions.Expect(page.Locator("[data-testid=total]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "phone-lead");
        await AssertNoSidewaysScrollAsync(page);

        await page.Locator("[data-testid=total]").TapAsync();
        var drawer = page.Locator("[data-testid=entries-drawer]");
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--open"));
        var box = await drawer.BoundingBoxAsync();
        Assert.Equal(BrowserFixture.Phone.Width, (int)Math.Round(box!.Width));
        await Assertions.Expect(page.Locator("[data-testid=entry]").First).ToBeVisibleAsync();

        // The running total is in view for an ordinary entry.
        await AssertInViewAsync(page.Locator("[data-testid=entry-running-total]").First);

        var before = int.Parse(await page.Locator("[data-testid=drawer-total]").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await page.Locator("input[data-testid=adjust-points]").FillAsync("5");
        // A reason of one long word (a pasted link, say) wraps in its column; Points and Total stay in view.
        await page.Locator("input[data-testid=adjust-reason]").FillAsync("Met-at-the-expo:" + new string('x', 180));
        await page.Locator("[data-testid=adjust-save]").TapAsync();
        await Assertions.Expect(page.Locator("[data-testid=drawer-total]")).ToHaveTextAsync((before + 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await BrowserFixture.ScreenshotAsync(page, "phone-drawer");
        await AssertNoSidewaysScrollAsync(page);
        var adjusted = page.Locator("[data-testid=entry]").Filter(new() { Has = page.Locator("[data-testid=entry-reason]") }).First;
        await AssertInViewAsync(adjusted.Locator("[data-testid=entry-points]"));
        await AssertInViewAsync(adjusted.Locator("[data-testid=entry-running-total]"));
    }

    // The drawer slides in: wait for it to settle, then the cell must lie within the screen's width.
    private static async Task AssertInViewAsync(ILocator cell)
    {
        LocatorBoundingBoxResult? box = null;
        try
        {
            await BehaviorPoints.Tests.Support.Poll.UntilAsync(async () =>
            {
                box = await cell.BoundingBoxAsync();
                return box is not null && box.X >= 0 && box.X + box.Width <= BrowserFixture.Phone.Width + 0.5;
            }, "the cell to lie within the screen", seconds: 5);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the cell spans {box?.X:0} to {box?.X + box?.Width:0} on a {BrowserFixture.Phone.Width}px screen");
        }
    }

    [Fact]
    public async Task The_dashboard_stacks_its_panels_in_one_column()
    {
        var page = await browser.SignedInPageAsync(BrowserFixture.ManagerEmail, BrowserFixture.Phone);
        await OpenOnPhoneAsync(page, "/dashboard");
        await Assertions.Expect(page.Locator("[data-testid=levels-panel]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "phone-dashboard");

        await AssertNoSidewaysScrollAsync(page);
        var levels = await page.Locator("[data-testid=levels-panel]").BoundingBoxAsync();
        var conversion = await page.Locator("[data-testid=conversion-panel]").BoundingBoxAsync();
        Assert.True(conversion!.Y >= levels!.Y + levels.Height, "the conversion panel sits below the levels panel");
    }

    // The layout learns the screen's size from the browser after the circuit starts.
    private static async Task OpenOnPhoneAsync(IPage page, string path)
    {
        await BrowserFixture.OpenAsync(page, path);
        await page.WaitForSelectorAsync("[data-screen=phone]");
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        var (scrollWidth, width) = (widths[0], widths[1]);
        Assert.True(scrollWidth <= width, $"the page is {scrollWidth}px wide on a {width}px screen");
    }
}
