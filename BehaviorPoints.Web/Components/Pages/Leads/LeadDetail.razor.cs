using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace BehaviorPoints.Web.Components.Pages.Leads;

/// <summary>
/// One lead: its fields, the Behavior Points total (which opens the entry drawer) and the total over time. While the page
/// is open, scoring for this lead updates it live through <see cref="ScoreNotifications"/> over the circuit.
/// </summary>
public partial class LeadDetail : IDisposable
{
    private const int ChartDays = 90;

    private LeadView? _lead;
    private LeadAccess? _access;
    private IReadOnlyList<string> _levels = [];
    private IReadOnlyList<DailyTotal> _dailyTotals = [];
    private IDisposable? _subscription;
    private bool _loaded;
    private bool _canEdit;
    private bool _showSuperseded;
    private bool _drawerOpen;
    private int _revision;
    private string _userName = "";

    [Parameter] public long Id { get; set; }

    [Inject] private LeadService LeadService { get; set; } = default!;
    [Inject] private CurrentLeadAccess CurrentAccess { get; set; } = default!;
    [Inject] private ScoreNotifications Notifications { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _access = await CurrentAccess.GetAsync();
        _userName = (await Authentication).User.Identity?.Name ?? "unknown";
        _levels = await LeadService.IntentLevelsAsync();
        await LoadLeadAsync();
        _loaded = true;

        _subscription?.Dispose();
        _subscription = _lead is null ? null : Notifications.Subscribe(Id, OnScoreChangedAsync);
    }

    private async Task LoadLeadAsync()
    {
        _lead = await LeadService.FindAsync(Id, _access!);
        _canEdit = _lead is not null && _access!.CanEdit(_lead.TeamId);
        _dailyTotals = _lead is null ? [] : await LeadService.GetDailyTotalsAsync(Id, _access!, ChartDays);
    }

    private async Task ReloadAsync()
    {
        await LoadLeadAsync();
        _revision++;
    }

    // Called by the ledger's thread: hop onto the circuit's context, and report failures to the circuit.
    private Task OnScoreChangedAsync(LeadScoreChanged change) => InvokeAsync(async () =>
    {
        try
        {
            await ReloadAsync();
            StateHasChanged();
        }
        catch (Exception exception)
        {
            await DispatchExceptionAsync(exception);
        }
    });

    private async Task EditAsync()
    {
        if (await LeadEditDialog.ShowAsync(Dialogs, _lead, _access!) is not null)
        {
            await ReloadAsync();
        }
    }

    public void Dispose() => _subscription?.Dispose();
}
