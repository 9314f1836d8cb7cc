namespace BehaviorPoints.Web.Components.Shared;

/// <summary>Time left of a background job, as a progress bar says it: "3 min", "40 s".</summary>
internal static class TimeLeft
{
    public static string Format(TimeSpan left) =>
        left.TotalMinutes >= 1 ? $"{Math.Ceiling(left.TotalMinutes):0} min" : $"{Math.Max(1, Math.Ceiling(left.TotalSeconds)):0} s";
}
