using System.Globalization;
using BehaviorPoints.Core.Leads;
using Microsoft.AspNetCore.WebUtilities;

namespace BehaviorPoints.Web.Components.Pages.Leads;

/// <summary>
/// The lead list's filter as it lives in the URL (<c>?q=&amp;level=&amp;fit=&amp;team=&amp;min=&amp;max=</c>), so a
/// filtered list can be shared and the dashboard's grid can link to one cell.
/// </summary>
public sealed record LeadFilter(string? Search = null, string? Level = null, long? MinScore = null, long? MaxScore = null, string? Fit = null, int? TeamId = null)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Search) && Level is null && MinScore is null && MaxScore is null && Fit is null && TeamId is null;

    public static LeadFilter FromQuery(string? search, string? level, string? min, string? max, string? fit = null, string? team = null) => new(
        string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
        string.IsNullOrWhiteSpace(level) ? null : level,
        long.TryParse(min, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minScore) ? minScore : null,
        long.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out var maxScore) ? maxScore : null,
        string.IsNullOrWhiteSpace(fit) ? null : fit,
        int.TryParse(team, NumberStyles.Integer, CultureInfo.InvariantCulture, out var teamId) ? teamId : null);

    /// <summary>The query string for this filter (without the leading '?'), empty when there is no filter.</summary>
    public string ToQueryString()
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = Search,
            ["level"] = Level,
            ["fit"] = Fit,
            ["team"] = TeamId?.ToString(CultureInfo.InvariantCulture),
            ["min"] = MinScore?.ToString(CultureInfo.InvariantCulture),
            ["max"] = MaxScore?.ToString(CultureInfo.InvariantCulture),
        };
        return QueryHelpers.AddQueryString("", query.Where(p => p.Value is not null)!).TrimStart('?');
    }

    public LeadQuery ToQuery(LeadSort sort, int offset, int limit) => new()
    {
        Search = Search,
        IntentLevel = Level,
        FitLevel = Fit,
        TeamId = TeamId,
        MinScore = MinScore,
        MaxScore = MaxScore,
        Sort = sort,
        Offset = offset,
        Limit = limit,
    };
}
