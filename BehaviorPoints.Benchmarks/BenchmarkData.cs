using System.Text.Json;
using BehaviorPoints.Core.Composition;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.RuleSets;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Benchmarks;

/// <summary>Generates benchmark data: a rule set of N rules, leads in bulk, events that exercise the rules.</summary>
internal static class BenchmarkData
{
    private static readonly string[] s_contentTypes = ["article", "product", "microsite", "document", "video"];
    private static readonly string[] s_sources = ["direct", "ads", "search", "social"];
    private static readonly string[] s_accounts = ["sharecrm", "news", "tips", "product"];
    private static readonly string[] s_types =
        ["official_account.follow", "content.view", "content.download", "website.visit", "email.open", "email.click", "form.submit", "purchase", "webinar.attend", "conference.register"];

    /// <summary>A valid rule set of <paramref name="count"/> rules over ten behavior types, with every operator and some limits.</summary>
    public static RuleSetDefinition RuleSet(int count, string onlyType = "")
    {
        var random = new Random(50);
        var rules = new List<RuleDefinition>();
        for (var i = 0; i < count; i++)
        {
            var type = onlyType.Length > 0 ? onlyType : s_types[i % s_types.Length];
            var conditions = (i % 5) switch
            {
                0 => new List<ConditionDefinition>(),
                1 => [When("contentType", "equals", s_contentTypes[random.Next(s_contentTypes.Length)])],
                2 => [When("source", "in", new[] { s_sources[random.Next(4)], s_sources[random.Next(4)] })],
                3 => [When("amount", "gte", random.Next(10, 900)), When("url", "not_equals", "https://example.com/unsubscribe")],
                _ => [When("url", "contains", "/pricing"), When("accountId", "starts_with", "share")],
            };
            RuleLimitDefinition? limit = (i % 4) switch
            {
                1 => new() { Times = 3, Per = "day" },
                2 => new() { Times = 10, Per = "month" },
                _ => null,
            };
            rules.Add(new RuleDefinition { Name = $"Rule {i + 1}", Behavior = type, Points = random.Next(1, 20) * (i % 9 == 8 ? -1 : 1), Conditions = conditions, Limit = limit });
        }
        return new RuleSetDefinition { Name = "Benchmark", ApiName = "benchmark__c", Rules = rules, IntentField = IntentFieldDefinition.Default };
    }

    /// <summary>The JSON of one random event for a lead, matching some rules and not others.</summary>
    public static object Event(Random random, string eventId, long leadId, DateTime now) => new
    {
        eventId,
        behavior = s_types[random.Next(s_types.Length)],
        occurredAt = now.AddMinutes(-random.Next(1, 30 * 24 * 60)),
        leadId,
        attributes = new Dictionary<string, object>
        {
            ["contentType"] = s_contentTypes[random.Next(s_contentTypes.Length)],
            ["source"] = s_sources[random.Next(s_sources.Length)],
            ["amount"] = random.Next(0, 1000),
            ["url"] = random.Next(3) == 0 ? "https://example.com/pricing" : "https://example.com/blog/" + random.Next(100),
            ["accountId"] = s_accounts[random.Next(s_accounts.Length)],
        },
    };

    private static ConditionDefinition When(string attribute, string op, object value) =>
        new() { Attribute = attribute, Operator = op, Value = JsonSerializer.SerializeToElement(value) };

    /// <summary>Core services over a new migrated database file.</summary>
    public static Task<ServiceProvider> NewDatabaseAsync(string path) =>
        NewDatabaseAsync(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}"));

    /// <summary>Core services over a new database of either provider, created and migrated.</summary>
    public static async Task<ServiceProvider> NewDatabaseAsync(DatabaseSettings database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBehaviorPointsCore(database);
        // Users for the routing figures: Identity's stores, as the app registers them.
        services.AddIdentityCore<ApplicationUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<BehaviorPointsDbContext>();
        // The webhook figures' receiver listens on loopback.
        services.Configure<Core.Webhooks.WebhookOptions>(o => o.AllowPrivateNetworks = true);
        var provider = services.BuildServiceProvider();
        await using var db = await provider.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();
        await provider.GetRequiredService<IDatabaseProvider>().MigrateAsync(db);
        return provider;
    }

    public static async Task PublishAsync(ServiceProvider services, RuleSetDefinition definition)
    {
        var ruleSets = services.GetRequiredService<RuleSetService>();
        await ruleSets.SaveDraftAsync(definition);
        await ruleSets.PublishAsync("benchmark");
    }

    /// <summary>Inserts leads in bulk (ids 1..count on a fresh database), with the given totals when known.</summary>
    public static void InsertLeads(string path, int count, Func<int, long>? totalOf = null)
    {
        using var connection = Open(path);
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO Leads (Name, Company, Email, ExternalId, Status, BehaviorPoints, IntentLevel, CreatedAt, UpdatedAt, LastActivityAt, Industry, Region)
            VALUES ($name, $company, $email, $external, 'Open', $total, $level, '2026-11-01 00:00:00', '2026-11-01 00:00:00', $activity, 'Software', 'Europe')
            """;
        var name = insert.Parameters.Add("$name", SqliteType.Text);
        var company = insert.Parameters.Add("$company", SqliteType.Text);
        var email = insert.Parameters.Add("$email", SqliteType.Text);
        var external = insert.Parameters.Add("$external", SqliteType.Text);
        var total = insert.Parameters.Add("$total", SqliteType.Integer);
        var level = insert.Parameters.Add("$level", SqliteType.Text);
        var activity = insert.Parameters.Add("$activity", SqliteType.Text);
        insert.Prepare();
        for (var written = 0; written < count;)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            for (var i = 0; i < 10_000 && written < count; i++, written++)
            {
                var points = totalOf?.Invoke(written + 1) ?? 0;
                name.Value = $"Lead {written + 1} {Surnames[written % Surnames.Length]}";
                company.Value = $"Company {written % 5000}";
                email.Value = $"lead{written + 1}@example.com";
                external.Value = $"ext-{written + 1}";
                total.Value = points;
                level.Value = IntentBands.Default.LevelOf(points);
                activity.Value = $"2026-11-{1 + written % 20:00} 10:00:00";
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private static readonly string[] Surnames = ["Smith", "Garcia", "Kowalski", "Li", "Wang", "Müller", "Rossi", "Dubois", "Silva", "Kim"];

    /// <summary>Replays events through the pure engine to know what the ledger must have written.</summary>
    public sealed class Expectation(CompiledRuleSet rules)
    {
        private readonly Dictionary<long, LimitCounts> _limits = [];

        public long Entries { get; private set; }
        public Dictionary<long, long> Totals { get; } = [];

        public void Add(long leadId, string type, DateTime occurredAt, IReadOnlyDictionary<string, AttributeValue> attributes)
        {
            if (!_limits.TryGetValue(leadId, out var limits))
            {
                limits = new LimitCounts();
                _limits[leadId] = limits;
            }
            var hits = ScoringEngine.Score(rules, new BehaviorOccurrence(type, occurredAt, attributes), limits);
            limits.Record(hits);
            Entries += hits.Count;
            Totals[leadId] = Totals.GetValueOrDefault(leadId) + hits.Sum(h => h.Points);
        }
    }
}
