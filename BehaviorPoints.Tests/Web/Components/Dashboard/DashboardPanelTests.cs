using BehaviorPoints.Core.Dashboard;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Components.Pages.Dashboard;
using Bunit;

namespace BehaviorPoints.Tests.Web.Components.Dashboard;

/// <summary>Each dashboard chart is server-rendered SVG: its bars, lines and labels are asserted here, with its table.</summary>
public sealed class DashboardPanelTests : MudContext
{
    private static readonly IReadOnlyList<IntentLevelRow> s_levels = [new("Low", 6, 0.6, 0, 60), new("Medium", 3, 0.3, 1, 30), new("High", 1, 0.1, 1, 10)];

    [Fact]
    public void Levels_are_a_bar_and_a_donut_in_the_levels_colours_with_titles_and_the_same_numbers_in_a_table_linking_to_the_list()
    {
        var cut = RenderInteractive<LevelsPanel>(p => p.Add(c => c.Levels, s_levels).Add(c => c.TotalLeads, 10).Add(c => c.FieldName, "Intent Level").Add(c => c.TeamId, 7));

        var bar = cut.Find("[data-testid=levels-bar]");
        Assert.Equal(3, bar.QuerySelectorAll("path.mud-chart-bar").Length);
        Assert.Equal(["6", "3", "1"], bar.QuerySelectorAll("text.mud-chart-value-label").Select(t => t.TextContent));
        Assert.Equal("Intent Level", bar.QuerySelector("text.mud-charts-xaxis")!.TextContent);
        Assert.Contains("Leads", bar.QuerySelectorAll("text").Select(t => t.TextContent));
        // Each bar in its level's colour, as the chips and the donut show it, and the legend names the levels.
        Assert.Equal(["#546e7a", "#b34700", "#c62828"], bar.QuerySelectorAll("path.mud-chart-bar").Select(p => p.GetAttribute("stroke")));
        Assert.Equal(["Low", "Medium", "High"], bar.QuerySelectorAll(".mud-chart-legend-item").Select(i => i.TextContent.Trim()));
        var donut = cut.Find("[data-testid=levels-donut]");
        Assert.Equal(3, donut.QuerySelectorAll("path.mud-chart-serie").Length);
        Assert.Equal(["Low", "Medium", "High"], donut.QuerySelectorAll(".mud-chart-legend-item").Select(i => i.TextContent.Trim()));

        Assert.Equal("6", cut.Find("[data-testid=levels-table] tr[data-level=Low] [data-testid=level-leads]").TextContent);
        Assert.Contains("60", cut.Find("[data-testid=levels-table] tr[data-level=Low]").TextContent);
        Assert.Equal("/leads?level=High&team=7", cut.Find("[data-testid=levels-table] tr[data-level=High] a").GetAttribute("href"));
        Assert.Equal("Leads per Intent Level: count and share", cut.Find("[data-testid=levels-table] caption").TextContent);
    }

    [Fact]
    public void Conversion_is_a_bar_per_level_in_percent_with_the_counts_in_the_table()
    {
        var cut = RenderInteractive<ConversionPanel>(p => p.Add(c => c.Levels, s_levels));

        Assert.Equal(["0", "33.3", "100"], cut.FindAll("[data-testid=conversion-bar] text.mud-chart-value-label").Select(t => t.TextContent));
        Assert.Equal("Converted (%)", cut.Find("[data-testid=conversion-bar] text.mud-charts-yaxis").TextContent);
        Assert.Equal("Intent Level", cut.Find("[data-testid=conversion-bar] text.mud-charts-xaxis").TextContent);
        Assert.Equal(["Converted (%)"], cut.FindAll("[data-testid=conversion-bar] .mud-chart-legend-item").Select(i => i.TextContent.Trim()));
        var medium = cut.Find("[data-testid=conversion-table] tr[data-level=Medium]").TextContent;
        Assert.Contains("33.3", medium);
        Assert.Contains("1", medium);
    }

