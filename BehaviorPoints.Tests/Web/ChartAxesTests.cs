using BehaviorPoints.Web.Components.Shared;

namespace BehaviorPoints.Tests.Web;

public sealed class ChartAxesTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 1)]
    [InlineData(6, 1)]
    [InlineData(7, 2)]
    [InlineData(100, 20)]
    [InlineData(900, 200)]
    [InlineData(1_234_567, 500_000)]
    public void The_step_is_round_and_leaves_at_most_eight_ticks(double max, int step)
    {
        Assert.Equal(step, ChartAxes.Step(max));
        var ticks = (int)Math.Ceiling(max / step) + 1;
        Assert.InRange(ticks, 1, ChartAxes.MaxTicks);
    }

    [Fact]
    public void Thirteen_weekly_labels_keep_every_second_evenly_spaced()
    {
        var labels = Enumerable.Range(0, 13).Select(i => $"w{i}").ToArray();

        var thinned = ChartAxes.Thin(labels);

        Assert.Equal(13, thinned.Length);
        Assert.Equal(["w0", "w2", "w4", "w6", "w8", "w10", "w12"], thinned.Where(l => l != ""));
    }

    [Fact]
    public void Eight_labels_or_fewer_all_show()
    {
        string[] labels = ["Low", "Medium", "High"];

        Assert.Equal(labels, ChartAxes.Thin(labels));
    }
}
