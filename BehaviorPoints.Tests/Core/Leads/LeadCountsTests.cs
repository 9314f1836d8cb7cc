using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Dashboard;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Leads;

/// <summary>
/// The kept counts (LeadCounts, written by triggers on Leads) against a GROUP BY over the leads themselves, after every
/// kind of write that moves a lead between (team, intent level, fit level, status): on SQLite and on PostgreSQL.
/// </summary>
public sealed class LeadCountsTests : IAsyncLifetime
{
    private CoreDatabase _database = null!;

    public async Task InitializeAsync() => _database = await CoreDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static RuleSetDefinition Bands(long hotFrom) => RuleSet(Rule("Form", "form.submit", 10)) with
    {
        IntentField = new IntentFieldDefinition { Name = "Heat", Options = [new() { Label = "Cold", Max = hotFrom - 1 }, new() { Label = "Hot", Min = hotFrom }] },
    };

    private async Task AssertCountsMatchLeadsAsync(string after)
    {
        await using var db = await _database.NewContextAsync();
        var kept = (await db.LeadCounts.Where(c => c.Count != 0).ToListAsync())
            .Select(c => (c.TeamId, c.IntentLevel, c.FitLevel, c.Status, c.Count)).OrderBy(c => c.ToString()).ToList();
        var actual = (await db.Leads.GroupBy(l => new { l.TeamId, l.IntentLevel, l.FitLevel, l.Status }).Select(g => new { g.Key, Count = g.Count() }).ToListAsync())
            .Select(g => (g.Key.TeamId ?? 0, g.Key.IntentLevel ?? "", g.Key.FitLevel ?? "", g.Key.Status, g.Count)).OrderBy(c => c.ToString()).ToList();
        Assert.True(actual.SequenceEqual(kept), $"After {after}: kept {string.Join("; ", kept)}, leads {string.Join("; ", actual)}");
    }

    [Fact]
    public async Task The_kept_counts_follow_every_write_that_moves_a_lead()
    {
        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(Bands(hotFrom: 50));
        await ruleSets.PublishAsync("tests");
        var commands = _database.Get<LeadCommands>();
        var ids = new List<long>();
        foreach (var (name, team) in new[] { ("A", "North"), ("B", "North"), ("C", "South"), ("D", (string?)null), ("E", "South") })
        {
            ids.Add((await commands.CreateAsync(new LeadInput { Name = name, Team = team }, LeadAccess.All)).Id);
        }
        await AssertCountsMatchLeadsAsync("creating leads");

        var ledger = _database.Get<Ledger>();
        await ledger.AdjustAsync(ids[0], 60, "Hot now", "tests", LeadAccess.All);
        await ledger.AdjustAsync(ids[2], 30, "Warmer", "tests", LeadAccess.All);
        await AssertCountsMatchLeadsAsync("adjustments that change levels");

        await ruleSets.SaveDraftAsync(Bands(hotFrom: 25));
        await ruleSets.PublishAsync("tests");
        await AssertCountsMatchLeadsAsync("re-banding on publish");

        await commands.UpdateAsync(ids[1], new LeadInput { Name = "B", Team = "South", Status = LeadStatus.Converted }, LeadAccess.All);
        await commands.UpdateAsync(ids[3], new LeadInput { Name = "D", Team = "North", Status = LeadStatus.Lost }, LeadAccess.All);
        await AssertCountsMatchLeadsAsync("moving leads and changing status");

        await using (var db = await _database.NewContextAsync())
        {
            await db.Leads.Where(l => l.Id == ids[4]).ExecuteDeleteAsync();
            // A team removed by the database: its leads lose their team by the foreign key's SET NULL.
            await db.Teams.Where(t => t.Name == "South").ExecuteDeleteAsync();
        }
        await AssertCountsMatchLeadsAsync("deleting a lead and a team");
    }

    [Fact]
    public async Task Counts_read_from_the_kept_counts_are_what_counting_leads_gives()
    {
        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(Bands(hotFrom: 50));
        await ruleSets.PublishAsync("tests");
        var commands = _database.Get<LeadCommands>();
        var ledger = _database.Get<Ledger>();
        for (var i = 0; i < 12; i++)
        {
            var id = (await commands.CreateAsync(new LeadInput { Name = $"Lead {i}", Team = i % 3 == 0 ? "North" : "South" }, LeadAccess.All)).Id;
            if (i % 4 == 0)
            {
                await ledger.AdjustAsync(id, 70, "Hot", "tests", LeadAccess.All);
            }
        }
        var north = await _database.CreateUserAsync("north@example.com", Roles.Sales, "North");
        var queries = _database.Get<LeadQueries>();

        foreach (var access in new[] { LeadAccess.All, north })
        {
            foreach (var query in new[] { new LeadQuery(), new LeadQuery { IntentLevel = "Hot" }, new LeadQuery { IntentLevel = "Cold", Limit = 2 } })
            {
                var page = await queries.ListAsync(query, access);
                var withRows = await queries.ListAsync(query with { MinScore = long.MinValue }, access); // counted from the rows
                Assert.Equal(withRows.TotalCount, page.TotalCount);
            }
            var levels = await queries.CountByIntentLevelAsync(access);
            Assert.Equal((await queries.ListAsync(new LeadQuery { IntentLevel = "Hot", MinScore = long.MinValue }, access)).TotalCount, levels.GetValueOrDefault("Hot"));
        }
        var overview = await _database.Get<OverviewService>().GetAsync(north);
        Assert.Equal(4, overview.TotalLeads);
    }
}