    [Fact]
    public void The_trend_draws_a_line_per_level_over_the_weeks_and_tabulates_them()
    {
        IReadOnlyList<WeeklyLevelEntries> trend =
        [
            new(new DateOnly(2026, 11, 9), new Dictionary<string, int> { ["Low"] = 5, ["High"] = 0 }),
            new(new DateOnly(2026, 11, 16), new Dictionary<string, int> { ["Low"] = 2, ["High"] = 3 }),
        ];
        var cut = RenderInteractive<TrendPanel>(p => p.Add(c => c.Levels, ["Low", "High"]).Add(c => c.Trend, trend));

        var chart = cut.Find("[data-testid=trend-chart]");
        Assert.Equal(2, chart.QuerySelectorAll("path.mud-chart-line").Length);
        Assert.Equal(["Low", "High"], chart.QuerySelectorAll(".mud-chart-legend-item").Select(i => i.TextContent.Trim()));
        var texts = chart.QuerySelectorAll("text").Select(t => t.TextContent).ToList();
        Assert.Contains("Nov 9", texts);
        Assert.Contains("Week starting", texts);
        Assert.Contains("Leads entering", texts);
        var rows = cut.FindAll("[data-testid=trend-table] tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(["Nov 16, 2026", "2", "3"], rows[1]);
    }

    [Fact]
    public void Top_earners_show_bars_and_rows_or_say_that_nothing_was_earned()
    {
        IReadOnlyList<PointsEarned> items = [new("form.submit", "Submits form", "Forms", 180, 3), new("email.open", "Opens email", "Email", 15, 3)];
        var cut = RenderInteractive<TopEarnersPanel>(p => p.Add(c => c.Title, "Behaviors").Add(c => c.Subject, "Behavior").Add(c => c.Items, items).Add(c => c.TestId, "top"));

        Assert.Equal(2, cut.FindAll("[data-testid=top] path.mud-chart-bar").Count);
        Assert.Equal(["180", "15"], cut.FindAll("[data-testid=earned-points]").Select(c => c.TextContent));
        Assert.Contains("Forms", cut.Markup);

        var empty = RenderInteractive<TopEarnersPanel>(p => p.Add(c => c.Title, "Rules").Add(c => c.Subject, "Rule").Add(c => c.Items, []));
        Assert.Contains("No points were earned in this period.", empty.Find("[data-testid=no-points]").TextContent);
        Assert.Empty(empty.FindAll("svg.mud-chart-bar"));
    }

    [Fact]
    public void The_grid_has_a_cell_per_fit_and_intent_pair_linking_to_the_filtered_list()
    {
        var counts = new int[3, 3] { { 4, 2, 9 }, { 1, 1, 1 }, { 7, 0, 3 } };
        var grid = new FitIntentGrid(["High", "Medium", "Low"], ["Low", "Medium", "High"], counts, NotScored: 5);
        var cut = RenderInteractive<FitIntentGridPanel>(p => p.Add(c => c.Grid, grid).Add(c => c.FitPublished, true).Add(c => c.TeamId, 2));

        var cells = cut.FindAll("[data-testid=grid-cell]");
        Assert.Equal(9, cells.Count);
        var topRight = cut.Find("[data-testid=grid-cell][data-fit=High][data-intent=High]");
        Assert.Equal("9", topRight.TextContent);
        Assert.Equal("/leads?level=High&fit=High&team=2", topRight.GetAttribute("href"));
        Assert.Equal("9 leads with High fit and High intent", topRight.GetAttribute("aria-label"));
        Assert.Equal("7", cut.Find("[data-testid=grid-cell][data-fit=Low][data-intent=Low]").TextContent);
        Assert.Contains("5 leads are still being scored", cut.Find("[data-testid=not-scored]").TextContent);
    }

    [Fact]
    public void Without_a_fit_model_the_grid_explains_what_is_missing()
    {
        var grid = new FitIntentGrid(["High", "Medium", "Low"], ["Low", "High"], new int[3, 2], NotScored: 12);
        var cut = RenderInteractive<FitIntentGridPanel>(p => p.Add(c => c.Grid, grid).Add(c => c.FitPublished, false));

        Assert.Contains("No fit model is published yet", cut.Find("[data-testid=no-fit-model]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=grid-cell]"));
    }
}
