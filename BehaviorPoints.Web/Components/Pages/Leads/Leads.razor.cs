using BehaviorPoints.Web.Urls;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Web.Localization;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BehaviorPoints.Web.Components.Pages.Leads;

/// <summary>The lead list: server-side paging, sorting and filtering, with the filter and the sort kept in the URL.</summary>
public partial class Leads
{
    private MudDataGrid<LeadView>? _grid;
    private LeadAccess? _access;
    private IReadOnlyList<string> _levels = [];
    private IReadOnlyList<string> _categories = [];
    private IReadOnlyList<string> _stages = [];
    private LeadFilter _filter = new();

    /// <summary>True on a phone-sized screen: a compact row per lead (name, points, level) and the filters folded away.</summary>
    [CascadingParameter(Name = "Phone")] private bool Phone { get; set; }

    private bool _showFilters;

    [SupplyParameterFromQuery(Name = "q")] private string? Search { get; set; }
    [SupplyParameterFromQuery(Name = "level")] private string? Level { get; set; }
    [SupplyParameterFromQuery(Name = "min")] private string? Min { get; set; }
    [SupplyParameterFromQuery(Name = "max")] private string? Max { get; set; }
    [SupplyParameterFromQuery(Name = "fit")] private string? Fit { get; set; }
    [SupplyParameterFromQuery(Name = "team")] private string? Team { get; set; }
    [SupplyParameterFromQuery(Name = "category")] private string? Category { get; set; }
    [SupplyParameterFromQuery(Name = "categoryMin")] private string? CategoryMin { get; set; }
    [SupplyParameterFromQuery(Name = "stage")] private string? Stage { get; set; }
    [SupplyParameterFromQuery(Name = "owner")] private string? Owner { get; set; }
    [SupplyParameterFromQuery(Name = "likelihood")] private string? MinLikelihood { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] private string? SortCode { get; set; }

    // The grid's sort as it lives in the URL (?sort=name, -name, ...): by column, "-" for descending; none for the default.
    private static readonly Dictionary<string, (string Column, bool Descending, Func<LeadView, object> By, LeadSort Sort)> s_sorts = new()
    {
        ["name"] = ("Name", false, l => l.Name, LeadSort.NameAsc),
        ["-name"] = ("Name", true, l => l.Name, LeadSort.NameDesc),
        ["company"] = ("Company", false, l => l.Company ?? "", LeadSort.CompanyAsc),
        ["-company"] = ("Company", true, l => l.Company ?? "", LeadSort.CompanyDesc),
        ["activity"] = ("LastActivityAt", false, l => l.LastActivityAt ?? DateTime.MinValue, LeadSort.LastActivityAsc),
        ["-activity"] = ("LastActivityAt", true, l => l.LastActivityAt ?? DateTime.MinValue, LeadSort.LastActivityDesc),
        ["score"] = ("BehaviorPoints", false, l => l.BehaviorPoints, LeadSort.ScoreAsc),
        ["likelihood"] = ("ConversionProbability", false, l => l.ConversionProbability ?? -1, LeadSort.LikelihoodAsc),
        ["-likelihood"] = ("ConversionProbability", true, l => l.ConversionProbability ?? -1, LeadSort.LikelihoodDesc),
    };

    private string? _sort;
    private IReadOnlyList<TeamSummary> _teams = [];
    private string? _userId;

    // A broad search is counted as far as LeadQueries.SearchCountLimit only; then the pager says "of 1,000+".
    private bool _countIsLowerBound;

    private string PagerInfo => _countIsLowerBound ? L["{first_item}-{last_item} of {all_items}+"] : "";

    private string ExportHref => "/leads/export.csv" + (_filter.IsEmpty ? "" : "?" + _filter.ToQueryString());

    protected override async Task OnInitializedAsync()
    {
        _filter = LeadFilter.FromQuery(Search, Level, Min, Max, Fit, Team, Category, CategoryMin, Stage, Owner, MinLikelihood);
        _sort = SortCode is { } code && s_sorts.ContainsKey(code) ? code : null;
        _userId = (await CurrentUser.GetAsync()).Id;
        _access = await CurrentAccess.GetAsync();
        _levels = await LeadQueries.IntentLevelsAsync();
        var (categories, stages) = await LeadQueries.CategoriesAndStagesAsync();
        (_categories, _stages) = ([.. categories.Select(c => c.Name)], [.. stages.Stages.Select(s => s.Name)]);
        var teams = await TeamService.ListAsync();
        _teams = _access.SeesAll ? teams : teams.Where(t => _access.TeamIds.Contains(t.Id)).ToList();
    }

