using BehaviorPoints.Core.Demo;
using BehaviorPoints.Core.Predictive;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Core.Demo;

/// <summary>A fresh start's demo carries a known truth: the model it trains is real, and the insights point at the rules that matter.</summary>
public sealed class DemoTruthTests
{
    // The demo's data, not the provider, is under test: the seeder's writes run on PostgreSQL in other tests.
    [Fact]
    [Trait("Category", "SqliteOnly")]
    public async Task The_demo_trains_a_model_well_above_chance_and_the_buying_signals_rules_earn_their_points()
    {
        await using var database = await CoreDatabase.CreateAsync();
        await using (var scope = database.Scope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync());
        }

        var outcome = await database.Get<ConversionModels>().TrainAsync(null);
        var insights = await database.Get<RuleInsights>().SummaryAsync();

        Assert.True(outcome.WentLive);
        Assert.True(outcome.Model.Auc >= 0.75, $"AUC {outcome.Model.Auc}");
        Assert.True(outcome.Model.TrainedWon + outcome.Model.Metrics.HoldoutWon >= ConversionTrainer.MinimumEach);
        Assert.True(outcome.Model.TrainedLost + outcome.Model.Metrics.HoldoutLost >= ConversionTrainer.MinimumEach);
        foreach (var rule in new[] { "Attend a webinar", "Visit the pricing page" })
        {
            var insight = insights.Rules.Single(r => r.RuleName == rule);
            Assert.True(insight.Lift > 1.5, $"{rule}: lift {insight.Lift}");
        }
        var (low, high) = (insights.ByIntentLevel[0], insights.ByIntentLevel[^1]);
        Assert.True(high.Rate > 2 * low.Rate, $"High {high.Rate} against Low {low.Rate}");
        // Closed leads closed after what they did: every closed lead did something before it closed.
        await using var db = await database.NewContextAsync();
        Assert.NotEmpty(await db.Leads.Where(l => l.ClosedAt != null).Select(l => l.Id).ToListAsync());
        Assert.Empty(await db.Leads.Where(l => l.ClosedAt != null && !db.Behaviors.Any(b => b.LeadId == l.Id && b.OccurredAt <= l.ClosedAt)).Select(l => l.Id).ToListAsync());
        Assert.Empty(await database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());

        // Its website has anonymous visitors, one who identified with the contact form (a lead made by the website),
        // and a crawler held back.
        var site = await db.Sites.SingleAsync(s => s.Name == DemoSeeder.DemoSiteName);
        var visitors = await db.Visitors.Where(v => v.SiteId == site.Id).ToListAsync();
        Assert.Equal((3, 1, 1), (visitors.Count(v => v.LeadId is null && v.HeldReason is null), visitors.Count(v => v.LeadId is not null), visitors.Count(v => v.HeldReason is not null)));
        var identifiedId = visitors.Single(v => v.LeadId is not null).LeadId;
        var identified = await db.Leads.SingleAsync(l => l.Id == identifiedId);
        Assert.Equal(("Lena Fischer", "website"), (identified.Name, identified.Source));

        // The demo manager manages every team: they may edit any team's lead, not only look.
        var manager = DemoSeeder.SignIns.Single(s => s.Role == BehaviorPoints.Core.Domain.Roles.Manager);
        var managerId = await db.Users.Where(u => u.Email == manager.Email).Select(u => u.Id).SingleAsync();
        var access = await database.Get<BehaviorPoints.Core.Accounts.LeadAccessService>().ForUserAsync(managerId, [manager.Role]);
        Assert.All(await db.Teams.Select(t => t.Id).ToListAsync(), team => Assert.True(access.CanEdit(team), $"team {team}"));
    }
}
