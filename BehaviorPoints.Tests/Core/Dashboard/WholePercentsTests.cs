using BehaviorPoints.Core.Dashboard;

namespace BehaviorPoints.Tests.Core.Dashboard;

public sealed class WholePercentsTests
{
    [Theory]
    [InlineData(new long[] { 1, 1, 1 }, new[] { 34, 33, 33 })]
    [InlineData(new long[] { 6, 3, 1 }, new[] { 60, 30, 10 })]
    [InlineData(new long[] { 2, 2, 2, 1 }, new[] { 29, 29, 28, 14 })]
    [InlineData(new long[] { 0, 5, 0 }, new[] { 0, 100, 0 })]
    [InlineData(new long[] { 0, 0 }, new[] { 0, 0 })]
    [InlineData(new long[] { 1, 998, 1 }, new[] { 0, 100, 0 })]
    public void Shares_are_whole_percentages_that_add_up_to_a_hundred(long[] counts, int[] expected)
    {
        Assert.Equal(expected, WholePercents.Of(counts));
    }

    [Fact]
    public void Any_nonzero_counts_add_up_to_exactly_a_hundred()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 500; trial++)
        {
            var counts = Enumerable.Range(0, random.Next(1, 8)).Select(_ => (long)random.Next(0, 1000)).ToArray();
            if (counts.Sum() == 0)
            {
                continue;
            }
            Assert.Equal(100, WholePercents.Of(counts).Sum());
        }
    }
}
