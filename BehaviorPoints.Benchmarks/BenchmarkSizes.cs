using System.Globalization;

namespace BehaviorPoints.Benchmarks;

/// <summary>How big each run is. <c>--quick</c> (the default) finishes in about two minutes; <c>--full</c> uses the sizes.</summary>
internal sealed record BenchmarkSizes
{
    public int IngestLeads { get; init; } = 20_000;
    public int IngestEvents { get; init; } = 60_000;
    public int IngestRules { get; init; } = 50;
    public int BatchSize { get; init; } = 1_000;
    public int Senders { get; init; } = 2;
    public int LatencySeconds { get; init; } = 6;
    public int LatencyClients { get; init; } = 16;
    public int LatencyEventsPerSecond { get; init; } = 500;
    public int LeadPageEntries { get; init; } = 10_000;
    public int QueryLeads { get; init; } = 100_000;
    public int QueryEntries { get; init; } = 1_000_000;
    public int CeilingRows { get; init; } = 300_000;
    public int PreviewBehaviors { get; init; } = 100_000;
    public int ImportRows { get; init; } = 100_000;
    public bool Engine { get; init; } = true;

    /// <summary>Overdue decay steps the worker writes alone, and the backlog the app catches up while ingest is measured.</summary>
    public int DecayWorkerSteps { get; init; } = 200_000;
    public int DecayBacklogSteps { get; init; } = 1_000_000;

    /// <summary>The fading figures; off with <c>--queries-only</c>, <c>--engine-only</c>, <c>--ingest-only</c>; alone with <c>--decay-only</c>.</summary>
    public bool Decay { get; init; } = true;

    /// <summary>
    /// The categories-and-stages figures (ingest with and without them, the category filter over <see cref="FunnelLeads"/>
    /// leads); off with the other <c>--*-only</c> switches, alone with <c>--funnel-only</c>.
    /// </summary>
    public bool Funnel { get; init; } = true;
    public int FunnelLeads { get; init; } = 200_000;

    /// <summary>
    /// The routing figures (ingest with and without five routing rules, applying a rule to <see cref="RoutingApplyLeads"/>
    /// leads, an assignment reaching My tasks); off with the other <c>--*-only</c> switches, alone with <c>--routing-only</c>.
    /// </summary>
    public bool Routing { get; init; } = true;
    public int RoutingApplyLeads { get; init; } = 100_000;

    /// <summary>Also run the figures on PostgreSQL (<c>--provider postgresql</c>), beside SQLite's.</summary>
    /// <summary>The webhook figures: deliveries per second, ingest with an endpoint subscribed, commit to receiver.</summary>
    public bool Webhooks { get; init; } = true;

    public bool PostgreSql { get; init; }

    /// <summary>
    /// The prediction figures (SPEC §13): the score-quality report on a cohort of <see cref="PredictiveCohort"/> closed
    /// leads, training on <see cref="PredictiveTrainLeads"/>, refreshing <see cref="PredictiveRefreshLeads"/> open leads
    /// while ingest is measured; alone with <c>--predictive-only</c>.
    /// </summary>
    public bool Predictive { get; init; } = true;

    /// <summary>The website collector's figures; alone with <c>--tracker-only</c>.</summary>
    public bool Tracker { get; init; } = true;
    public int PredictiveCohort { get; init; } = 10_000;
    public int PredictiveTrainLeads { get; init; } = 100_000;
    public int PredictiveRefreshLeads { get; init; } = 200_000;

    /// <summary>A PostgreSQL server to use (<c>--postgres "Host=...;Username=..."</c>); else a throwaway cluster is started.</summary>
    public string? PostgresServer { get; init; }

    /// <summary>The ingest figures (ceiling, batched, latency, memory, correctness); off with <c>--queries-only</c>, <c>--engine-only</c>.</summary>
    public bool Ingest { get; init; } = true;

    /// <summary>The lead page, preview and query figures; off with <c>--engine-only</c>, <c>--ingest-only</c>.</summary>
    public bool Queries { get; init; } = true;

    public static BenchmarkSizes Quick { get; } = new();

