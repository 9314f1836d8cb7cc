using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

/// <summary>
/// The app with a history to learn from: 45 won leads that submitted forms in their last days before they closed,
/// 45 lost ones that opened one email weeks before, and two open leads, one of each kind.
/// </summary>
public sealed class PredictionFixture : BrowserFixture
{
    /// <summary>The open lead that behaves like the won ones.</summary>
    public long KeenLeadId { get; private set; }

    protected override async Task SeedAsync()
    {
        await CreateUsersAsync();
        var ruleSets = App.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(Build.RuleSet(Build.Rule("Submit form", "form.submit", 20), Build.Rule("Open email", "email.open", 1)));
        await ruleSets.PublishAsync(AdminEmail);

        var leads = App.Get<LeadCommands>();
        var now = DateTime.UtcNow;
        var events = new List<IncomingBehavior>();
        var closing = new List<(long Id, LeadStatus Status)>();
        for (var i = 0; i < 92; i++)
        {
            var open = i >= 90;
            var won = i % 2 == 0;
            var keen = open ? i == 90 : won == (i % 9 != 0);
            var lead = await leads.CreateAsync(new LeadInput { Name = open ? (keen ? "Keen prospect" : "Quiet prospect") : $"Closed lead {i}", Company = "History Ltd", Team = "North" }, LeadAccess.All);
            (string Type, DateTime At)[] behaviors = keen ? [("form.submit", now.AddDays(-3)), ("form.submit", now.AddDays(-1))] : [("email.open", now.AddDays(-30))];
            events.AddRange(behaviors.Select((b, n) => EventReader.Read(Build.Json(new { eventId = $"history-{i}-{n}", behavior = b.Type, leadId = lead.Id, occurredAt = b.At }), now, BehaviorCatalog.BuiltInOnly).Behavior!));
            if (open)
            {
                KeenLeadId = keen ? lead.Id : KeenLeadId;
            }
            else
            {
                closing.Add((lead.Id, won ? LeadStatus.Converted : LeadStatus.Lost));
            }
        }
        await App.Get<Ledger>().IngestAsync(events);
        var queries = App.Get<LeadQueries>();
        foreach (var (id, status) in closing)
        {
            await leads.UpdateAsync(id, (await queries.FindAsync(id, LeadAccess.All))!.ToInput() with { Status = status }, LeadAccess.All);
        }
    }
}

public sealed class PredictionTests(PredictionFixture browser) : BrowserTests<PredictionFixture>
{
    protected override PredictionFixture Fixture => browser;

    [Fact]
    public async Task An_administrator_trains_a_model_and_a_rep_sees_a_lead_s_likelihood_with_its_factors()
    {
        var page = await browser.SignInAsync(BrowserFixture.AdminEmail);
        await BrowserFixture.OpenAsync(page, "/admin/predictive");
        await Assertions.Expect(page.Locator("[data-testid=closed-counts]")).ToHaveTextAsync("45 won (Converted), 45 lost (Lost)");
        await Assertions.Expect(page.Locator("[data-testid=no-model]")).ToBeVisibleAsync();

        await page.ClickAsync("[data-testid=train]");

        await Assertions.Expect(page.Locator("[data-testid=live-model]")).ToContainTextAsync("Live model: version 1");
        await Assertions.Expect(page.Locator("[data-testid=live-model]")).ToContainTextAsync("AUC on 18 held-out leads");
        await Assertions.Expect(page.Locator("[data-testid=calibration] tbody tr")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("[data-testid=model-version]")).ToHaveCountAsync(1);
        // The snackbar that says so has finished fading in (half-faded colours are not the ones it shows).
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.mud-snackbar')].every(s => getComputedStyle(s).opacity === '1')");
        await BrowserFixture.ScreenshotAsync(page, "prediction-model");
        await Axe.AssertCleanAsync(page, "/admin/predictive trained");

        // The lead list shows the likelihood, and sorting by it puts the keen prospect first among the open leads.
        var rep = await browser.SignInAsync(BrowserFixture.NorthEmail);
        await BrowserFixture.OpenAsync(rep, "/leads?sort=-likelihood&likelihood=1");
        await Assertions.Expect(rep.Locator("[data-testid=lead-link]").First).ToHaveTextAsync("Keen prospect");
        await Assertions.Expect(rep.Locator("[data-testid=lead-likelihood]").First).ToContainTextAsync("%");
        await BrowserFixture.ScreenshotAsync(rep, "prediction-lead-list");

        await BrowserFixture.OpenAsync(rep, $"/leads/{browser.KeenLeadId}");
        await Assertions.Expect(rep.Locator("[data-testid=likelihood]")).ToContainTextAsync("%");
        await Assertions.Expect(rep.Locator("[data-testid=likelihood-raising]")).ToContainTextAsync("Submits form");
        Assert.True(await rep.Locator("[data-testid=likelihood-factor]").CountAsync() >= 1);
        await BrowserFixture.ScreenshotAsync(rep, "prediction-lead");
        await Axe.AssertCleanAsync(rep, "/lead likelihood");
    }
}
