using System.Diagnostics;
using System.Text.Json;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Dashboard;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Benchmarks;

/// <summary>Server time of the lead page and of the lead list and overview queries, through the same Core services the pages call.</summary>
internal static class QueryBenchmark
{
    /// <summary>Median milliseconds of the lead page's data plus the drawer's first page, for a lead with N entries.</summary>
    public static Task<double> LeadPageAsync(string folder, BenchmarkSizes sizes) =>
        LeadPageAsync(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "leadpage.db")}"), sizes);

    /// <inheritdoc cref="LeadPageAsync(string, BenchmarkSizes)"/>
    public static async Task<double> LeadPageAsync(DatabaseSettings database, BenchmarkSizes sizes)
    {
        await using var services = await BenchmarkData.NewDatabaseAsync(database);
        await BenchmarkData.PublishAsync(services, BenchmarkData.RuleSet(10, "form.submit"));
        var lead = await services.GetRequiredService<LeadCommands>().CreateAsync(new LeadInput { Name = "Busy lead" }, LeadAccess.All);
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

        var queries = services.GetRequiredService<LeadQueries>();
        var history = services.GetRequiredService<ScoreHistory>();
        return await MedianMsAsync(30, async () =>
        {
            await queries.FindAsync(lead.Id, LeadAccess.All);
            await history.GetDailyTotalsAsync(lead.Id, LeadAccess.All, 90);
            await history.GetScoreAsync(lead.Id, LeadAccess.All, 50);
        });
    }

    /// <summary>Median milliseconds of each lead-list, overview and dashboard query over the query-size data set.</summary>
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
        AddDashboardFacts(path);

        return await TimeQueriesAsync(services, sizes);
    }

    /// <summary>The list, overview and dashboard queries over a data set of the query sizes, whatever its provider.</summary>
    public static async Task<IReadOnlyList<(string Name, double Ms)>> TimeQueriesAsync(ServiceProvider services, BenchmarkSizes sizes)
    {
        var queries = services.GetRequiredService<LeadQueries>();
        var overview = services.GetRequiredService<OverviewService>();
        var results = new List<(string, double)>
        {
            ("lead list: intent High, by score", await MedianMsAsync(5, () => queries.ListAsync(new LeadQuery { IntentLevel = "High", Limit = 25 }, LeadAccess.All))),
            ("lead list: 50-100 points, by score ascending", await MedianMsAsync(5, () => queries.ListAsync(new LeadQuery { MinScore = 50, MaxScore = 100, Sort = LeadSort.ScoreAsc, Limit = 25 }, LeadAccess.All))),
            ("lead list: search 'kowalski' (one lead in ten, counted to 1,000+), by score", await MedianMsAsync(5, () => queries.ListAsync(new LeadQuery { Search = "kowalski", Limit = 25 }, LeadAccess.All))),
            ("lead list: search 'kowalski' as a rep of one team, by score", await MedianMsAsync(5, () => queries.ListAsync(new LeadQuery { Search = "kowalski", Limit = 25 }, LeadAccess.Teams([2])))),
            ($"lead list: search one lead's email 'lead{sizes.QueryLeads / 2 + 1}@'", await MedianMsAsync(5, () => queries.ListAsync(new LeadQuery { Search = $"lead{sizes.QueryLeads / 2 + 1}@", Limit = 25 }, LeadAccess.All))),
            ("lead list: all, by last activity", await MedianMsAsync(5, () => queries.ListAsync(new LeadQuery { Sort = LeadSort.LastActivityDesc, Limit = 25 }, LeadAccess.All))),
            ("overview: leads per intent level", await MedianMsAsync(5, () => overview.GetAsync(LeadAccess.All))),
        };
        // The dashboard as a manager opens it (all teams, last 12 weeks) and filtered to one team: every panel's query.
        var dashboard = services.GetRequiredService<DashboardService>();
        var today = new DateOnly(2026, 11, 23);
        foreach (var (scope, filter) in new[] { ("all teams", DashboardFilter.Default(today)), ("one team", DashboardFilter.Default(today, teamId: 2)) })
        {
            results.Add(($"dashboard, {scope}: levels, conversion, fit × intent grid", await MedianMsAsync(5, () => dashboard.LevelsAsync(filter, LeadAccess.All))));
            results.Add(($"dashboard, {scope}: weekly trend, 12 weeks", await MedianMsAsync(5, () => dashboard.TrendAsync(filter, LeadAccess.All))));
            results.Add(($"dashboard, {scope}: top behaviors and rules, 12 weeks", await MedianMsAsync(5, () => dashboard.TopEarnersAsync(filter, LeadAccess.All))));
        }
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
        insert.CommandText = "INSERT INTO ScoreEntries (LeadId, Kind, Points, RuleName, RuleSetVersion, BehaviorType, OccurredAt, ScoredAt) VALUES ($lead, 'Rule', $points, $rule, 1, $type, $at, $at)";
        var lead = insert.Parameters.Add("$lead", SqliteType.Integer);
        var rule = insert.Parameters.Add("$rule", SqliteType.Text);
        var type = insert.Parameters.Add("$type", SqliteType.Text);
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
                rule.Value = $"Rule {n % 10}";
                type.Value = EntryTypes[n % EntryTypes.Length];
                at.Value = $"2026-{9 + n % 3:00}-{1 + n % 28:00} 12:00:00";
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    /// <summary>The behavior types the generated entries carry, in turn.</summary>
    internal static readonly string[] EntryTypes = ["form.submit", "content.view", "email.open", "email.click", "website.visit", "webinar.attend", "content.download", "official_account.follow"];

    // What ingest maintains beside the entries, written in bulk: teams, fit levels and statuses on the leads, the daily
    // points roll-up, and level-change records (each lead entered Low when created, and most moved on later).
    private static void AddDashboardFacts(string path)
    {
        using var connection = BenchmarkData.Open(path);
        using var command = connection.CreateCommand();
        command.CommandTimeout = 0;
        command.CommandText = """
            INSERT INTO Teams (Name) VALUES ('North'), ('South'), ('Enterprise');
            UPDATE Leads SET TeamId = 1 + Id % 3,
                FitScore = Id % 90, FitVersion = 1,
                FitLevel = CASE WHEN Id % 90 >= 50 THEN 'High' WHEN Id % 90 >= 20 THEN 'Medium' ELSE 'Low' END,
                Status = CASE WHEN Id % 11 = 0 THEN 'Converted' WHEN Id % 7 = 0 THEN 'Lost' ELSE 'Open' END;
            INSERT INTO DailyPoints (Day, TeamId, BehaviorType, RuleName, Points, Entries)
                SELECT date(e.OccurredAt) || ' 00:00:00', l.TeamId, e.BehaviorType, e.RuleName, SUM(e.Points), COUNT(*)
                FROM ScoreEntries e JOIN Leads l ON l.Id = e.LeadId GROUP BY 1, 2, 3, 4;
            INSERT INTO IntentLevelChanges (LeadId, TeamId, "From", "To", ChangedAt)
                SELECT Id, TeamId, NULL, 'Low', date('2026-08-25', '+' || (Id % 90) || ' days') || ' 10:00:00' FROM Leads;
            INSERT INTO IntentLevelChanges (LeadId, TeamId, "From", "To", ChangedAt)
                SELECT Id, TeamId, 'Low', IntentLevel, date('2026-08-25', '+' || (Id % 90) || ' days', '+2 days') || ' 10:00:00' FROM Leads WHERE IntentLevel <> 'Low';
            """;
        command.ExecuteNonQuery();
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
