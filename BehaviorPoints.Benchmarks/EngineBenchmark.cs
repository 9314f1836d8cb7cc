using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Scoring;
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
    }

    [Benchmark]
    public int ScoreOneEvent() => ScoringEngine.Score(_rules, _behavior, _counts).Count;

    /// <summary>Runs in this process (no separate build) and returns the median in nanoseconds and bytes allocated per event.</summary>
    public static (double MedianNs, long BytesPerEvent, int Hits) Run()
    {
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<EngineBenchmark>(config);
        var report = summary.Reports.Single();
        var probe = new EngineBenchmark();
        probe.Setup();
        return (report.ResultStatistics!.Median, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0, probe.ScoreOneEvent());
    }
}
