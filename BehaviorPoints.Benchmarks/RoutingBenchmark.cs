using System.Diagnostics;
using System.Text.Json;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Benchmarks;

/// <summary>
/// Routing (SPEC §10): batched ingest with five routing rules active beside the same ingest without them (alternating
/// pairs, same run); applying a rule to the leads already inside its trigger; and how soon an assignment reaches the
/// rep's My tasks after the event that caused it.
/// </summary>
internal static class RoutingBenchmark
{
    public sealed record Result(
        IReadOnlyList<(IngestBenchmark.Result Without, IngestBenchmark.Result With)> Pairs,
        long Routed,
        int ApplyLeads,
        double ApplySeconds,
        string? ApplyProblem,
        IReadOnlyList<double> VisibleMs)
    {
        public double Ratio => Pairs.Average(p => p.With.EventsPerSecond) / Pairs.Average(p => p.Without.EventsPerSecond);
    }

    public const int Rounds = 2;
    private static readonly string[] s_teams = ["Team A", "Team B", "Team C"];

    public static async Task<Result> RunAsync(string folder, BenchmarkSizes sizes)
    {
        var pairs = new List<(IngestBenchmark.Result, IngestBenchmark.Result)>();
        long routed = 0;
        for (var round = 1; round <= Rounds; round++)
        {
            Console.WriteLine($"  ingest without routing rules ({round} of {Rounds})...");
            var without = await IngestBenchmark.RunAsync(folder, sizes, $"ingest-unrouted-{round}");
            Console.WriteLine($"  ingest with five routing rules ({round} of {Rounds})...");
            var with = await IngestBenchmark.RunAsync(folder, sizes, $"ingest-routed-{round}", setUp: SetUpFiveRulesAsync);
            pairs.Add((without, with));
            using var connection = BenchmarkData.Open(Path.Combine(folder, $"ingest-routed-{round}.db"));
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM LeadActivities WHERE Kind = 'Assigned'";
            routed = (long)count.ExecuteScalar()!;
        }

        Console.WriteLine($"  apply a rule to {sizes.RoutingApplyLeads:N0} leads already High (generating)...");
        var (applySeconds, applyProblem) = await ApplyAsync(folder, sizes.RoutingApplyLeads);

        Console.WriteLine("  from an event to the rep's My tasks...");
        var visible = await VisibleAsync(folder);
        return new Result(pairs, routed, sizes.RoutingApplyLeads, applySeconds, applyProblem, visible);
    }

    // Three teams of four reps, and five rules: two fire on High, two on Medium, one never matches (Asia Pacific).
    private static async Task SetUpFiveRulesAsync(ServiceProvider services)
    {
        await CreateRepsAsync(services);
        await services.GetRequiredService<RoutingRuleService>().SaveAsync(new RoutingRuleList
        {
            Rules =
            [
                Rule("Hot software Europe", "High", "Team A", ("industry", "Software"), ("region", "Europe")),
                Rule("Hot Asia", "High", "Team B", ("region", "Asia Pacific")),
                Rule("Hot anywhere", "High", "Team C"),
                Rule("Warm Europe", "Medium", "Team B", ("region", "Europe")),
                Rule("Warm anywhere", "Medium", "Team A"),
            ],
        }, "benchmark");
    }

    private static async Task CreateRepsAsync(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        await users.EnsureRolesAsync();
        foreach (var team in s_teams)
        {
            for (var r = 1; r <= 4; r++)
            {
                await users.CreateAsync($"rep{r}.{team.Replace(' ', '.').ToLowerInvariant()}@bench.test", "Bench!Pass1", Roles.Sales, [team]);
            }
        }
    }

    private static RoutingRuleDefinition Rule(string name, string level, string team, params (string Field, string Value)[] conditions) => new()
    {
        Name = name,
        Trigger = new RoutingTriggerDefinition { IntentLevel = level },
        Conditions = [.. conditions.Select(c => new RoutingConditionDefinition { Field = c.Field, Operator = "equals", Value = JsonSerializer.SerializeToElement(c.Value) })],
        Assign = new RoutingAssignDefinition { Mode = RoutingAssignDefinition.RoundRobinMode, Team = team },
        Task = new RoutingTaskDefinition { DueAfterMinutes = 240, GraceMinutes = 60, MaxReclaims = 2 },
        MinIntervalDays = 7,
    };

