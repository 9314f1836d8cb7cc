using BehaviorPoints.Core;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Predictive;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace BehaviorPoints.Web.Components.Pages.Admin.Predictive;

/// <summary>The prediction model page: train on demand, the live model's held-out measurements, versions and revert.</summary>
public partial class PredictiveModel
{
    [Inject] private ConversionModels Models { get; set; } = null!;
    [Inject] private LikelihoodRefresh Refresh { get; set; } = null!;
    [Inject] private WeeklyRetrain Retrain { get; set; } = null!;
    [Inject] private AuthenticationStateProvider Authentication { get; set; } = null!;
    [Inject] private ISnackbar Snackbar { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;

    private TrainingShortfall? _counts;
    private IReadOnlyList<ConversionModelView>? _versions;
    private ConversionModelView? _live;
    private TrainingProgress? _training;
    private FieldError? _error;
    private JobProgress? _refresh;
    private JobProgress? _retrain;
    private double _threshold = ModelMetrics.DefaultThreshold;

    protected override async Task OnInitializedAsync()
    {
        _refresh = Refresh.Progress;
        _retrain = Retrain.Progress;
        Refresh.Changed += OnRefreshChanged;
        Retrain.Changed += OnRetrainChanged;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _counts = await Models.ClosedLeadCountsAsync();
        _versions = await Models.VersionsAsync();
        _live = _versions.FirstOrDefault(v => v.Status == ConversionModelStatus.Live);
    }

    private async Task TrainAsync()
    {
        _error = null;
        _training = new TrainingProgress(TrainingStep.Reading, 0, 0);
        try
        {
            // Reports arrive on the circuit later than they were made: one after the run has ended is dropped.
            var progress = new Progress<TrainingProgress>(step => InvokeAsync(() =>
            {
                if (_training is not null)
                {
                    _training = step;
                    StateHasChanged();
                }
            }));
            var outcome = await Models.TrainAsync(await UserAsync(), progress);
            if (outcome.WentLive)
            {
                Snackbar.Add(L["Version {0} is live, AUC {1}. Every open lead's likelihood is being refreshed.", outcome.Model.Version, outcome.Model.Auc.ToString("0.00")], Severity.Success);
            }
            else
            {
                Snackbar.Add(L["Version {0} measured AUC {1}, below 95 % of the live model's {2}: it is kept, not made live.", outcome.Model.Version, outcome.Model.Auc.ToString("0.00"), (outcome.PreviousAuc ?? 0).ToString("0.00")], Severity.Warning);
            }
        }
        catch (CannotTrainException cannot)
        {
            _error = cannot.Reason;
        }
        finally
        {
            _training = null;
        }
        await LoadAsync();
    }

    private async Task MakeLiveAsync(ConversionModelView version)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["Make version {0} live?", version.Version],
            L["Version {0} (AUC {1}) replaces the live model, and every open lead's likelihood is predicted again with it.", version.Version, version.Auc.ToString("0.00")],
            yesText: L["Make live"], cancelText: L["Cancel"]);
        if (confirmed != true)
        {
            return;
        }
        try
        {
            await Models.MakeLiveAsync(version.Version, await UserAsync());
            Snackbar.Add(L["Version {0} is live.", version.Version], Severity.Success);
        }
        catch (Exception refused) when (refused is ConflictException or NotFoundException)
        {
            Snackbar.Add(refused.Message, Severity.Warning);
        }
        await LoadAsync();
    }

    private async Task<string?> UserAsync() => (await Authentication.GetAuthenticationStateAsync()).User.Identity?.Name;

    private string StepText(TrainingProgress step) => step.Step switch
    {
        TrainingStep.Reading when step.Total > 0 => L["Reading closed leads: {0} of {1}", step.Done.ToString("N0"), step.Total.ToString("N0")],
        TrainingStep.Reading => L["Reading closed leads…"],
        TrainingStep.Training => L["Training on {0} closed leads…", step.Total.ToString("N0")],
        _ => L["Measuring and saving…"],
    };


    private void OnRefreshChanged(JobProgress progress) => InvokeAsync(() =>
    {
        _refresh = progress;
        StateHasChanged();
    });

    // The weekly retrain in this app instance: shown while it runs, the page reloaded when it ends.
    private void OnRetrainChanged(JobProgress progress) => InvokeAsync(async () =>
    {
        _retrain = progress;
        if (!progress.Running)
        {
            await LoadAsync();
        }
        StateHasChanged();
    });

    public void Dispose()
    {
        Refresh.Changed -= OnRefreshChanged;
        Retrain.Changed -= OnRetrainChanged;
    }
}
