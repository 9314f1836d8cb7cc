using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Predictive;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Predictive;

/// <summary>A closed lead's features are what was known before it closed: nothing after the close may tell the answer.</summary>
public sealed class TrainingDataTests : IAsyncLifetime
{
    private static readonly DateTime s_close = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);
    private CoreDatabase _database = null!;

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public void Behaviors_and_entries_at_or_after_the_close_are_left_out_and_the_windows_count_back_from_it()
    {
        var features = ClosedLeadFeatures.From(7, won: true, s_close, "Software", "51-200", "CTO", "Europe",
            [
                ("website.visit", s_close.AddDays(-2)), ("website.visit", s_close.AddDays(-20)), ("website.visit", s_close.AddDays(-60)),
                ("website.visit", s_close.AddDays(-120)), ("webinar.attend", s_close.AddDays(-3)),
                // After the close: the purchase that gives the answer away, and a visit at the very moment.
                ("purchase", s_close.AddHours(1)), ("website.visit", s_close),
            ],
            [(5, s_close.AddDays(-2)), (10, s_close.AddDays(-3)), (50, s_close.AddHours(1)), (-1, s_close)]);

        Assert.Equal(new BehaviorCounts(1, 2, 3), features.Features.Behaviors["website.visit"]);
        Assert.Equal(new BehaviorCounts(1, 1, 1), features.Features.Behaviors["webinar.attend"]);
        Assert.False(features.Features.Behaviors.ContainsKey("purchase"));
        Assert.Equal(2, features.Features.DaysSinceLastBehavior);
        Assert.Equal(15, features.Features.Points);
        var f = features.Features;
        Assert.Equal(("Software", "51-200", "CTO", "Europe", true), (f.Industry, f.CompanySize, f.JobTitle, f.Region, features.Won));
    }

    [Fact]
    public async Task A_won_lead_whose_purchase_came_after_the_close_is_read_without_it_and_open_leads_are_not_read()
    {
        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(RuleSet(Rule("Visit", "website.visit", 5), Rule("Purchase", "purchase", 50)));
        await ruleSets.PublishAsync("tests");
        var leads = _database.Get<LeadCommands>();
        var won = (await leads.CreateAsync(new LeadInput { Name = "Won", Industry = "Finance" }, LeadAccess.All)).Id;
        var lost = (await leads.CreateAsync(new LeadInput { Name = "Lost" }, LeadAccess.All)).Id;
        await leads.CreateAsync(new LeadInput { Name = "Still open" }, LeadAccess.All);
        await SendAsync(("visit-1", "website.visit", won, s_close.AddDays(-5)), ("visit-2", "website.visit", won, s_close.AddDays(-40)), ("visit-3", "website.visit", lost, s_close.AddDays(-1)));

        _database.Clock.Now = s_close;
        foreach (var (id, status) in new[] { (won, LeadStatus.Converted), (lost, LeadStatus.Lost) })
        {
            var view = (await _database.Get<LeadQueries>().FindAsync(id, LeadAccess.All))!;
            await leads.UpdateAsync(id, view.ToInput() with { Status = status }, LeadAccess.All);
        }
        _database.Clock.Advance(TimeSpan.FromHours(2));
        await SendAsync(("purchase-1", "purchase", won, s_close.AddHours(1)));

        var features = await _database.Get<TrainingData>().ClosedLeadsAsync();

        Assert.Equal([(won, true), (lost, false)], features.Select(f => (f.LeadId, f.Won)).Order());
        var wonFeatures = features.Single(f => f.LeadId == won);
        Assert.Equal(s_close, wonFeatures.ClosedAt);
        Assert.Equal(10, wonFeatures.Features.Points);
        Assert.Equal(60, (await _database.Get<LeadQueries>().FindAsync(won, LeadAccess.All))!.BehaviorPoints);
        Assert.Equal(["website.visit"], wonFeatures.Features.Behaviors.Keys);
        Assert.Equal(new BehaviorCounts(1, 1, 2), wonFeatures.Features.Behaviors["website.visit"]);
        Assert.Equal("Finance", wonFeatures.Features.Industry);
    }

    private async Task SendAsync(params (string EventId, string Behavior, long LeadId, DateTime At)[] events)
    {
        var now = _database.Clock.GetUtcNow().UtcDateTime;
        var batch = events
            .Select(e => EventReader.Read(Json(new { eventId = e.EventId, behavior = e.Behavior, leadId = e.LeadId, occurredAt = e.At.ToString("O") }), now, BehaviorCatalog.BuiltInOnly))
            .Select(r => r.Behavior ?? throw new InvalidOperationException(r.Error))
            .ToList();
        await _database.Get<Ledger>().IngestAsync(batch);
    }
}