    public static BenchmarkSizes Full { get; } = new()
    {
        IngestLeads = 100_000,
        IngestEvents = 300_000,
        LatencySeconds = 20,
        QueryLeads = 1_000_000,
        QueryEntries = 10_000_000,
        CeilingRows = 1_000_000,
        PreviewBehaviors = 1_000_000,
        DecayWorkerSteps = 1_000_000,
        FunnelLeads = 1_000_000,
        PredictiveRefreshLeads = 1_000_000,
    };

    /// <summary>Reads <c>--quick</c>/<c>--full</c> and overrides such as <c>--ingest-events 100000</c> or <c>--no-engine</c>.</summary>
    public static BenchmarkSizes Parse(string[] args)
    {
        var sizes = args.Contains("--full") ? Full : Quick;
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
            string NextText() => args[++i];
            sizes = args[i] switch
            {
                "--ingest-leads" => sizes with { IngestLeads = Next() },
                "--ingest-events" => sizes with { IngestEvents = Next() },
                "--senders" => sizes with { Senders = Next() },
                "--latency-seconds" => sizes with { LatencySeconds = Next() },
                "--query-leads" => sizes with { QueryLeads = Next() },
                "--query-entries" => sizes with { QueryEntries = Next() },
                "--preview-behaviors" => sizes with { PreviewBehaviors = Next() },
                "--import-rows" => sizes with { ImportRows = Next() },
                "--provider" => NextText().ToLowerInvariant() switch
                {
                    "postgresql" or "postgres" => sizes with { PostgreSql = true },
                    "sqlite" => sizes,
                    var other => throw new ArgumentException($"--provider {other}: sqlite or postgresql"),
                },
                "--postgres" => sizes with { PostgreSql = true, PostgresServer = NextText() },
                "--no-engine" => sizes with { Engine = false },
                "--decay-worker-steps" => sizes with { DecayWorkerSteps = Next() },
                "--decay-backlog-steps" => sizes with { DecayBacklogSteps = Next() },
                "--funnel-leads" => sizes with { FunnelLeads = Next() },
                "--routing-apply-leads" => sizes with { RoutingApplyLeads = Next() },
                "--routing-only" => sizes with { Tracker = false, Predictive = false, Engine = false, Queries = false, Ingest = false, Decay = false, Funnel = false, Webhooks = false },
                "--webhooks-only" => sizes with { Tracker = false, Predictive = false, Routing = false, Engine = false, Queries = false, Ingest = false, Decay = false, Funnel = false },
                "--queries-only" => sizes with { Tracker = false, Predictive = false, Routing = false, Engine = false, Ingest = false, Decay = false, Funnel = false, Webhooks = false },
                "--engine-only" => sizes with { Tracker = false, Predictive = false, Routing = false, Ingest = false, Queries = false, Decay = false, Funnel = false, Webhooks = false },
                "--ingest-only" => sizes with { Tracker = false, Predictive = false, Routing = false, Engine = false, Queries = false, Decay = false, Funnel = false, Webhooks = false },
                "--decay-only" => sizes with { Tracker = false, Predictive = false, Routing = false, Engine = false, Queries = false, Ingest = false, Funnel = false, Webhooks = false },
                "--funnel-only" => sizes with { Tracker = false, Predictive = false, Routing = false, Engine = false, Queries = false, Ingest = false, Decay = false, Webhooks = false },
                "--tracker-only" => sizes with { Predictive = false, Routing = false, Engine = false, Queries = false, Ingest = false, Decay = false, Funnel = false, Webhooks = false },
                "--predictive-only" => sizes with { Tracker = false, Routing = false, Engine = false, Queries = false, Ingest = false, Decay = false, Funnel = false, Webhooks = false },
                "--predictive-cohort" => sizes with { PredictiveCohort = Next() },
                "--predictive-train-leads" => sizes with { PredictiveTrainLeads = Next() },
                "--predictive-refresh-leads" => sizes with { PredictiveRefreshLeads = Next() },
                _ => sizes,
            };
        }
        return sizes;
    }
}