    // Leads already High, a rule saved over them, applied in the background job's batches; every lead routed once.
    private static async Task<(double Seconds, string? Problem)> ApplyAsync(string folder, int leads)
    {
        var path = Path.Combine(folder, "routing-apply.db");
        await using var services = await BenchmarkData.NewDatabaseAsync(path);
        await BenchmarkData.PublishAsync(services, BenchmarkData.RuleSet(10));
        SqliteConnection.ClearAllPools();
        BenchmarkData.InsertLeads(path, leads, _ => 150);
        await CreateRepsAsync(services);
        var routing = services.GetRequiredService<RoutingRuleService>();
        await routing.SaveAsync(new RoutingRuleList { Rules = [Rule("Hot anywhere", "High", "Team A")] }, "benchmark");

        var watch = Stopwatch.StartNew();
        await routing.StartApplyAsync("Hot anywhere", "benchmark");
        await services.GetRequiredService<RoutingApply>().RunAsync();
        var seconds = watch.Elapsed.TotalSeconds;

        await using var db = await services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();
        var owned = await db.Leads.CountAsync(l => l.OwnerId != null);
        var tasks = await db.FollowUpTasks.CountAsync();
        var perRep = await db.FollowUpTasks.GroupBy(t => t.AssigneeId).Select(g => g.Count()).ToListAsync();
        var problem = owned != leads || tasks != leads
            ? $"{owned:N0} leads owned and {tasks:N0} tasks for {leads:N0} leads"
            : perRep.Max() - perRep.Min() > 1 ? $"turns uneven: {string.Join(", ", perRep)} tasks per rep" : null;
        return (seconds, problem);
    }

    // Per event: from handing it to the ledger to the rep's My tasks query (what the page runs when told) returning the task.
    private static async Task<IReadOnlyList<double>> VisibleAsync(string folder)
    {
        var path = Path.Combine(folder, "routing-visible.db");
        await using var services = await BenchmarkData.NewDatabaseAsync(path);
        await BenchmarkData.PublishAsync(services, new Core.Engine.RuleSetDefinition
        {
            Name = "Visible",
            ApiName = "visible__c",
            IntentField = IntentFieldDefinition.Default,
            Rules = [new RuleDefinition { Name = "Demo request", Behavior = "form.submit", Points = 120 }],
        });
        await CreateRepsAsync(services);
        await services.GetRequiredService<RoutingRuleService>().SaveAsync(new RoutingRuleList { Rules = [Rule("Hot anywhere", "High", "Team A") with { MinIntervalDays = 0 }] }, "benchmark");
        await using var db = await services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();
        var reps = await db.Users.Where(u => u.Email!.EndsWith(".team.a@bench.test")).Select(u => u.Id).ToListAsync();
        var followUps = services.GetRequiredService<FollowUps>();
        var signals = services.GetRequiredService<UserSignals>();
        var ledger = services.GetRequiredService<Ledger>();
        var leads = services.GetRequiredService<LeadCommands>();

        var seen = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            var leadId = (await leads.CreateAsync(new LeadInput { Name = $"Visible {i}" }, LeadAccess.All)).Id;
            var arrived = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
            var watch = new Stopwatch();
            var subscriptions = reps.Select(rep => signals.Subscribe(rep, async () =>
            {
                var tasks = await followUps.ListAsync(new TaskQuery(AssigneeId: rep, Limit: 200), LeadAccess.All);
                if (tasks.Any(t => t.LeadId == leadId))
                {
                    arrived.TrySetResult(watch.Elapsed.TotalMilliseconds);
                }
            })).ToList();
            var now = DateTime.UtcNow;
            var behavior = EventReader.Read(JsonSerializer.SerializeToElement(new { eventId = $"visible-{i}", behavior = "form.submit", leadId }, CoreJson.Options), now, BehaviorCatalog.BuiltInOnly).Behavior!;
            watch.Start();
            await ledger.IngestAsync([behavior]);
            seen.Add(await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10)));
            subscriptions.ForEach(s => s.Dispose());
        }
        seen.Sort();
        return seen;
    }
}
