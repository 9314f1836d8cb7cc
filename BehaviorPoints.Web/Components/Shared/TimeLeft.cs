using BehaviorPoints.Core;

namespace BehaviorPoints.Web.Components.Shared;

/// <summary>Time left of a background job, as its progress bar says it: "3 min", "40 s"; null until there is a pace.</summary>
internal static class TimeLeft
{
    public static string? Of(JobProgress progress, TimeProvider clock) =>
        progress.Remaining(clock.GetUtcNow().UtcDateTime) is { } left ? Format(left) : null;

    private static string Format(TimeSpan left) =>
        left.TotalMinutes >= 1 ? $"{Math.Ceiling(left.TotalMinutes):0} min" : $"{Math.Max(1, Math.Ceiling(left.TotalSeconds)):0} s";
}
