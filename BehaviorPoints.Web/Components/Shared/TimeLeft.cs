using BehaviorPoints.Core;
using Microsoft.Extensions.Localization;

namespace BehaviorPoints.Web.Components.Shared;

/// <summary>Time left of a background job, as its progress bar says it: "3 min", "40 s"; null until there is a pace.</summary>
internal static class TimeLeft
{
    public static string? Of(JobProgress progress, TimeProvider clock, IStringLocalizer l) =>
        progress.Remaining(clock.GetUtcNow().UtcDateTime) is { } left ? Format(left, l) : null;

    private static string Format(TimeSpan left, IStringLocalizer l) =>
        left.TotalMinutes >= 1 ? l["{0} min", Math.Ceiling(left.TotalMinutes)] : l["{0} s", Math.Max(1, Math.Ceiling(left.TotalSeconds))];
}
