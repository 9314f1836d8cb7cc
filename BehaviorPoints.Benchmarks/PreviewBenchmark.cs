using System.Diagnostics;
using System.Text.Json;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Benchmarks;

/// <summary>
/// The publish preview over N stored behaviors (the draft: a 50-rule set replayed over every lead's history), and the
/// re-score that then writes the same thing, both through the Core services the wizard and the worker call.
/// </summary>
internal static class PreviewBenchmark
{
    public sealed record Result(double PreviewSeconds, long Behaviors, double RescoreSeconds, int Leads, bool PreviewMatchesRescore);

    public static async Task<Result> RunAsync(string folder, BenchmarkSizes sizes)
    {
        var path = Path.Combine(folder, "preview.db");
        await using var services = await BenchmarkData.NewDatabaseAsync(path);
        await BenchmarkData.PublishAsync(services, BenchmarkData.RuleSet(10));
        SqliteConnection.ClearAllPools();
        var leads = Math.Max(1, sizes.PreviewBehaviors / 10);
        BenchmarkData.InsertLeads(path, leads);
        InsertBehaviors(path, sizes.PreviewBehaviors, leads);

        var draft = BenchmarkData.RuleSet(50);
        var watch = Stopwatch.StartNew();
        var preview = await services.GetRequiredService<RescorePreview>().RunAsync(draft);
        var previewSeconds = watch.Elapsed.TotalSeconds;

        var ruleSets = services.GetRequiredService<RuleSetService>();
        await ruleSets.SaveDraftAsync(draft);
        await ruleSets.PublishAsync("benchmark", PublishMode.RescoreEveryLead);
        watch.Restart();
        await services.GetRequiredService<Rescoring>().RunAsync();
        var rescoreSeconds = watch.Elapsed.TotalSeconds;

        // The preview's "after" distribution must be what the re-score wrote.
        using var connection = BenchmarkData.Open(path);
        var after = preview.Distribution.Select(bucket =>
        {
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM Leads WHERE ($min IS NULL OR BehaviorPoints >= $min) AND ($max IS NULL OR BehaviorPoints <= $max)";
            count.Parameters.AddWithValue("$min", (object?)bucket.Min ?? DBNull.Value);
            count.Parameters.AddWithValue("$max", (object?)bucket.Max ?? DBNull.Value);
            return Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }).ToList();
        return new Result(previewSeconds, preview.Behaviors, rescoreSeconds, preview.Leads, after.SequenceEqual(preview.Distribution.Select(b => b.After)));
    }

    private static void InsertBehaviors(string path, int count, int leads)
    {
        using var connection = BenchmarkData.Open(path);
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO Behaviors (EventId, Type, OccurredAt, ReceivedAt, LeadId, AttributesJson, Outcome)
            VALUES ($event, $type, $at, $at, $lead, $attributes, 'NoMatch')
            """;
        var eventId = insert.Parameters.Add("$event", SqliteType.Text);
        var type = insert.Parameters.Add("$type", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Text);
        var lead = insert.Parameters.Add("$lead", SqliteType.Integer);
        var attributes = insert.Parameters.Add("$attributes", SqliteType.Text);
        insert.Prepare();
        var random = new Random(7);
        var now = new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);
        for (var written = 0; written < count;)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            for (var i = 0; i < 20_000 && written < count; i++, written++)
            {
                var json = JsonSerializer.SerializeToElement(BenchmarkData.Event(random, $"p-{written}", 1 + random.Next(leads), now), CoreJson.Options);
                eventId.Value = $"p-{written}";
                type.Value = json.GetProperty("behavior").GetString();
                at.Value = json.GetProperty("occurredAt").GetDateTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
                lead.Value = json.GetProperty("leadId").GetInt64();
                attributes.Value = json.GetProperty("attributes").GetRawText();
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }
}
