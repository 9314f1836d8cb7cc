using BehaviorPoints.Web.Components.Pages.Dashboard;

namespace BehaviorPoints.Tests.Web.Components.Dashboard;

/// <summary>The fit × intent grid's cells stay readable (WCAG AA, 4.5:1) at every count.</summary>
public sealed class HeatColorsTests
{
    [Fact]
    public void Every_count_of_every_grid_has_text_at_4_5_to_1_or_more_on_its_tint()
    {
        var worst = double.MaxValue;
        foreach (var max in new[] { 1, 2, 3, 7, 10, 44, 100, 1_000 })
        {
            for (var count = 0; count <= max; count++)
            {
                var (background, text) = HeatColors.For(count, max);
                worst = Math.Min(worst, HeatColors.Contrast(HeatColors.Parse(background), HeatColors.Parse(text)));
            }
        }

        Assert.True(worst >= 4.5, $"the worst cell reads at {worst:0.00}:1");
    }

    [Fact]
    public void The_contrast_ratio_is_wcags()
    {
        Assert.Equal(21, HeatColors.Contrast((0, 0, 0), (255, 255, 255)), 2);
        // The colours axe reported on the grid: #424242 on #77a6da.
        Assert.InRange(HeatColors.Contrast(HeatColors.Parse("#424242"), HeatColors.Parse("#77a6da")), 3.93, 3.96);
    }
}
