using System.Globalization;

namespace BehaviorPoints.Core.Engine;

/// <summary>The calendar period (UTC) a rule limit counts in.</summary>
public enum LimitPeriod
{
    Day,
    Week,
    Month,
    Ever,
}

/// <summary>Parsing of limit periods and the key of the period that holds a moment.</summary>
public static class LimitPeriods
{
    public static IReadOnlyList<string> Codes { get; } = ["day", "week", "month", "ever"];

    public static bool TryParse(string? code, out LimitPeriod period)
    {
        switch (code)
        {
            case "day": period = LimitPeriod.Day; return true;
            case "week": period = LimitPeriod.Week; return true;
            case "month": period = LimitPeriod.Month; return true;
            case "ever": period = LimitPeriod.Ever; return true;
            default: period = default; return false;
        }
    }

    /// <summary>
    /// The key of the period that holds <paramref name="occurredAtUtc"/>: <c>2026-11-20</c>, <c>2026-W47</c> (ISO week,
    /// Monday first), <c>2026-11</c> or <c>ever</c>.
    /// </summary>
    public static string KeyFor(this LimitPeriod period, DateTime occurredAtUtc) => period switch
    {
        LimitPeriod.Day => occurredAtUtc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        LimitPeriod.Week => string.Create(CultureInfo.InvariantCulture,
            $"{ISOWeek.GetYear(occurredAtUtc)}-W{ISOWeek.GetWeekOfYear(occurredAtUtc):00}"),
        LimitPeriod.Month => occurredAtUtc.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => "ever",
    };
}
