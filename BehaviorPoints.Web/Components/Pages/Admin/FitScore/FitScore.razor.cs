using BehaviorPoints.Core;
using BehaviorPoints.Core.Fit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using BehaviorPoints.Web.Localization;
using MudBlazor;

namespace BehaviorPoints.Web.Components.Pages.Admin.FitScore;

/// <summary>Edits the fit model's draft, publishes it, and shows the background recompute that follows.</summary>
public partial class FitScore
{
    private FitModelDefinition? _draft;
    private IReadOnlyList<FitModelVersionInfo> _versions = [];
    private IReadOnlyList<FieldError> _errors = [];
    private JobProgress? _progress;
    private bool _showFinished;
    private bool _dirty;
    private bool _busy;
    private string? _error;

    [Inject] private FitModelService FitModels { get; set; } = default!;
    [Inject] private FitRecalculation Recalculation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [CascadingParameter] private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> AuthenticationState { get; set; } = default!;

    private string? BandError => _errors.FirstOrDefault(e => e.Field.StartsWith("bands", StringComparison.Ordinal))?.In(L.Words());

    private string StatusText => _dirty ? L["Unsaved changes."]
        : _versions.Count == 0 ? L["Draft saved; not published yet."]
        : L["Version {0} is in force.", _versions[0].Version];

    protected override async Task OnInitializedAsync()
    {
        Recalculation.Changed += OnProgress;
        _progress = Recalculation.Progress;
        _draft = await FitModels.GetDraftAsync();
        _versions = await FitModels.ListVersionsAsync();
        Validate();
    }

    private void OnProgress(JobProgress progress)
    {
        _progress = progress;
        _showFinished = true;
        _ = InvokeAsync(StateHasChanged);
    }

    private string? Eta(JobProgress progress) => Shared.TimeLeft.Of(progress, Clock, L);

    private void Change(FitModelDefinition draft)
    {
        _draft = draft;
        _dirty = true;
        Validate();
    }

    private void Validate() => _errors = _draft is null ? [] : FitModelValidator.Validate(_draft);

    private void SetBands(FitBandsDefinition bands) => Change(_draft! with { Bands = bands });

    private async Task AddRuleAsync()
    {
        if (await FitRuleDialog.ShowAsync(Dialogs, _draft!, null, L) is { } rule)
        {
            Change(_draft! with { Rules = [.. _draft.Rules, rule] });
        }
    }

    private async Task EditRuleAsync(int index)
    {
        if (await FitRuleDialog.ShowAsync(Dialogs, _draft!, index, L) is { } rule)
        {
            var rules = _draft!.Rules.ToList();
            rules[index] = rule;
            Change(_draft with { Rules = rules });
        }
    }

    private void RemoveRule(int index)
    {
        var rules = _draft!.Rules.ToList();
        rules.RemoveAt(index);
        Change(_draft with { Rules = rules });
    }

    private async Task<bool> SaveAsync()
    {
        _busy = true;
        _error = null;
        try
        {
            await FitModels.SaveDraftAsync(_draft!);
            _dirty = false;
            Snackbar.Add(L["Fit model draft saved."], Severity.Success);
            return true;
        }
        catch (ValidationFailedException invalid)
        {
            _errors = invalid.Errors;
            _error = L["The draft was not saved: {0}", string.Join(" ", invalid.Errors.Select(e => e.In(L.Words())))];
            return false;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task PublishAsync()
    {
        var next = (_versions.FirstOrDefault()?.Version ?? 0) + 1;
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            L["Publish version {0}?", next],
            L["The {0} rules and the levels ({1}) apply at once to leads created or edited from now on, and every existing lead's fit is recomputed in the background. You can keep working meanwhile.", _draft!.Rules.Count, FitRuleForm.Describe(_draft.Bands, L.Words())],
            yesText: L["Publish"], cancelText: L["Cancel"]);
        if (confirmed != true || (_dirty && !await SaveAsync()))
        {
            return;
        }

        _busy = true;
        try
        {
            var user = (await AuthenticationState).User.Identity?.Name;
            var version = await FitModels.PublishAsync(user);
            _versions = await FitModels.ListVersionsAsync();
            _showFinished = true;
            Snackbar.Add(L["Fit model version {0} published; recomputing every lead's fit.", version], Severity.Success);
        }
        catch (ValidationFailedException invalid)
        {
            _error = L["Not published: {0}", string.Join(" ", invalid.Errors.Select(e => e.In(L.Words())))];
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (!_dirty)
        {
            return;
        }
        var leave = await Dialogs.ShowMessageBoxAsync(L["Leave without saving?"], L["Your changes to the fit model are not saved."], yesText: L["Leave"], cancelText: L["Stay"]);
        if (leave != true)
        {
            context.PreventNavigation();
        }
    }

    public void Dispose() => Recalculation.Changed -= OnProgress;
}
