using BehaviorPoints.Core.Dashboard;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Shared;
using Bunit;

namespace BehaviorPoints.Tests.Web.Components;

public sealed class IntentLevelCardsTests : MudContext
{
    private static readonly IReadOnlyList<IntentLevelCount> s_levels =
    [
        new("Low", null, 49, 6, 60),
        new("Medium", 50, 100, 3, 30),
        new("High", 101, null, 1, 10),
    ];

    [Fact]
    public void Each_level_shows_its_count_share_and_range()
    {
        var cut = RenderInteractive<IntentLevelCards>(p => p.Add(c => c.Levels, s_levels).Add(c => c.TotalLeads, 10));

        Assert.Equal("6", cut.Find("[data-level=Low] [data-testid=level-count]").TextContent);
        Assert.Equal("1", cut.Find("[data-level=High] [data-testid=level-count]").TextContent);
        Assert.Contains("60% of leads", cut.Find("[data-level=Low]").TextContent);
        Assert.Contains("below 50 points", cut.Find("[data-level=Low]").TextContent);
        Assert.Contains("50 to 100 points", cut.Find("[data-level=Medium]").TextContent);
        Assert.Contains("above 100 points", cut.Find("[data-level=High]").TextContent);
    }

    [Fact]
    public void The_highest_level_is_red_the_lowest_slate_and_the_middle_orange()
    {
        var cut = RenderInteractive<IntentLevelCards>(p => p.Add(c => c.Levels, s_levels).Add(c => c.TotalLeads, 10));

        Assert.Contains("mud-chip-color-error", cut.Find("[data-level=High] .mud-chip").ClassName);
        Assert.Contains("mud-chip-color-warning", cut.Find("[data-level=Medium] .mud-chip").ClassName);
        Assert.Contains("mud-chip-color-dark", cut.Find("[data-level=Low] .mud-chip").ClassName);
    }

    [Fact]
    public void No_leads_shows_zero_shares_rather_than_dividing_by_zero()
    {
        var cut = RenderInteractive<IntentLevelCards>(p => p.Add(c => c.Levels, [new IntentLevelCount("Low", null, null, 0, 0)]).Add(c => c.TotalLeads, 0));

        Assert.Contains("0% of leads", cut.Find("[data-level=Low]").TextContent);
    }
}
