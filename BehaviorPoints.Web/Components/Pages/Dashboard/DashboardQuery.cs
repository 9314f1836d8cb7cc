using System.Globalization;
using BehaviorPoints.Core.Dashboard;
using Microsoft.AspNetCore.WebUtilities;

namespace BehaviorPoints.Web.Components.Pages.Dashboard;

/// <summary>The dashboard's filter in the URL: <c>?team=3&amp;from=2026-09-01&amp;to=2026-11-23</c>; left out means all teams, last 12 weeks.</summary>
public static class DashboardQuery
{
    private const string DateFormat = "yyyy-MM-dd";

    public static DashboardFilter Parse(int? team, string? from, string? to, DateOnly today)
    {
        var defaults = DashboardFilter.Default(today, team);
        return defaults with
        {
            From = TryDate(from) ?? defaults.From,
            To = TryDate(to) ?? defaults.To,
        };
    }

    /// <summary>The query string (with its '?'), or empty for the default view.</summary>
    public static string ToQueryString(DashboardFilter filter, DateOnly today)
    {
        var defaults = DashboardFilter.Default(today);
        var query = new Dictionary<string, string?>
        {
            ["team"] = filter.TeamId?.ToString(CultureInfo.InvariantCulture),
            ["from"] = filter.From == defaults.From && filter.To == defaults.To ? null : filter.From.ToString(DateFormat, CultureInfo.InvariantCulture),
            ["to"] = filter.From == defaults.From && filter.To == defaults.To ? null : filter.To.ToString(DateFormat, CultureInfo.InvariantCulture),
        };
        return QueryHelpers.AddQueryString("", query.Where(p => p.Value is not null)!);
    }

    private static DateOnly? TryDate(string? text) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
