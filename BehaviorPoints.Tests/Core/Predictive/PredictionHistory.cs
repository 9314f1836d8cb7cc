using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Predictive;

/// <summary>
/// Closed leads with a known truth, made through the app as a customer's would be: leads created, behaviors ingested,
/// statuses set later. Won leads visited the website several times and attended a webinar in the week before they
/// closed; lost ones visited once, weeks before. Every fifth lead of each goes against the pattern.
/// </summary>
internal static class PredictionHistory
{
    public static readonly DateTime Start = new(2026, 8, 1, 9, 0, 0, DateTimeKind.Utc);

    public static async Task PublishRulesAsync(CoreDatabase database)
    {
        var ruleSets = database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(RuleSet(Rule("Visit", "website.visit", 5), Rule("Webinar", "webinar.attend", 10), Rule("Unsubscribe", "email.unsubscribe", -5)));
        await ruleSets.PublishAsync("tests");
    }

    /// <summary>Creates <paramref name="won"/> + <paramref name="lost"/> closed leads (a day apart) and <paramref name="open"/> open ones; returns the open ones' ids.</summary>
    public static async Task<IReadOnlyList<long>> CreateAsync(CoreDatabase database, int won, int lost, int open)
    {
        var leads = database.Get<LeadCommands>();
        var queries = database.Get<LeadQueries>();
        var events = new List<(string Behavior, long LeadId, DateTime At)>();
        var closing = new List<(long Id, LeadStatus Status, DateTime At)>();
        var openIds = new List<long>();
        // Time only moves forward: the leads are created before any of their behaviors.
        database.Clock.Now = Start.AddDays(-60);
        for (var i = 0; i < won + lost + open; i++)
        {
            var isOpen = i >= won + lost;
            // Won and lost spread evenly over time, so the newest fifth held out has both.
            var isWon = !isOpen && (i + 1) * won / (won + lost) > i * won / (won + lost);
            var keen = isOpen ? i % 2 == 0 : isWon == (i % 5 != 0);
            var id = (await leads.CreateAsync(new LeadInput { Name = $"Lead {i}", Industry = keen ? "Finance" : "Retail" }, LeadAccess.All)).Id;
            var closeAt = Start.AddDays(i);
            if (keen)
            {
                events.AddRange(Enumerable.Range(1, 3 + (i % 3)).Select(d => ("website.visit", id, closeAt.AddHours(-d * 30))));
                events.Add(("webinar.attend", id, closeAt.AddDays(-2)));
            }
            else
            {
                events.Add(("website.visit", id, closeAt.AddDays(-40)));
                events.Add(("email.unsubscribe", id, closeAt.AddDays(-35)));
            }
            if (isOpen)
            {
                openIds.Add(id);
            }
            else
            {
                closing.Add((id, isWon ? LeadStatus.Converted : LeadStatus.Lost, closeAt));
            }
        }
        database.Clock.Now = Start.AddDays(won + lost + open + 1);
        await SendAsync(database, events);
        foreach (var (id, status, at) in closing)
        {
            database.Clock.Now = at;
            var view = (await queries.FindAsync(id, LeadAccess.All))!;
            await leads.UpdateAsync(id, view.ToInput() with { Status = status }, LeadAccess.All);
        }
        database.Clock.Now = Start.AddDays(won + lost + open + 1);
        return openIds;
    }

    public static async Task SendAsync(CoreDatabase database, IEnumerable<(string Behavior, long LeadId, DateTime At)> events)
    {
        var now = database.Clock.GetUtcNow().UtcDateTime;
        var batch = events
            .Select((e, i) => EventReader.Read(Json(new { eventId = $"history-{Guid.NewGuid():N}-{i}", behavior = e.Behavior, leadId = e.LeadId, occurredAt = e.At.ToString("O") }), now, BehaviorCatalog.BuiltInOnly))
            .Select(r => r.Behavior ?? throw new InvalidOperationException(r.Error))
            .ToList();
        await database.Get<Ledger>().IngestAsync(batch);
    }
}
