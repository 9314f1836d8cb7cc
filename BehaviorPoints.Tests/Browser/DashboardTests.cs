using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

public sealed partial class DashboardTests(BrowserFixture browser) : BrowserTests<BrowserFixture>
{
    protected override BrowserFixture Fixture => browser;

    [Fact]
    public async Task A_managers_per_level_counts_equal_the_lead_lists_counts_for_the_same_filter()
    {
        var page = await browser.SignInAsync(BrowserFixture.ManagerEmail);
        await BrowserFixture.OpenAsync(page, "/dashboard");
        await page.Locator("[data-testid=levels-table]").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(page, "dashboard");

        var all = await LevelCountsAsync(page);
        Assert.Equal(new Dictionary<string, int> { ["Low"] = 1, ["Medium"] = 2, ["High"] = 5 }, all);
        await ExpectLeadListCountsAsync(page, all, "");

        // The same for one team, chosen in the dashboard's filter (which lands in the URL).
        await page.ClickAsync("[data-testid=dashboard-team]");
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "North" }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(TeamInUrl());
        var team = TeamInUrl().Match(page.Url).Groups[1].Value;
        await Assertions.Expect(page.Locator("[data-testid=levels-table] tr[data-level=High] [data-testid=level-leads]")).ToHaveTextAsync(browser.NorthCounts["High"].ToString(CultureInfo.InvariantCulture));
        var north = await LevelCountsAsync(page);
        Assert.Equal(browser.NorthCounts, north);
        await ExpectLeadListCountsAsync(page, north, $"&team={team}");
    }

    [Fact]
    public async Task Charts_have_readable_text_few_round_ticks_and_the_chips_colours()
    {
        var page = await browser.SignedInPageAsync(BrowserFixture.ManagerEmail);
        await BrowserFixture.OpenAsync(page, "/dashboard");
        await page.Locator("[data-testid=levels-bar] svg text").First.WaitForAsync();

        // Every piece of chart text is drawn at 12 px or more on screen (not scaled down with the chart). The charts lay
        // out as their containers settle, so the text is measured once it reaches that size, or when the wait runs out.
        const string smallestText = "Math.min(...[...document.querySelectorAll('.mud-chart svg text')].filter(t => t.textContent.trim()).map(t => t.getBoundingClientRect().height))";
        try
        {
            await page.WaitForFunctionAsync($"() => {smallestText} >= 12", null, new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            // Measured below, and reported with its size.
        }
        var smallest = await page.EvaluateAsync<double>($"() => {smallestText}");
        Assert.True(smallest >= 12, $"the smallest chart text is {smallest}px high");

        foreach (var chart in new[] { "levels-bar", "conversion-bar", "trend-chart" })
        {
            var values = await page.Locator($"[data-testid={chart}] .mud-charts-yaxis text").AllTextContentsAsync();
            Assert.InRange(values.Count, 2, 8);
            var numbers = values.Select(v => double.Parse(v.Trim(), CultureInfo.InvariantCulture)).ToList();
            var step = numbers[1] - numbers[0];
            Assert.All(numbers.Zip(numbers.Skip(1)), pair => Assert.Equal(step, pair.Second - pair.First));
            Assert.Contains(step / Math.Pow(10, Math.Floor(Math.Log10(step))), new[] { 1.0, 2.0, 5.0 });
            var labels = (await page.Locator($"[data-testid={chart}] .mud-charts-xaxis text").AllTextContentsAsync()).Where(l => l.Trim() != "").ToList();
            Assert.InRange(labels.Count, 1, 8);
        }

        // The donut's segments wear the chips' colours, level for level.
        foreach (var level in new[] { "Low", "Medium", "High" })
        {
            var chip = await page.Locator($"[data-testid=levels-table] tr[data-level={level}] .mud-chip").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
            var segment = await page.Locator("[data-testid=levels-donut] .mud-chart-legend-item", new() { HasText = level }).Locator(".mud-chart-legend-marker")
                .EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
            Assert.Equal(chip, segment);
        }
        await BrowserFixture.ScreenshotAsync(page, "dashboard-charts");
    }

    [Fact]
    public async Task Leaving_pages_with_charts_logs_no_circuit_error()
    {
        foreach (var (path, leave) in new[] { ("/dashboard", "reload"), ("/", "reload"), ($"/leads/{browser.LeadIdsByTeam["North"][3]}", "reload"), ("/dashboard", "close"), ($"/leads/{browser.LeadIdsByTeam["North"][3]}", "close") })
        {
            var page = await browser.SignInAsync(BrowserFixture.ManagerEmail);
            await BrowserFixture.OpenAsync(page, path);
            await page.Locator("svg").First.WaitForAsync();
            var closed = browser.App.Log.CircuitsClosed;

            // A full page load ends the circuit at once; a closed tab ends it when the server stops waiting for it.
            if (leave == "reload")
            {
                await page.GotoAsync("/Account/Manage/ChangePassword");
            }
            else
            {
                await page.Context.CloseAsync();
            }
            for (var i = 0; i < 300 && browser.App.Log.CircuitsClosed == closed; i++)
            {
                await Task.Delay(50);
            }
            Assert.True(browser.App.Log.CircuitsClosed > closed, $"the circuit of {path} did not close");
        }

        var errors = browser.App.Log.Entries.Where(e => e.Contains("JSDisconnected", StringComparison.Ordinal) || e.Contains("Unhandled exception", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n\n", errors));
    }

    [Fact]
    public async Task A_grid_cell_click_lands_on_the_lead_list_filtered_to_that_cell()
    {
        var page = await browser.SignInAsync(BrowserFixture.ManagerEmail);
        await BrowserFixture.OpenAsync(page, "/dashboard");
        var cell = page.Locator("[data-testid=grid-cell][data-fit=High][data-intent=High]");
        await cell.WaitForAsync();
        var count = int.Parse(await cell.InnerTextAsync(), CultureInfo.InvariantCulture);
        Assert.True(count > 0);

        await cell.ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/leads\\?level=High&fit=High$"));
        await page.WaitForSelectorAsync("[data-interactive=yes]");
        await Assertions.Expect(page.Locator("[data-testid=lead-link]")).ToHaveCountAsync(count);
        Assert.All(await page.Locator("[data-testid=fit-chip]").AllAsync(), chip => Assert.Equal("High", chip.GetAttributeAsync("data-fit").Result));
        Assert.All(await page.Locator("[data-testid=intent-chip]").AllAsync(), chip => Assert.Equal("High", chip.GetAttributeAsync("data-level").Result));
        await BrowserFixture.ScreenshotAsync(page, "dashboard-cell-leads");
    }

    [Fact]
    public async Task A_sales_user_is_refused_the_dashboard_and_does_not_see_it_in_the_menu()
    {
        var page = await browser.SignInAsync(BrowserFixture.NorthEmail);

        Assert.Equal(0, await page.Locator("nav >> text=Dashboard").CountAsync());
        await page.GotoAsync("/dashboard");

        await Assertions.Expect(page.GetByText("You are not allowed to open this page")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-testid=levels-panel]").CountAsync());
    }

    private static async Task<Dictionary<string, int>> LevelCountsAsync(IPage page)
    {
        var counts = new Dictionary<string, int>();
        foreach (var row in await page.Locator("[data-testid=levels-table] tr[data-level]").AllAsync())
        {
            var level = (await row.GetAttributeAsync("data-level"))!;
            counts[level] = int.Parse(await row.Locator("[data-testid=level-leads]").InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        }
        return counts;
    }

    // Opens the lead list for each level with the same filter and counts its rows (the seeded lists fit on one page).
    private static async Task ExpectLeadListCountsAsync(IPage page, IReadOnlyDictionary<string, int> counts, string extraQuery)
    {
        var list = await page.Context.NewPageAsync();
        foreach (var (level, count) in counts)
        {
            await BrowserFixture.OpenAsync(list, $"/leads?level={level}{extraQuery}");
            if (count == 0)
            {
                await Assertions.Expect(list.Locator("[data-testid=no-leads]")).ToBeVisibleAsync();
            }
            else
            {
                await Assertions.Expect(list.Locator("[data-testid=lead-link]")).ToHaveCountAsync(count);
            }
        }
        await list.CloseAsync();
    }

    [GeneratedRegex("/dashboard\\?team=(\\d+)$")]
    private static partial Regex TeamInUrl();
}
