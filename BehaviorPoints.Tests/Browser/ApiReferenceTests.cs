using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

/// <summary>The API reference page works offline and looks like part of the product (SPEC §15's UI issue, item 5).</summary>
public sealed class ApiReferenceTests(FreshAppFixture browser) : BrowserTests<FreshAppFixture>
{
    protected override FreshAppFixture Fixture => browser;

    [Fact]
    public async Task The_api_reference_loads_nothing_from_outside_and_shows_no_vendor_buttons()
    {
        var page = await browser.NewPageAsync();
        var outside = new List<string>();
        // Anything not served by the app is noted and refused, as it would fail on a machine without internet.
        await page.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "http" or "https" && !url.IsLoopback)
            {
                lock (outside)
                {
                    outside.Add(route.Request.Url);
                }
                await route.AbortAsync();
                return;
            }
            await route.ContinueAsync();
        });

        await page.GotoAsync(browser.BaseUrl + "/api/reference");
        await Assertions.Expect(page.GetByText("BehaviorPoints API").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Webhooks").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await BrowserFixture.ScreenshotAsync(page, "api-reference");

        Assert.Empty(outside);
        var text = await page.Locator("body").InnerTextAsync();
        foreach (var vendor in new[] { "Deploy", "Generate SDK", "Ask AI", "Powered by Scalar" })
        {
            Assert.DoesNotContain(vendor, text, StringComparison.OrdinalIgnoreCase);
        }
        // No made-up key in the authentication form; the product's primary colour is the page's accent.
        var shownPlaceholders = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('input[placeholder]')].filter(i => getComputedStyle(i, '::placeholder').color !== 'rgba(0, 0, 0, 0)').map(i => i.placeholder)");
        Assert.DoesNotContain(shownPlaceholders, p => p.StartsWith("QUxMIFlPVVIg", StringComparison.Ordinal));
        var accent = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.light-mode') ?? document.body).getPropertyValue('--scalar-color-accent').trim()");
        Assert.StartsWith("#3949ab", accent, StringComparison.OrdinalIgnoreCase);
    }
}
