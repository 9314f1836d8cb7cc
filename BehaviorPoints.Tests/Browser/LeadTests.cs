using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

public sealed class LeadTests(BrowserFixture browser) : BrowserTests<BrowserFixture>
{
    protected override BrowserFixture Fixture => browser;

    [Fact]
    public async Task A_sales_rep_filters_high_opens_a_lead_and_the_drawer_entries_add_up_to_the_total()
    {
        var page = await browser.SignInAsync(BrowserFixture.NorthEmail);
        await BrowserFixture.OpenAsync(page, "/leads");
        await page.Locator("[data-testid=lead-link]").First.WaitForAsync();

        await page.ClickAsync("[data-testid=level-filter]");
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "High" }).First.ClickAsync();
        // Blazor replaces the URL in place (no page load), so poll the address rather than wait for a navigation.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/leads\\?level=High$"));
        await Assertions.Expect(page.Locator("[data-testid=lead-link]")).ToHaveCountAsync(browser.NorthCounts["High"]);
        await Assertions.Expect(page.Locator("[data-testid=lead-grid]")).Not.ToContainTextAsync("South lead");
        await BrowserFixture.ScreenshotAsync(page, "leads-high");

        await page.Locator("[data-testid=lead-link]").First.ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=total]");
        var total = long.Parse(await page.InnerTextAsync("[data-testid=total-value]"), CultureInfo.InvariantCulture);
        await page.ClickAsync("[data-testid=total]");
        var entries = page.Locator("[data-testid=entry]");
        await entries.First.WaitForAsync();

        var points = new List<long>();
        foreach (var cell in await page.Locator("[data-testid=entry-points]").AllAsync())
        {
            points.Add(long.Parse((await cell.GetAttributeAsync("data-points"))!, CultureInfo.InvariantCulture));
        }
        Assert.True(total > 100);
        Assert.Equal(total, points.Sum());
        Assert.Equal(total.ToString(CultureInfo.InvariantCulture), await page.Locator("[data-testid=entry-running-total]").First.InnerTextAsync());
        await entries.First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=entry-details]")).ToContainTextAsync("rule-set version 1");
        await BrowserFixture.ScreenshotAsync(page, "lead-drawer");
    }

    [Fact]
    public async Task A_sales_reps_import_files_leads_into_their_team_and_refuses_other_teams_by_row()
    {
        var page = await browser.SignInAsync(BrowserFixture.NorthEmail);
        await BrowserFixture.OpenAsync(page, "/leads");
        await page.ClickAsync("[data-testid=import-leads]");
        var csv = "name,team,email\nImported ours,North,ours@import.test\nImported theirs,South,theirs@import.test\nImported nowhere,Atlantis,\nImported teamless,,teamless@import.test\n";

        // Through the file chooser the button opens: by the time the server asks the browser to open it, the
        // upload's own script has been initialised, so the chosen file always reaches the dialog.
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Choose a CSV file" }).ClickAsync());
        await chooser.SetFilesAsync(new FilePayload
        {
            Name = "leads.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes(csv),
        });

        await Assertions.Expect(page.Locator("[data-testid=import-summary]")).ToContainTextAsync("2 rows of 4 ready to import");
        var rows = page.Locator("[data-testid=import-row]");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("'South' is not one of your teams (North)");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync("There is no team 'Atlantis', and only an administrator can create one.");
        await Assertions.Expect(rows.Nth(3)).ToContainTextAsync("Goes to your team North.");
        await BrowserFixture.ScreenshotAsync(page, "import-preview-sales");
        await page.ClickAsync("[data-testid=confirm-import]");

        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("2 leads imported.");
        await page.FillAsync("[data-testid=lead-search]", "Imported");
        await Assertions.Expect(page.Locator("[data-testid=lead-link]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=lead-grid]")).ToContainTextAsync("Imported teamless");
        await using var db = await browser.App.NewContextAsync();
        Assert.False(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Teams, t => t.Name == "Atlantis"));
    }

    [Fact]
    public async Task A_north_rep_cannot_open_a_south_lead_by_url()
    {
        var southLead = browser.LeadIdsByTeam["South"][0];
        var page = await browser.SignInAsync(BrowserFixture.NorthEmail);

        await BrowserFixture.OpenAsync(page, $"/leads/{southLead}");

        await Assertions.Expect(page.Locator("[data-testid=lead-not-found]")).ToBeVisibleAsync();
        Assert.DoesNotContain("South lead", await page.ContentAsync());
        var csv = await page.APIRequest.GetAsync($"/leads/{southLead}/entries.csv");
        Assert.Equal(404, csv.Status);
    }

    [Fact]
    public async Task The_open_lead_page_updates_live_when_a_behavior_is_scored_and_takes_a_manual_adjustment()
    {
        var leadId = browser.LeadIdsByTeam["North"][0];
        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(page, $"/leads/{leadId}");
        var before = long.Parse(await page.InnerTextAsync("[data-testid=total-value]"), CultureInfo.InvariantCulture);
        await page.ClickAsync("[data-testid=total]");

        await browser.App.Ingest().PostAsJsonAsync("/api/v1/events", new { eventId = $"live-{Guid.NewGuid():N}", behavior = "form.submit", leadId });

        await Assertions.Expect(page.Locator("[data-testid=total-value]")).ToHaveTextAsync((before + 60).ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-testid=entry-running-total]").First).ToHaveTextAsync((before + 60).ToString(CultureInfo.InvariantCulture));

        await page.FillAsync("[data-testid=adjust-points]", "-5");
        await page.FillAsync("[data-testid=adjust-reason]", "Duplicate form submission");
        await page.ClickAsync("[data-testid=adjust-save]");

        await Assertions.Expect(page.Locator("[data-testid=total-value]")).ToHaveTextAsync((before + 55).ToString(CultureInfo.InvariantCulture));
        // The reason reads on the row itself, without opening it.
        await Assertions.Expect(page.Locator("[data-testid=entry]").First.Locator("[data-testid=entry-reason]")).ToContainTextAsync("Duplicate form submission");
        await BrowserFixture.ScreenshotAsync(page, "lead-live");
    }

    [Fact]
    public async Task The_lead_list_sorts_by_name_and_keeps_the_sort_in_the_url_beside_the_filter()
    {
        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(page, "/leads");
        await page.Locator("[data-testid=lead-link]").First.WaitForAsync();
        var nameHeader = page.Locator("[data-testid=lead-grid] th").Filter(new() { HasText = "Name" }).Locator(".sortable-column-header");

        await nameHeader.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/leads\\?sort=name$"));
        await WaitForNamesSortedAsync(page, descending: false);
        await nameHeader.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/leads\\?sort=-name$"));
        await WaitForNamesSortedAsync(page, descending: true);

        // A shared link opens with its filter and its sort, and a filter chosen then keeps the sort.
        var shared = await browser.SignInAsync(BrowserFixture.ManagerEmail);
        await BrowserFixture.OpenAsync(shared, "/leads?team=&sort=name");
        await WaitForNamesSortedAsync(shared, descending: false);
        await shared.ClickAsync("[data-testid=level-filter]");
        await shared.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "High" }).First.ClickAsync();
        await Assertions.Expect(shared).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/leads\\?level=High&sort=name$"));
        await WaitForNamesSortedAsync(shared, descending: false);
    }

    private static async Task WaitForNamesSortedAsync(IPage page, bool descending) =>
        await Support.Poll.UntilAsync(async () =>
        {
            var names = await page.Locator("[data-testid=lead-link]").AllInnerTextsAsync();
            var sorted = descending ? names.OrderByDescending(n => n, StringComparer.Ordinal) : names.OrderBy(n => n, StringComparer.Ordinal);
            return names.Count > 1 && names.SequenceEqual(sorted);
        }, $"the lead list sorted by name{(descending ? ", descending" : "")}", seconds: 15);
}
