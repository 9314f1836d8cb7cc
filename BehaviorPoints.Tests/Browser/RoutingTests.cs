using System.Net.Http.Json;
using System.Text.Json;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

public sealed class RoutingTests(FreshAppFixture browser) : BrowserTests<FreshAppFixture>
{
    protected override FreshAppFixture Fixture => browser;

    private const string SecondNorthEmail = "north.two@browser.test";

    [Fact]
    public async Task A_High_lead_goes_round_robin_to_a_rep_who_sees_task_and_bell_and_when_the_task_lapses_the_other_rep_gets_it()
    {
        var ruleSets = browser.App.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(Build.RuleSet(Build.Rule("Demo request", "form.submit", 60)));
        await ruleSets.PublishAsync(BrowserFixture.AdminEmail);
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(SecondNorthEmail, BrowserFixture.Password, Roles.Sales, ["North"], "North Two");
        }

        // The administrator: High → round-robin in North, task due in 1 minute, no grace, one reclaim.
        var admin = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(admin, "/admin/routing");
        await Assertions.Expect(admin.Locator("[data-testid=routing-empty]")).ToBeVisibleAsync();
        await admin.ClickAsync("[data-testid=add-routing-rule]");
        var editor = admin.Locator("[data-testid=routing-rule-editor]");
        await editor.Locator("[data-testid=routing-name]").FillAsync("Hot leads North");
        // Numbers outside their ranges stay as typed and say what the field accepts (nothing is clamped to 1).
        await editor.Locator("[data-testid=routing-due]").FillAsync("0");
        await editor.Locator("[data-testid=routing-capacity]").FillAsync("-3");
        await editor.Locator("[data-testid=routing-capacity]").BlurAsync();
        await Assertions.Expect(editor).ToContainTextAsync("The due time is 1 to 43,200 minutes; 0 is outside.");
        await Assertions.Expect(editor).ToContainTextAsync("The capacity is 1 to 10,000 open tasks; -3 is outside.");
        await editor.Locator("[data-testid=routing-capacity]").FillAsync("");
        await editor.Locator("[data-testid=routing-due]").FillAsync("1");
        await editor.Locator("[data-testid=routing-grace]").FillAsync("0");
        await editor.Locator("[data-testid=routing-max-reclaims]").FillAsync("1");
        await editor.Locator("[data-testid=routing-max-reclaims]").BlurAsync();
        await Assertions.Expect(editor.Locator("[data-testid=routing-preview]")).ToContainTextAsync("When Intent Level becomes High or higher: round-robin among North's sales reps");
        await Assertions.Expect(editor.Locator("[data-testid=routing-preview]")).ToContainTextAsync("follow-up task due in 1 minute, back to the pool at once if still open, re-routed at most 1 time");
        await BrowserFixture.ScreenshotAsync(admin, "routing-rule-editor");
        await admin.ClickAsync("[data-testid=routing-save-rule]");
        await admin.ClickAsync("[data-testid=save-routing]");
        await Assertions.Expect(admin.Locator("[data-testid=inside-count]")).ToHaveTextAsync("0 leads are inside this trigger now.");
        await BrowserFixture.ScreenshotAsync(admin, "routing-rules");

        // An event makes a North lead High.
        var api = browser.App.Admin();
        var lead = await (await api.PostAsJsonAsync("/api/v1/leads", new { name = "Ines Duarte", team = "North" })).Content.ReadFromJsonAsync<JsonElement>();
        var leadId = lead.GetProperty("id").GetInt64();
        foreach (var n in new[] { 1, 2 })
        {
            Assert.True((await api.PostAsJsonAsync("/api/v1/events", new { eventId = $"routing-{leadId}-{n}", behavior = "form.submit", leadId })).IsSuccessStatusCode);
        }
        var first = await OwnerAsync(api, leadId);
        Assert.Contains(first, new[] { BrowserFixture.NorthEmail, SecondNorthEmail });
        var other = first == BrowserFixture.NorthEmail ? SecondNorthEmail : BrowserFixture.NorthEmail;

        // The rep it went to sees the task, with its due time, and the bell.
        var rep = await browser.SignInAsync(first!);
        await BrowserFixture.OpenAsync(rep, "/tasks");
        var row = rep.Locator("[data-testid=task-table] tr").Filter(new() { HasText = "Ines Duarte" });
        await Assertions.Expect(row).ToContainTextAsync("Hot leads North");
        await Assertions.Expect(row.Locator("[data-testid=due]")).ToContainTextAsync("due in");
        await Assertions.Expect(rep.Locator("[data-testid=bell] button")).ToHaveAttributeAsync("aria-label", "Notifications, 1 unread");
        await Assertions.Expect(rep.Locator("[data-testid=task-count]")).ToHaveTextAsync("1");
        await BrowserFixture.ScreenshotAsync(rep, "routing-my-tasks");

        // Nobody acts: past its due time (no grace) the lead goes back to the pool and on to the other rep, live on the page.
        // The task is made due now rather than waited for (a minute of real time); the reclaim is the app's own worker's.
        await using (var db = await browser.App.NewContextAsync())
        {
            var now = DateTime.UtcNow;
            await db.FollowUpTasks.Where(t => t.LeadId == leadId).ExecuteUpdateAsync(u => u.SetProperty(t => t.DueAt, now).SetProperty(t => t.ReclaimAt, now));
        }
        await browser.App.Services.GetRequiredService<Reclaims>().RunAsync();
        await Assertions.Expect(row.Locator("[data-testid=task-status]")).ToHaveTextAsync("Reclaimed");
        Assert.Equal(other, await OwnerAsync(api, leadId));
        await BrowserFixture.OpenAsync(rep, $"/leads/{leadId}");
        var otherName = other == SecondNorthEmail ? "North Two" : other; // the first rep has no display name
        await Assertions.Expect(rep.Locator("[data-testid=timeline]")).ToContainTextAsync($"Reassigned to {otherName}");
        await Assertions.Expect(rep.Locator("[data-testid=timeline]")).ToContainTextAsync("Returned to the pool");
        await BrowserFixture.ScreenshotAsync(rep, "routing-lead-timeline");

        var next = await browser.SignInAsync(other);
        await BrowserFixture.OpenAsync(next, "/tasks");
        await Assertions.Expect(next.Locator("[data-testid=task-table] tr").Filter(new() { HasText = "Ines Duarte" })).ToContainTextAsync("after 1 reclaim");
        await Assertions.Expect(next.Locator("[data-testid=bell] button")).ToHaveAttributeAsync("aria-label", "Notifications, 1 unread");
    }

    private static async Task<string?> OwnerAsync(HttpClient api, long leadId) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{leadId}")).GetProperty("ownerEmail").GetString();
}
