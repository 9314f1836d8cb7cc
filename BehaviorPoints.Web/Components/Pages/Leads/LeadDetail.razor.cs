using BehaviorPoints.Core;
using BehaviorPoints.Core.Accounts;
using System.Security.Claims;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Web.Components.Shared;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using MudBlazor;

namespace BehaviorPoints.Web.Components.Pages.Leads;

/// <summary>
/// One lead: its fields, the Behavior Points total (which opens the entry drawer) and the total over time. While the page
/// is open, scoring for this lead updates it live through <see cref="ScoreNotifications"/> over the circuit: each
/// notification carries the new total and level, shown at once; the entries and the chart, which need the database,
/// refresh at most once per <see cref="RefreshInterval"/> however many batches land.
/// </summary>
public partial class LeadDetail : IDisposable
{
    private const int ChartDays = 90;

    /// <summary>The longest the entry list and chart lag behind a burst of notifications.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    private LeadView? _lead;
    private LeadAccess? _access;
    private IReadOnlyList<string> _levels = [];
    private IReadOnlyList<DailyTotal> _dailyTotals = [];
    private FadingSoon? _fadingSoon;
    private LeadFunnelView? _funnel;
    private EntryFilter? _entryFilter;
    private IDisposable? _subscription;
    private Coalescer? _refresh;
    private long _newestEntryShown;
    private bool _loaded;
    private bool _canEdit;
    private bool _showSuperseded;
    private bool _drawerOpen;
    private bool _focusDrawer;
    private int _revision;
    private string _userName = "";
    private Actor? _actor;

    [Parameter] public long Id { get; set; }

    /// <summary>True on a phone-sized screen: the entry drawer takes the whole width.</summary>
    [CascadingParameter(Name = "Phone")] private bool Phone { get; set; }

    [Inject] private LeadQueries LeadQueries { get; set; } = default!;
    [Inject] private ScoreHistory ScoreHistory { get; set; } = default!;
    [Inject] private LeadFunnelQueries FunnelQueries { get; set; } = default!;
    [Inject] private LeadCommands LeadCommands { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private CurrentLeadAccess CurrentAccess { get; set; } = default!;
    [Inject] private ScoreNotifications Notifications { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _access = await CurrentAccess.GetAsync();
        var user = (await Authentication).User;
        _userName = user.Identity?.Name ?? "unknown";
        _actor = new Actor(user.FindFirstValue(ClaimTypes.NameIdentifier), _userName, _access);
        _levels = await LeadQueries.IntentLevelsAsync();
        await LoadLeadAsync();
        _loaded = true;

        _refresh ??= new Coalescer(Clock, RefreshInterval, () => InvokeAsync(RefreshAsync));
        _subscription?.Dispose();
        _subscription = _lead is null ? null : Notifications.Subscribe(Id, OnScoreChangedAsync);
    }

    private async Task LoadLeadAsync()
    {
        _lead = await LeadQueries.FindAsync(Id, _access!);
        _canEdit = _lead is not null && _access!.CanEdit(_lead.TeamId);
        if (_lead is not null)
        {
            await LoadScoreHistoryAsync();
        }
    }

    // The chart of the total and what fades this week: both follow the entries.
    private async Task LoadScoreHistoryAsync()
    {
        _dailyTotals = await ScoreHistory.GetDailyTotalsAsync(Id, _access!, ChartDays);
        _fadingSoon = await ScoreHistory.GetFadingSoonAsync(Id, _access!);
        _funnel = await FunnelQueries.GetAsync(Id, _access!);
    }

    // The drawer on every entry, or on the entries behind one number (a category's score, a stage's points).
    private void ShowEntries(EntryFilter? filter)
    {
        _entryFilter = filter;
        _focusDrawer = !_drawerOpen;
        _drawerOpen = true;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_focusDrawer)
        {
            _focusDrawer = false;
            await JS.InvokeVoidAsync("behaviorPoints.focusPanel", "[data-drawer-focus]");
        }
    }

    private async Task CloseDrawerAsync()
    {
        if (_drawerOpen)
        {
            _drawerOpen = false;
            await JS.InvokeVoidAsync("behaviorPoints.returnFocus");
        }
    }

    // The overlay clicked: MudBlazor closes the drawer and says so.
    private async Task DrawerOpenChangedAsync(bool open)
    {
        if (!open)
        {
            await CloseDrawerAsync();
        }
    }

    private async Task DrawerKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Escape")
        {
            await CloseDrawerAsync();
        }
    }

    private string FilterKey => _entryFilter switch
    {
        { Category: { } category } => "category:" + category,
        { StageVisit: { } visit } => "stage:" + visit,
        _ => "",
    };

    private void SelectFilter(string? key) => _entryFilter = key switch
    {
        null or "" => null,
        _ when key.StartsWith("category:", StringComparison.Ordinal) => new EntryFilter(Category: key["category:".Length..]),
        _ => _entryFilter,
    };

    private string StageOfVisit(int visit) =>
        _funnel?.Path.Concat([_funnel.Current]).FirstOrDefault(v => v.Visit == visit)?.Stage ?? L["a stage"];

    private string FilterDescription => _entryFilter switch
    {
        { Category: { } category } => L["Only the entries for {0}: they add up to its score.", category],
        { StageVisit: { } visit } => L["Only the entries written while the lead was in {0}.", StageOfVisit(visit)],
        _ => "",
    };

    private async Task MoveStageAsync(string stage)
    {
        try
        {
            if (await LeadCommands.MoveStageAsync(Id, stage, _userName, _access!) is { } moved)
            {
                Snackbar.Add(L["Moved to {0}.", moved.Stage], Severity.Success);
                await ReloadAsync();
            }
        }
        catch (Exception exception) when (exception is ValidationFailedException or NotAllowedException)
        {
            Snackbar.Add(exception.Message, Severity.Error);
        }
    }

    private async Task ReloadAsync()
    {
        await LoadLeadAsync();
        _revision++;
    }

    // Called by the ledger's thread: show what the notification carries at once, and ask for one coalesced refresh of
    // what it does not (entries, chart); a change this page made itself and showed already is skipped.
    private Task OnScoreChangedAsync(LeadScoreChanged change) => InvokeAsync(() =>
    {
        if (_lead is null || change.NewestEntryId is { } newest && newest <= _newestEntryShown)
        {
            return;
        }
        Show(change.Total, change.IntentLevel, change.NewestEntryId);
        StateHasChanged();
    });

    // The manual adjustment form's own change: shown from its answer, so the notification that follows is skipped.
    private void OnAdjusted(ManualAdjustment adjustment) => Show(adjustment.Total, adjustment.IntentLevel, adjustment.Entry.Id);

    private void Show(long total, string? level, long? newestEntryId)
    {
        _lead = _lead! with { BehaviorPoints = total, IntentLevel = level };
        _newestEntryShown = Math.Max(_newestEntryShown, newestEntryId ?? 0);
        _refresh?.Request();
    }

    private async Task RefreshAsync()
    {
        try
        {
            if (_lead is not null)
            {
                // The owner may have changed with the score (routing acts in the same transaction).
                _lead = await LeadQueries.FindAsync(Id, _access!) ?? _lead;
                await LoadScoreHistoryAsync();
                _revision++;
                StateHasChanged();
            }
        }
        catch (Exception exception)
        {
            await DispatchExceptionAsync(exception);
        }
    }

    private async Task EditAsync()
    {
        if (await LeadEditDialog.ShowAsync(Dialogs, _lead, _access!) is not null)
        {
            await ReloadAsync();
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _refresh?.Dispose();
    }
}
