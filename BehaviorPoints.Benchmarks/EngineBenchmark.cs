using BehaviorPoints.Core.Engine;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace BehaviorPoints.Benchmarks;

/// <summary>The pure engine: one behavior tried against 200 rules of its type (the worst case: all on one type).</summary>
[MemoryDiagnoser]
public class EngineBenchmark
{
    private CompiledRuleSet _rules = null!;
    private BehaviorOccurrence _behavior = null!;
    private readonly LimitCounts _counts = new();
    private readonly LimitCounts _heldCounts = new();

    [GlobalSetup]
    public void Setup()
    {
        _rules = CompiledRuleSet.Compile(BenchmarkData.RuleSet(200, "website.visit"), 1);
        var attributes = BehaviorOccurrence.NewAttributeBag();
        attributes["url"] = AttributeValue.FromText("https://example.com/pricing/enterprise");
        attributes["source"] = AttributeValue.FromText("search");
        attributes["amount"] = AttributeValue.FromNumber(640);
        attributes["contentType"] = AttributeValue.FromText("video");
        attributes["accountId"] = AttributeValue.FromText("sharecrm");
        _behavior = new BehaviorOccurrence("website.visit", new DateTime(2026, 11, 20, 8, 30, 0, DateTimeKind.Utc), attributes);
        // A lead that already used each limited rule once in this behavior's day and month.
        foreach (var rule in _rules.Rules.Where(r => r.LimitTimes is not null))
        {
            _heldCounts.Set(rule, rule.LimitPeriod.KeyFor(_behavior.OccurredAtUtc), 1);
        }
    }

    /// <summary>A lead with no limit counts in the behavior's periods (the common case: the first behavior of a day).</summary>
    [Benchmark]
    public int ScoreOneEvent() => ScoringEngine.Score(_rules, _behavior, _counts).Count;

    /// <summary>A lead with a count for every limited rule in the behavior's periods: every limit is looked up.</summary>
    [Benchmark]
    public int ScoreOneEventWithCounts() => ScoringEngine.Score(_rules, _behavior, _heldCounts).Count;

    /// <summary>Runs in this process (no separate build): medians in nanoseconds (no counts, counts held), bytes per event, hits.</summary>
    public static (double MedianNs, double WithCountsNs, long BytesPerEvent, int Hits) Run()
    {
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<EngineBenchmark>(config);
        var report = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(ScoreOneEvent));
        var withCounts = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(ScoreOneEventWithCounts));
        var probe = new EngineBenchmark();
        probe.Setup();
        return (report.ResultStatistics!.Median, withCounts.ResultStatistics!.Median, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0, probe.ScoreOneEvent());
    }
}
