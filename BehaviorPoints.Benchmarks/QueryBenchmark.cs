using System.Diagnostics;
using System.Text.Json;
using BehaviorPoints.Core;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Dashboard;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Scoring;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Benchmarks;

/// <summary>Server time of the lead page and of the lead list and overview queries, through the same Core services the pages call.</summary>
internal static class QueryBenchmark
{
    /// <summary>Median milliseconds of the lead page's data plus the drawer's first page, for a lead with N entries.</summary>
    public static async Task<double> LeadPageAsync(string folder, BenchmarkSizes sizes)
    {
        var path = Path.Combine(folder, "leadpage.db");
        await using var services = await BenchmarkData.NewDatabaseAsync(path);
        await BenchmarkData.PublishAsync(services, BenchmarkData.RuleSet(10, "form.submit"));
        var lead = await services.GetRequiredService<LeadService>().CreateAsync(new LeadInput { Name = "Busy lead" });
        var ledger = services.GetRequiredService<Ledger>();
        var now = DateTime.UtcNow;
        var random = new Random(3);
        var written = 0;
        for (var batch = 0; written < sizes.LeadPageEntries; batch++)
        {
            var events = Enumerable.Range(0, 1000).Select(i => EventReader.Read(
                JsonSerializer.SerializeToElement(new { eventId = $"page-{batch}-{i}", behavior = "form.submit", leadId = lead.Id, occurredAt = now.AddMinutes(-random.Next(1, 90 * 24 * 60)) }, CoreJson.Options),
                now, BehaviorCatalog.BuiltInOnly).Behavior!).ToList();
            var results = await ledger.IngestAsync(events);
            written += results.Sum(r => r.Entries?.Count ?? 0);
        }

        var leads = services.GetRequiredService<LeadService>();
        return await MedianMsAsync(30, async () =>
        {
            await leads.FindAsync(lead.Id, LeadAccess.All);
            await leads.GetDailyTotalsAsync(lead.Id, LeadAccess.All, 90);
            await leads.GetScoreAsync(lead.Id, LeadAccess.All, 50);
        });
    }

    /// <summary>Median milliseconds of each lead-list and overview query over the query-size data set.</summary>
    public static async Task<IReadOnlyList<(string Name, double Ms)>> ListAndOverviewAsync(string folder, BenchmarkSizes sizes)
    {
        var path = Path.Combine(folder, "queries.db");
        await using var services = await BenchmarkData.NewDatabaseAsync(path);
        await BenchmarkData.PublishAsync(services, BenchmarkData.RuleSet(10));
        SqliteConnection.ClearAllPools();

        // Entries drawn twice from the same seed: first to know each lead's total, then to write them.
        var totals = new long[sizes.QueryLeads + 1];
        foreach (var (leadId, points) in Entries(sizes))
        {
            totals[leadId] += points;
        }
        BenchmarkData.InsertLeads(path, sizes.QueryLeads, id => totals[id]);
        InsertEntries(path, sizes);

        var leads = services.GetRequiredService<LeadService>();
        var overview = services.GetRequiredService<OverviewService>();
        var results = new List<(string, double)>
        {
            ("lead list: intent High, by score", await MedianMsAsync(5, () => leads.ListAsync(new LeadQuery { IntentLevel = "High", Limit = 25 }, LeadAccess.All))),
            ("lead list: 50-100 points, by score ascending", await MedianMsAsync(5, () => leads.ListAsync(new LeadQuery { MinScore = 50, MaxScore = 100, Sort = LeadSort.ScoreAsc, Limit = 25 }, LeadAccess.All))),
            ("lead list: search 'kowalski', by score", await MedianMsAsync(5, () => leads.ListAsync(new LeadQuery { Search = "kowalski", Limit = 25 }, LeadAccess.All))),
            ("lead list: all, by last activity", await MedianMsAsync(5, () => leads.ListAsync(new LeadQuery { Sort = LeadSort.LastActivityDesc, Limit = 25 }, LeadAccess.All))),
            ("overview: leads per intent level", await MedianMsAsync(5, () => overview.GetAsync(LeadAccess.All))),
        };
        return results;
    }

    private static IEnumerable<(int LeadId, int Points)> Entries(BenchmarkSizes sizes)
    {
        var random = new Random(11);
        for (var i = 0; i < sizes.QueryEntries; i++)
        {
            // A skewed spread: a few very active leads, many quiet ones, like real engagement.
            var leadId = 1 + (int)(sizes.QueryLeads * Math.Pow(random.NextDouble(), 2));
            yield return (Math.Min(leadId, sizes.QueryLeads), random.Next(-2, 12));
        }
    }

    private static void InsertEntries(string path, BenchmarkSizes sizes)
    {
        using var connection = BenchmarkData.Open(path);
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO ScoreEntries (LeadId, Kind, Points, RuleName, RuleSetVersion, OccurredAt, ScoredAt) VALUES ($lead, 'Rule', $points, 'Rule 1', 1, $at, $at)";
        var lead = insert.Parameters.Add("$lead", SqliteType.Integer);
        var points = insert.Parameters.Add("$points", SqliteType.Integer);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        insert.Prepare();
        using var entries = Entries(sizes).GetEnumerator();
        var more = entries.MoveNext();
        var n = 0;
        while (more)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            for (var i = 0; i < 20_000 && more; i++, more = entries.MoveNext(), n++)
            {
                lead.Value = entries.Current.LeadId;
                points.Value = entries.Current.Points;
                at.Value = $"2026-{9 + n % 3:00}-{1 + n % 28:00} 12:00:00";
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    public static async Task<double> MedianMsAsync(int runs, Func<Task> action)
    {
        await action(); // warm-up: compiled queries, page cache
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
