using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Predictive;

/// <summary>
/// Closed leads with a known truth: leads written, their behaviors scored by the ledger, their statuses set at their
/// close times. Won leads visited the website several times and attended a webinar in the week before they
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
        // The leads are written in one go (the ledger scores their behaviors as usual); TrainingDataTests closes leads
        // through LeadCommands as a person would.
        var created = Start.AddDays(-60);
        var plans = Enumerable.Range(0, won + lost + open).Select(i =>
        {
            var isOpen = i >= won + lost;
            // Won and lost spread evenly over time, so the newest fifth held out has both.
            var isWon = !isOpen && (i + 1) * won / (won + lost) > i * won / (won + lost);
            var keen = isOpen ? i % 2 == 0 : isWon == (i % 5 != 0);
            return (Index: i, IsOpen: isOpen, IsWon: isWon, Keen: keen, CloseAt: Start.AddDays(i),
                Lead: new Lead(new LeadFields { Name = $"Lead {i}", Industry = keen ? "Finance" : "Retail" }, created, IntentBands.Default));
        }).ToList();
        await using (var db = await database.NewContextAsync())
        {
            db.Leads.AddRange(plans.Select(p => p.Lead));
            await db.SaveChangesAsync();
        }

        var events = new List<(string Behavior, long LeadId, DateTime At)>();
        foreach (var plan in plans)
        {
            var id = plan.Lead.Id;
            if (plan.Keen)
            {
                events.AddRange(Enumerable.Range(1, 3 + (plan.Index % 3)).Select(d => ("website.visit", id, plan.CloseAt.AddHours(-d * 30))));
                events.Add(("webinar.attend", id, plan.CloseAt.AddDays(-2)));
            }
            else
            {
                events.Add(("website.visit", id, plan.CloseAt.AddDays(-40)));
                events.Add(("email.unsubscribe", id, plan.CloseAt.AddDays(-35)));
            }
        }
        database.Clock.Now = Start.AddDays(won + lost + open + 1);
        await SendAsync(database, events);

        await using (var db = await database.NewContextAsync())
        {
            var closing = plans.Where(p => !p.IsOpen).ToDictionary(p => p.Lead.Id);
            foreach (var lead in await db.Leads.Where(l => closing.Keys.Contains(l.Id)).ToListAsync())
            {
                var plan = closing[lead.Id];
                lead.Update(new LeadFields { Name = lead.Name, Industry = lead.Industry, Status = plan.IsWon ? LeadStatus.Converted : LeadStatus.Lost }, plan.CloseAt);
            }
            await db.SaveChangesAsync();
        }
        return plans.Where(p => p.IsOpen).Select(p => p.Lead.Id).ToList();
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
