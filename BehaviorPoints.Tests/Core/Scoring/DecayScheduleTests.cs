using BehaviorPoints.Core.Engine;
using CsCheck;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Scoring;

/// <summary>The arithmetic of fading (SPEC §9), as plain functions: no database, no clock.</summary>
public sealed class DecayScheduleTests
{
    private static readonly DateTime s_at = new(2026, 11, 1, 9, 30, 15, DateTimeKind.Utc);

    private static DecaySchedule Schedule(params (int Days, int Keep)[] steps) =>
        DecaySchedule.Of(new DecayDefinition { Steps = [.. steps.Select(s => new DecayStepDefinition { AfterDays = s.Days, KeepPercent = s.Keep })] })!;

    [Fact]
    public void Five_points_that_halve_after_30_days_and_are_gone_after_90_fade_by_2_then_3()
    {
        var steps = Schedule((30, 50), (90, 0)).For(5, s_at).ToList();

        Assert.Equal([new DecayStep(1, s_at.AddDays(30), -2, 3), new DecayStep(2, s_at.AddDays(90), -3, 0)], steps);
    }

    [Fact]
    public void Negative_points_fade_toward_zero_the_same_way()
    {
        var steps = Schedule((30, 50), (90, 0)).For(-20, s_at).ToList();

        Assert.Equal([10, 10], steps.Select(s => s.Points));
        Assert.Equal([-10, 0], steps.Select(s => s.Kept));
    }

    [Theory]
    [InlineData(3, 50, 2)]    // 1.5 rounds away from zero
    [InlineData(-3, 50, -2)]
    [InlineData(5, 10, 1)]    // 0.5
    [InlineData(7, 33, 2)]    // 2.31
    [InlineData(10000, 99, 9900)]
    public void What_an_entry_keeps_rounds_half_away_from_zero(int points, int keep, int kept)
    {
        Assert.Equal(kept, DecaySchedule.Kept(points, keep));
    }

    [Fact]
    public void A_step_whose_rounding_keeps_what_the_last_kept_writes_nothing()
    {
        // +1 keeps round(0.5) = 1 after the first step: nothing to write until it is gone.
        var steps = Schedule((30, 50), (90, 0)).For(1, s_at).ToList();

        Assert.Equal([new DecayStep(2, s_at.AddDays(90), -1, 0)], steps);
    }

    [Fact]
    public void Steps_are_due_to_the_second_after_the_behavior()
    {
        var step = Schedule((1, 0)).For(4, s_at).Single();

        Assert.Equal(new DateTime(2026, 11, 2, 9, 30, 15, DateTimeKind.Utc), step.DueAt);
    }

    [Fact]
    public void A_rule_without_a_schedule_compiles_to_no_fading()
    {
        Assert.Null(Compiled(Rule("View", "content.view", 5)).For("content.view")!.Rules[0].Decay);
        Assert.NotNull(Compiled(Rule("View", "content.view", 5) with { Decay = new() { Steps = [new() { AfterDays = 3, KeepPercent = 0 }] } })
            .For("content.view")!.Rules[0].Decay);
    }

    // Any valid schedule and any points: the entry and its decays sum to what the last step keeps, each decay moves the
    // value, the due times increase, and the value never crosses zero or grows.
    [Fact]
    public void An_entry_and_its_decays_always_sum_to_the_kept_value()
    {
        var schedules = Gen.Int[1, 5].SelectMany(count => Gen.Int[1, 3650].Array[count].Select(days => days.Distinct().Order().ToArray()))
            .SelectMany(days => Gen.Int[0, 99].Array[days.Length].Select(keeps => keeps.Distinct().OrderDescending().ToArray())
                .Select(keeps => days.Take(keeps.Length).Zip(keeps).ToArray()));
        var points = Gen.Int[-10000, 10000].Where(p => p != 0);

        Gen.Select(schedules, points).Sample(pair =>
        {
            var (steps, p) = pair;
            var schedule = Schedule(steps);
            var written = schedule.For(p, s_at).ToList();
            var kept = DecaySchedule.Kept(p, steps[^1].Item2);
            Assert.Equal(kept, p + written.Sum(s => s.Points));
            Assert.All(written, s => Assert.NotEqual(0, s.Points));
            Assert.True(written.Zip(written.Skip(1)).All(w => w.First.DueAt < w.Second.DueAt));
            var value = p;
            foreach (var step in written)
            {
                value += step.Points;
                Assert.Equal(step.Kept, value);
                Assert.True(Math.Abs(value) <= Math.Abs(p) && (value == 0 || Math.Sign(value) == Math.Sign(p)));
            }
        }, iter: 2_000);
    }
}
