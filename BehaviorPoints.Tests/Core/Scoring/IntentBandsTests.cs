using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Tests.Core.Scoring;

public sealed class IntentBandsTests
{
    [Theory]
    [InlineData(-1000, "Low")]
    [InlineData(-1, "Low")]
    [InlineData(0, "Low")]
    [InlineData(49, "Low")]
    [InlineData(50, "Medium")]
    [InlineData(100, "Medium")]
    [InlineData(101, "High")]
    [InlineData(1_000_000, "High")]
    public void The_default_bands_bucket_totals_as_the_spec_says(long total, string level)
    {
        Assert.Equal(level, IntentBands.Default.LevelOf(total));
    }

    [Fact]
    public void Options_given_out_of_order_are_sorted_by_range()
    {
        var bands = IntentBands.From(new IntentFieldDefinition
        {
            Name = "Heat",
            Options = [new() { Label = "Hot", Min = 10 }, new() { Label = "Cold", Max = 9 }],
        });

        Assert.Equal(["Cold", "Hot"], bands.Options.Select(o => o.Label));
        Assert.Equal("Cold", bands.LevelOf(9));
        Assert.Equal("Hot", bands.LevelOf(10));
    }

    [Fact]
    public void A_gap_is_named_with_the_totals_it_leaves_out()
    {
        var problems = IntentBands.CoverageProblems(
        [
            new() { Label = "Low", Max = 49 },
            new() { Label = "Medium", Min = 60, Max = 100 },
            new() { Label = "High", Min = 101 },
        ]);

        Assert.Equal("Gap: totals 50 to 59 fall in no option (between 'Low' and 'Medium').", Assert.Single(problems).Message);
    }

    [Fact]
    public void An_overlap_is_named_with_the_totals_in_both_options()
    {
        var problems = IntentBands.CoverageProblems(
        [
            new() { Label = "Low", Max = 50 },
            new() { Label = "Medium", Min = 50, Max = 100 },
            new() { Label = "High", Min = 101 },
        ]);

        Assert.Equal("Overlap: the total 50 falls in both 'Low' and 'Medium'.", Assert.Single(problems).Message);
    }

    [Fact]
    public void Open_ends_are_required_at_both_ends()
    {
        var problems = IntentBands.CoverageProblems([new() { Label = "Only", Min = 0, Max = 10 }]);

        Assert.Equal(
            ["Gap: totals below 0 fall in no option (give the lowest option no minimum).",
             "Gap: totals above 10 fall in no option (give the highest option no maximum)."],
            problems.Select(p => p.Message));
    }

    [Fact]
    public void Bands_with_a_gap_cannot_be_built()
    {
        Assert.Throws<ArgumentException>(() => IntentBands.From(new IntentFieldDefinition
        {
            Name = "Broken",
            Options = [new() { Label = "Low", Max = 10 }, new() { Label = "High", Min = 20 }],
        }));
    }
}
