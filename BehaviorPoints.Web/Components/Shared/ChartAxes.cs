using MudBlazor.Charts;

namespace BehaviorPoints.Web.Components.Shared;

/// <summary>
/// Readable axes for MudBlazor's charts: a round step between value ticks (1, 2 or 5 times a power of ten) with at
/// most <see cref="MaxTicks"/> ticks, and at most <see cref="MaxLabels"/> labels along the bottom. The charts are drawn
/// at their real size (<c>MatchBoundsToSize</c>) so their 12-px text is not scaled down with them.
/// </summary>
internal static class ChartAxes
{
    public const int MaxTicks = 8;
    public const int MaxLabels = 8;
    private static readonly int[] s_multiples = [1, 2, 5, 10];

    /// <summary>The step between value ticks for values up to <paramref name="max"/>: whole numbers, never below 1.</summary>
    public static int Step(double max)
    {
        if (!(max > 0))
        {
            return 1;
        }
        // Ticks from 0 to the first multiple of the step at or above max: room for two beyond max / step.
        var rough = max / (MaxTicks - 2);
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = s_multiples.Select(m => m * magnitude).First(candidate => candidate >= rough);
        return (int)Math.Max(1, Math.Ceiling(step));
    }

    /// <summary>Sets the value axis of <paramref name="options"/> for values up to <paramref name="max"/>.</summary>
    public static T WithValueAxis<T>(this T options, double max) where T : IAxisChartOptions
    {
        options.YAxisTicks = Step(max);
        options.MaxNumYAxisTicks = MaxTicks;
        return options;
    }

    /// <summary>The labels with all but every n-th blanked, so that at most <see cref="MaxLabels"/> show, evenly spaced.</summary>
    public static string[] Thin(IReadOnlyList<string> labels)
    {
        var every = Math.Max(1, (int)Math.Ceiling(labels.Count / (double)MaxLabels));
        return labels.Select((label, i) => i % every == 0 ? label : "").ToArray();
    }
}
