using System.Globalization;
using BehaviorPoints.Core.Leads;
using Microsoft.AspNetCore.WebUtilities;

namespace BehaviorPoints.Web.Urls;

/// <summary>
/// The lead list's filter as it lives in the URL (<c>?q=&amp;level=&amp;fit=&amp;team=&amp;min=&amp;max=&amp;category=&amp;categoryMin=&amp;stage=&amp;owner=&amp;likelihood=</c>),
/// so a filtered list can be shared and the dashboard can link to one cell, category or stage.
/// </summary>
public sealed record LeadFilter(
    string? Search = null, string? Level = null, long? MinScore = null, long? MaxScore = null, string? Fit = null, int? TeamId = null,
    string? Category = null, long? MinCategoryScore = null, string? Stage = null, string? Owner = null, int? MinLikelihood = null)
{
    /// <summary><see cref="Owner"/>: leads nobody owns (their team's pool).</summary>
    public const string InPool = "pool";

    /// <summary><see cref="Owner"/>: the signed-in user's leads.</summary>
    public const string Mine = "mine";

    public bool IsEmpty => string.IsNullOrWhiteSpace(Search) && Level is null && MinScore is null && MaxScore is null && Fit is null && TeamId is null
        && Category is null && Stage is null && Owner is null && MinLikelihood is null;

    public static LeadFilter FromQuery(
        string? search, string? level, string? min, string? max, string? fit = null, string? team = null,
        string? category = null, string? categoryMin = null, string? stage = null, string? owner = null, string? likelihood = null) => new(
        string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
        string.IsNullOrWhiteSpace(level) ? null : level,
        Number(min),
        Number(max),
        string.IsNullOrWhiteSpace(fit) ? null : fit,
        int.TryParse(team, NumberStyles.Integer, CultureInfo.InvariantCulture, out var teamId) ? teamId : null,
        string.IsNullOrWhiteSpace(category) ? null : category,
        string.IsNullOrWhiteSpace(category) ? null : Number(categoryMin),
        string.IsNullOrWhiteSpace(stage) ? null : stage,
        owner is InPool or Mine ? owner : null,
        int.TryParse(likelihood, NumberStyles.Integer, CultureInfo.InvariantCulture, out var percent) && percent is >= 0 and <= 100 ? percent : null);

    private static long? Number(string? text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

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
            ["category"] = Category,
            ["categoryMin"] = MinCategoryScore?.ToString(CultureInfo.InvariantCulture),
            ["stage"] = Stage,
            ["owner"] = Owner,
            ["likelihood"] = MinLikelihood?.ToString(CultureInfo.InvariantCulture),
        };
        return QueryHelpers.AddQueryString("", query.Where(p => p.Value is not null)!).TrimStart('?');
    }

    /// <summary>The query for one page; <paramref name="userId"/> is whose leads "mine" means.</summary>
    public LeadQuery ToQuery(LeadSort sort, int offset, int limit, string? userId = null) => new()
    {
        InPool = Owner == InPool,
        OwnerId = Owner == Mine ? userId ?? "" : null,
        Search = Search,
        IntentLevel = Level,
        FitLevel = Fit,
        TeamId = TeamId,
        MinScore = MinScore,
        MaxScore = MaxScore,
        Category = Category,
        MinCategoryScore = MinCategoryScore,
        Stage = Stage,
        MinLikelihood = MinLikelihood / 100.0,
        Sort = sort,
        Offset = offset,
        Limit = limit,
    };
}
