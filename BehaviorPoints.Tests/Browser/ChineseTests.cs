using System.Text.RegularExpressions;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

/// <summary>
/// A Chinese-speaking sales rep: with a browser asking for zh-CN, the screens they use read in Chinese (no English word
/// of the UI left), pass axe, and a saved choice of language follows the user to a new sign-in.
/// </summary>
public sealed partial class ChineseTests(BrowserFixture browser) : BrowserTests<BrowserFixture>
{
    protected override BrowserFixture Fixture => browser;

    // Words of the UI (not of the data: lead names, rule names and the rule set's levels stay as entered).
    private static readonly string[] s_englishUi =
    [
        "Overview", "Leads", "My tasks", "Help", "Change password", "Sign out", "Behavior Points", "New lead",
        "Export CSV", "Filters", "Rows per page", "Score entries", "Adjust the score", "Add entry", "Total", "Company", "Owner",
        "Last activity", "Points", "Search", "Click the total", "Edit", "Timeline", "Claim", "Stage", "Categories", "Status",
        "Industry", "Created", "none yet", "Submits form", "Available", "Scoring at a glance", "See them", "of leads", "points",
        "newest first", "That is every entry", "No tasks", "Mine", "Rows per page", "Nothing here", "Dashboard", "Conversion", "Fit", "Speed to lead", "Week of",
        "Leads per stage", "Stages and categories", "Median", "Rule", "Entries", "Channel", "Share",
        // The administration's words.
        "Scoring rules", "Save draft", "Publish", "Version history", "Import JSON", "Basic info", "Result fields", "Next", "Back",
        "Add rule", "Rule name", "Conditions", "Operator", "Add condition", "Points fade", "Cancel", "Save", "Delete", "Move",
        "Version", "Published", "In force", "Export JSON", "Fit score", "Fit levels", "Medium from", "High from", "Published versions",
        "Routing", "Save rules", "Trigger", "Who gets the lead", "Round-robin", "Follow-up", "Add endpoint", "is required", "needs a name",
        "Events to send", "Users", "New user", "Role", "Display name", "Teams", "Members", "Rename", "Create team", "API keys",
        "New key", "Scope", "Last used", "Revoke", "Current password", "New password", "Import leads", "Choose a CSV file",
        "Description", "Category", "Preview", "Score distribution", "Stage moves", "Categories", "Stages", "Levels",
    ];

    [Theory]
    [InlineData("/")]
    [InlineData("/leads")]
    [InlineData("/lead")]
    [InlineData("/lead drawer")]
    [InlineData("/tasks")]
    [InlineData("/not-found")]
    [InlineData("/dashboard", BrowserFixture.ManagerEmail)]
    public async Task A_rep_s_screen_reads_in_Chinese_and_passes_axe(string screen, string email = BrowserFixture.NorthEmail)
    {
        var page = await browser.SignedInPageAsync(email, locale: "zh-CN");
        var path = screen.StartsWith("/lead", StringComparison.Ordinal) && !screen.StartsWith("/leads", StringComparison.Ordinal)
            ? $"/leads/{browser.LeadIdsByTeam["North"][3]}" : screen;
        await BrowserFixture.OpenAsync(page, path);
        if (screen.EndsWith("drawer", StringComparison.Ordinal))
        {
            await page.Locator("[data-testid=total]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=entry]").First).ToBeVisibleAsync();
        }
        await Assertions.Expect(page.Locator(".mud-progress-linear-indeterminate, .mud-skeleton")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await BrowserFixture.ScreenshotAsync(page, "zh-" + screen.Trim('/').Replace('/', '-').Replace(' ', '-') is var name && name == "zh-" ? "zh-overview" : name);

        AssertNoEnglishUi(screen, await page.Locator("body").InnerTextAsync());
        await Axe.AssertCleanAsync(page, $"zh-CN {screen}");
    }

    // The accessibility sweep's screens but those the rep's and the manager's Chinese screens above already check.
    public static TheoryData<string> AdministratorScreens =>
        [.. AccessibilityTests.AllScreens.Where(screen => !s_checkedAbove.Contains(screen))];

    private static readonly string[] s_checkedAbove = ["/", "/leads", "/lead", "/tasks", "/not-found", "/dashboard"];

    [Theory]
    [MemberData(nameof(AdministratorScreens))]
    public async Task An_administrator_s_screen_reads_in_Chinese_and_passes_axe(string screen)
    {
        var page = await browser.SignedInPageAsync(BrowserFixture.AdminEmail, locale: "zh-CN");
        await AccessibilityTests.ShowAsync(browser, page, screen);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await BrowserFixture.ScreenshotAsync(page, "zh-admin" + screen.Replace('/', '-').Replace(' ', '-'));

        // The published rule set's name is data (the fixture's is English), shown in a version's heading.
        var text = (await page.Locator("body").InnerTextAsync()).Replace(Support.Build.RuleSet([]).Name, "", StringComparison.Ordinal);
        AssertNoEnglishUi(screen, text);
        await Axe.AssertCleanAsync(page, $"zh-CN {screen}");
    }

    private static void AssertNoEnglishUi(string screen, string text)
    {
        var english = s_englishUi.Where(word => Regex.IsMatch(text, $@"\b{Regex.Escape(word)}\b")).ToList();
        Assert.True(english.Count == 0, $"{screen} shows English UI words: {string.Join(", ", english)}\n{text}");
        Assert.Matches(ChineseCharacters(), text);
    }

    [Fact]
    public async Task The_language_chosen_in_the_menu_is_saved_on_the_user_and_follows_them_to_a_new_sign_in()
    {
        const string email = "linguist@browser.test";
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(email, BrowserFixture.Password, Roles.Sales, ["North"]);
        }
        var page = await browser.SignInAsync(email);
        await BrowserFixture.OpenAsync(page, "/leads");
        await Assertions.Expect(page.Locator("h4")).ToHaveTextAsync("Leads");

        await page.Locator("[data-testid=language-menu] button").First.ClickAsync();
        await page.Locator("[data-testid=language-zh-CN]").ClickAsync();
        await page.WaitForURLAsync("**/leads");
        await page.WaitForSelectorAsync("[data-interactive=yes]");
        await Assertions.Expect(page.Locator("h4")).ToHaveTextAsync("线索");
        await Assertions.Expect(page.Locator(".mud-table-pagination")).ToContainTextAsync("每页行数");

        // A new browser (English by default) signing in as the same user reads Chinese.
        var again = await browser.SignInAsync(email);
        await BrowserFixture.OpenAsync(again, "/leads");
        await Assertions.Expect(again.Locator("h4")).ToHaveTextAsync("线索");
        await Assertions.Expect(again.Locator("nav")).ToContainTextAsync("概览");
    }

    [Fact]
    public async Task The_sign_in_page_follows_the_browser_and_offers_the_other_language()
    {
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = browser.BaseUrl, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await Assertions.Expect(page.Locator("button.account-submit")).ToHaveTextAsync("登录");

        await page.ClickAsync("button.account-submit");
        await Assertions.Expect(page.Locator(".field-error").First).ToHaveTextAsync("请输入您的邮箱。");
        await Axe.AssertCleanAsync(page, "zh-CN sign-in");
        await BrowserFixture.ScreenshotAsync(page, "zh-sign-in");

        await page.ClickAsync("[data-testid=account-language-en]");
        await Assertions.Expect(page.Locator("button.account-submit")).ToHaveTextAsync("Sign in");
        await context.CloseAsync();
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex ChineseCharacters();
}
