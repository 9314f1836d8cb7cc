using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

/// <summary>
/// axe-core's WCAG 2.1 AA rules on every screen, with the drawer and the dialogs open, on a desktop and on a phone: no
/// violation of any impact.
/// </summary>
public sealed class AccessibilityTests(BrowserFixture browser) : BrowserTests<BrowserFixture>
{
    protected override BrowserFixture Fixture => browser;

    /// <summary>Every screen and state: a path, then what to open on it.</summary>
    internal static readonly string[] AllScreens =
    [
        "/", "/ bell", "/leads", "/leads new-lead", "/leads import-leads", "/lead", "/lead total", "/lead edit-lead",
        "/dashboard", "/tasks", "/admin/scoring-rules", "/admin/scoring-rules rules", "/admin/scoring-rules add-rule",
        "/admin/scoring-rules publish", "/admin/scoring-rules/versions", "/admin/scoring-rules/versions/1",
        "/admin/fit-score", "/admin/fit-score add-fit-rule", "/admin/routing", "/admin/routing add-routing-rule", "/admin/predictive",
        "/admin/teams", "/admin/users", "/admin/users new-user", "/admin/api-keys", "/admin/api-keys new-key",
        "/admin/webhooks", "/admin/webhooks add-webhook", "/admin/sites add-site", "/Account/Manage/ChangePassword", "/not-found",
    ];

    public static TheoryData<string> Screens => [.. AllScreens];

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task An_administrator_s_screen_has_no_violations(string screen)
    {
        var page = await browser.SignedInPageAsync(BrowserFixture.AdminEmail);
        await ShowAsync(browser, page, screen);

        await Axe.AssertCleanAsync(page, screen);
    }

    /// <summary>The screens a rep or a manager uses on a phone (390 × 844), where tables scroll sideways and the menu folds away.</summary>
    public static TheoryData<string> PhoneScreens => ["/", "/leads", "/lead", "/lead total", "/dashboard", "/tasks", "/admin/scoring-rules rules", "/admin/routing"];

    [Theory]
    [MemberData(nameof(PhoneScreens))]
    public async Task A_screen_on_a_phone_has_no_violations(string screen)
    {
        var page = await browser.SignedInPageAsync(BrowserFixture.AdminEmail, BrowserFixture.Phone);
        await ShowAsync(browser, page, screen);
        await page.WaitForSelectorAsync("[data-screen=phone]");

        await Axe.AssertCleanAsync(page, "phone " + screen);
    }

    [Fact]
    public async Task The_first_tab_stop_skips_to_the_content()
    {
        var page = await browser.SignedInPageAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(page, "/leads");

        await page.Keyboard.PressAsync("Tab");
        var skip = page.Locator("[data-testid=skip-link]");
        await Assertions.Expect(skip).ToBeFocusedAsync();
        await Assertions.Expect(skip).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#main-content")).ToBeFocusedAsync();
    }

    /// <summary>Opens one of <see cref="Screens"/>: a path, then what to open on it (a dialog, the drawer, a wizard step).</summary>
    internal static async Task ShowAsync(BrowserFixture browser, IPage page, string screen)
    {
        var parts = screen.Split(' ');
        var path = parts[0] == "/lead" ? $"/leads/{browser.LeadIdsByTeam["North"][3]}" : parts[0];
        if (path.StartsWith("/Account/", StringComparison.Ordinal))
        {
            // The account pages are static server renders, without a circuit.
            await page.GotoAsync(path);
        }
        else
        {
            await BrowserFixture.OpenAsync(page, path);
        }
        if (parts.Length > 1)
        {
            await OpenAsync(page, parts[1]);
        }
        await Assertions.Expect(page.Locator(".mud-progress-circular, .mud-progress-linear-indeterminate, .mud-skeleton")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_checker_reports_a_violation_with_its_rule_and_element()
    {
        var page = await browser.NewPageAsync();
        await page.SetContentAsync("<!doctype html><html lang=\"en\"><head><title>Sample</title></head><body><main><button id=\"nameless\"></button></main></body></html>");

        var violation = Assert.Single(await Axe.ViolationsAsync(page));

        Assert.StartsWith("button-name (critical) at #nameless", violation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_page_has_no_violations()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/Account/Login");

        await Axe.AssertCleanAsync(page, "sign-in");
    }

    [Fact]
    public async Task A_sales_rep_s_lead_page_and_the_refusal_have_no_violations()
    {
        var page = await browser.SignInAsync(BrowserFixture.NorthEmail);
        await BrowserFixture.OpenAsync(page, $"/leads/{browser.LeadIdsByTeam["North"][2]}");
        await Axe.AssertCleanAsync(page, "sales lead page");

        await page.GotoAsync("/admin/scoring-rules");
        await Assertions.Expect(page.GetByText("You are not allowed to open this page")).ToBeVisibleAsync();
        await Axe.AssertCleanAsync(page, "not allowed");
    }

    [Fact]
    public async Task Escape_closes_the_drawer_and_a_dialog_and_focus_returns_to_what_opened_them()
    {
        var page = await browser.SignedInPageAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(page, $"/leads/{browser.LeadIdsByTeam["North"][1]}");

        var total = page.Locator("[data-testid=total]");
        var drawer = page.Locator("[data-testid=entries-drawer]");
        await total.ClickAsync();
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--open"));
        await Assertions.Expect(page.Locator("[data-drawer-focus]")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(drawer).Not.ToHaveClassAsync(new Regex("mud-drawer--open"));
        await Assertions.Expect(total).ToBeFocusedAsync();

        var edit = page.Locator("[data-testid=edit-lead]");
        await edit.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
        // The dialog listens for keys once it has taken the focus.
        await page.WaitForFunctionAsync("() => document.querySelector('.mud-dialog')?.contains(document.activeElement)");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await Assertions.Expect(edit).ToBeFocusedAsync();
    }

    private static async Task OpenAsync(IPage page, string what)
    {
        switch (what)
        {
            case "rules":
                await page.ClickAsync("[data-testid=next-step]");
                await page.WaitForSelectorAsync("[data-testid=rule-row]");
                return;
            case "add-rule":
                await page.ClickAsync("[data-testid=next-step]");
                await page.ClickAsync("[data-testid=add-rule]");
                break;
            case "bell":
                // The notifications menu, open.
                await page.ClickAsync("[data-testid=bell] button");
                await page.WaitForSelectorAsync("[data-testid=bell-menu]");
                await page.Locator(".mud-popover-open").EvaluateAsync("p => Promise.all(p.getAnimations({ subtree: true }).map(a => a.finished))");
                return;
            case "total":
                // The drawer with the adjustment form an administrator sees at its top.
                await page.ClickAsync("[data-testid=total]");
                await page.WaitForSelectorAsync("[data-testid=adjustment-form]");
                return;
            default:
                await page.ClickAsync($"[data-testid={what}]");
                break;
        }
        await page.WaitForSelectorAsync(".mud-dialog");
        // Let the dialog's opening animation end: axe measures colours as they are painted.
        await page.Locator(".mud-dialog").EvaluateAsync("d => Promise.all(d.getAnimations({ subtree: true }).map(a => a.finished))");
    }
}
