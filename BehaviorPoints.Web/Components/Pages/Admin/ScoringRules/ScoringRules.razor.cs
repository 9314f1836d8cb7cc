using System.Text.Json;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components;
using BehaviorPoints.Web.Localization;
using MudBlazor;

namespace BehaviorPoints.Web.Components.Pages.Admin.ScoringRules;

/// <summary>The rule-builder wizard: edit the draft in three steps, save it, publish it, import and export it.</summary>
public partial class ScoringRules
{
    private const long MaxImportBytes = 1024 * 1024;

    private RuleSetEditor? _editor;
    private int? _publishedVersion;
    private RuleSetDefinition? _published;
    private int _step;
    private bool _busy;
    private string? _loadError;
    private readonly List<string> _importProblems = [];

    [Inject] private RuleSetService RuleSets { get; set; } = default!;
    [Inject] private BehaviorTypes BehaviorTypes { get; set; } = default!;
    [Inject] private BehaviorPoints.Core.Predictive.RuleInsights Insights { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;

    private string RulesSummary => _editor!.Definition.Rules.Count switch
    {
        0 => L["No rules yet"],
        var n => L.Count(n, "{0} rule", "{0} rules"),
    };

    // How each published rule's closed leads converted, beside the rule of the same name (SPEC §13).
    private IReadOnlyDictionary<string, BehaviorPoints.Core.Predictive.RuleInsight> _insights = new Dictionary<string, BehaviorPoints.Core.Predictive.RuleInsight>();

    protected override async Task OnInitializedAsync()
    {
        try
        {
            var catalog = await BehaviorTypes.CatalogAsync();
            var draft = await RuleSets.GetDraftAsync();
            await LoadPublishedAsync();
            _editor = new RuleSetEditor(draft, catalog, L.Words());
            _insights = (await Insights.ForRulesAsync()).ToDictionary(i => i.RuleName, StringComparer.Ordinal);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _loadError = L["The rule set could not be loaded. Reload the page to try again."];
        }
    }

    private async Task LoadPublishedAsync()
    {
        _publishedVersion = await RuleSets.GetPublishedVersionAsync();
        _published = _publishedVersion is { } version ? await RuleSets.GetVersionAsync(version) : null;
    }

    private async Task<bool> SaveAsync()
    {
        var editor = _editor!;
        if (!editor.IsValid)
        {
            _step = editor.ErrorsOfStep(1).Count > 0 ? 0 : editor.ErrorsOfStep(2).Count > 0 ? 1 : 2;
            Snackbar.Add(L["Fix {0} before saving; the step with a problem is marked.", Problems(editor.Errors.Count)], Severity.Error);
            return false;
        }

        _busy = true;
        try
        {
            await RuleSets.SaveDraftAsync(editor.Definition);
            editor.MarkSaved();
            Snackbar.Add(L["Draft saved. It scores nothing until you publish it."], Severity.Success);
            return true;
        }
        catch (ValidationFailedException invalid)
        {
            Snackbar.Add(string.Join(" ", invalid.Errors.Select(e => e.In(L.Words()))), Severity.Error);
            return false;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task PublishAsync()
    {
        if (_editor!.IsDirty || _editor.IsNew)
        {
            if (!await SaveAsync())
            {
                return;
            }
        }

        var newVersion = (_publishedVersion ?? 0) + 1;
        var parameters = new DialogParameters<PublishDialog>
        {
            { d => d.NewVersion, newVersion },
            { d => d.Changes, RuleSetChanges.Between(_published, _editor.Definition) },
            { d => d.Conflicts, _editor.Conflicts },
        };
        var dialog = await Dialogs.ShowAsync<PublishDialog>(L["Publish version {0}", newVersion], parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: PublishMode mode })
        {
            return;
        }

        _busy = true;
        try
        {
            var user = (await Authentication).User.Identity?.Name;
            var version = await RuleSets.PublishAsync(user, mode);
            await LoadPublishedAsync();
            Snackbar.Add(mode == PublishMode.RescoreEveryLead
                ? L["Version {0} published: every lead is being re-scored in the background.", version]
                : L["Version {0} published: it scores behaviors received from now on.", version], Severity.Success);
        }
        catch (ValidationFailedException invalid)
        {
            Snackbar.Add(string.Join(" ", invalid.Errors.Select(e => e.In(L.Words()))), Severity.Error);
        }
        catch (ConflictException conflict)
        {
            Snackbar.Add(conflict.Message, Severity.Warning);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ImportAsync(IBrowserFile? file)
    {
        _importProblems.Clear();
        if (file is null)
        {
            return;
        }
        if (file.Size > MaxImportBytes)
        {
            _importProblems.Add(L["The file is {0} bytes; the limit is 1 MiB.", file.Size.ToString("N0", System.Globalization.CultureInfo.CurrentCulture)]);
            return;
        }

        RuleSetDefinition? imported;
        try
        {
            await using var stream = file.OpenReadStream(MaxImportBytes);
            imported = await JsonSerializer.DeserializeAsync<RuleSetDefinition>(stream, CoreJson.Options);
        }
        catch (JsonException exception)
        {
            _importProblems.Add(exception.Path is { Length: > 1 } path
                ? L["At {0}: the value does not fit (for example text where a number belongs).", path]
                : L["The file is not valid JSON."]);
            return;
        }
        if (imported is null)
        {
            _importProblems.Add(L["The file holds no rule set."]);
            return;
        }

        _editor!.Replace(imported);
        if (_editor.IsValid)
        {
            Snackbar.Add(L["Imported {0}. Review the steps, then save the draft.", L.Count(imported.Rules.Count, "{0} rule", "{0} rules")], Severity.Info);
        }
        else
        {
            Snackbar.Add(L["Imported with {0}: the marked steps show them.", Problems(_editor.Errors.Count)], Severity.Warning);
        }
    }

    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (_editor?.IsDirty != true)
        {
            return;
        }
        var leave = await Dialogs.ShowMessageBoxAsync(
            L["Leave without saving?"],
            L["The draft has changes that are not saved. They are lost if you leave."],
            yesText: L["Leave"], cancelText: L["Stay"]);
        if (leave != true)
        {
            context.PreventNavigation();
        }
    }

    private string Problems(int count) => L.Count(count, "{0} problem", "{0} problems");
}