    private async Task<GridData<LeadView>> LoadAsync(GridState<LeadView> state, CancellationToken cancellationToken)
    {
        var definition = state.SortDefinitions.FirstOrDefault();
        var code = definition is null ? null : s_sorts.FirstOrDefault(s => s.Value.Column == definition.SortBy && s.Value.Descending == definition.Descending).Key;
        if (_sortApplied && code != _sort)
        {
            // The sort goes into the URL beside the filter, replacing the history entry.
            _sort = code;
            Navigation.NavigateTo(ListUrl(_filter), replace: true);
        }
        // The category score sorts highest first only; anything else unknown is the default, Behavior Points highest first.
        var sort = code is not null ? s_sorts[code].Sort : definition?.SortBy == "CategoryScore" ? LeadSort.CategoryScoreDesc : LeadSort.ScoreDesc;
        var page = await LeadQueries.ListAsync(_filter.ToQuery(sort, state.Page * state.PageSize, state.PageSize, _userId), _access!, cancellationToken);
        if (page.TotalCountIsLowerBound != _countIsLowerBound)
        {
            _countIsLowerBound = page.TotalCountIsLowerBound;
            await InvokeAsync(StateHasChanged);
        }
        return new GridData<LeadView> { Items = page.Leads, TotalItems = page.TotalCount };
    }

    private Task SetSearch(string? value) => ApplyAsync(_filter with { Search = string.IsNullOrWhiteSpace(value) ? null : value.Trim() });

    private Task SetLevel(string? value) => ApplyAsync(_filter with { Level = value });

    private Task SetFit(string? value) => ApplyAsync(_filter with { Fit = value });

    private Task SetTeam(int? value) => ApplyAsync(_filter with { TeamId = value });

    private Task SetMin(long? value) => ApplyAsync(_filter with { MinScore = value });

    private Task SetCategory(string? value) => ApplyAsync(_filter with { Category = value, MinCategoryScore = value is null ? null : _filter.MinCategoryScore });

    private Task SetMinCategoryScore(long? value) => ApplyAsync(_filter with { MinCategoryScore = value });

    private Task SetStage(string? value) => ApplyAsync(_filter with { Stage = value });

    private Task SetOwner(string? value) => ApplyAsync(_filter with { Owner = value });

    private Task SetMax(long? value) => ApplyAsync(_filter with { MaxScore = value });

    // A likelihood outside 0-100 % stays in the field with an error, and the list keeps its filter.
    private int? _typedLikelihood;

    private Task SetMinLikelihood(int? value)
    {
        _typedLikelihood = value is < 0 or > 100 ? value : null;
        return _typedLikelihood is null ? ApplyAsync(_filter with { MinLikelihood = value }) : Task.CompletedTask;
    }

    private Task ClearFilter() => ApplyAsync(new LeadFilter());

    private bool _sortApplied;

    // The sort from the URL, once the grid exists; until then the grid's own default does not overwrite the URL's.
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_grid is not null && !_sortApplied)
        {
            _sortApplied = true;
            if (_sort is { } code)
            {
                var (column, descending, by, _) = s_sorts[code];
                await _grid.SetSortAsync(column, descending ? SortDirection.Descending : SortDirection.Ascending, by);
            }
        }
    }

    private string ListUrl(LeadFilter filter)
    {
        var query = filter.ToQueryString();
        if (_sort is { } sort)
        {
            query += (query.Length == 0 ? "" : "&") + "sort=" + Uri.EscapeDataString(sort);
        }
        return "/leads" + (query.Length == 0 ? "" : "?" + query);
    }

    // The filter goes into the URL (replacing the history entry), so the list can be shared or bookmarked.
    private async Task ApplyAsync(LeadFilter filter)
    {
        _filter = filter;
        Navigation.NavigateTo(ListUrl(filter), replace: true);
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task CreateAsync()
    {
        if (await LeadEditDialog.ShowAsync(Dialogs, null, _access!) is { } lead)
        {
            Snackbar.Add(L["{0} created.", lead.Name], Severity.Success);
            Navigation.NavigateTo($"/leads/{lead.Id}");
        }
    }

    private async Task ImportAsync()
    {
        var parameters = new DialogParameters<LeadImportDialog> { { d => d.Access, _access! } };
        var dialog = await Dialogs.ShowAsync<LeadImportDialog>(L["Import leads"], parameters, new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: LeadImportResult result })
        {
            Snackbar.Add(L.Count(result.Created, "{0} lead imported.", "{0} leads imported."), Severity.Success);
            if (_grid is not null)
            {
                await _grid.ReloadServerData();
            }
        }
    }

    public void Dispose() => _grid = null;
}
