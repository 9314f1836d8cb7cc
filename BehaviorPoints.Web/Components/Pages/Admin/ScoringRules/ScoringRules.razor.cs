using System.Text.Json;
using BehaviorPoints.Core.Behaviors;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components;
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
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState> Authentication { get; set; } = default!;

    private string RulesSummary => _editor!.Definition.Rules.Count switch
    {
        0 => "No rules yet",
        1 => "1 rule",
        var n => $"{n} rules",
    };

    protected override async Task OnInitializedAsync()
    {
        try
        {
            var catalog = await BehaviorTypes.CatalogAsync();
            var draft = await RuleSets.GetDraftAsync();
            await LoadPublishedAsync();
            _editor = new RuleSetEditor(draft, catalog);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _loadError = "The rule set could not be loaded. Reload the page to try again.";
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
            Snackbar.Add($"Fix {Plural(editor.Errors.Count, "problem")} before saving; the step with a problem is marked.", Severity.Error);
            return false;
        }

        _busy = true;
        try
        {
            await RuleSets.SaveDraftAsync(editor.Definition);
            editor.MarkSaved();
            Snackbar.Add("Draft saved. It scores nothing until you publish it.", Severity.Success);
            return true;
        }
        catch (ValidationFailedException invalid)
        {
            Snackbar.Add(string.Join(" ", invalid.Errors.Select(e => e.Message)), Severity.Error);
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
        var dialog = await Dialogs.ShowAsync<PublishDialog>($"Publish version {newVersion}", parameters,
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
                ? $"Version {version} published: every lead is being re-scored in the background."
                : $"Version {version} published: it scores behaviors received from now on.", Severity.Success);
        }
        catch (ValidationFailedException invalid)
        {
            Snackbar.Add(string.Join(" ", invalid.Errors.Select(e => e.Message)), Severity.Error);
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
            _importProblems.Add($"The file is {file.Size:N0} bytes; the limit is 1 MiB.");
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
                ? $"At {path}: the value does not fit (for example text where a number belongs)."
                : "The file is not valid JSON.");
            return;
        }
        if (imported is null)
        {
            _importProblems.Add("The file holds no rule set.");
            return;
        }

        _editor!.Replace(imported);
        if (_editor.IsValid)
        {
            Snackbar.Add($"Imported {Plural(imported.Rules.Count, "rule")}. Review the steps, then save the draft.", Severity.Info);
        }
        else
        {
            Snackbar.Add($"Imported with {Plural(_editor.Errors.Count, "problem")}: the marked steps show them.", Severity.Warning);
        }
    }

    private async Task ConfirmLeaveAsync(LocationChangingContext context)
    {
        if (_editor?.IsDirty != true)
        {
            return;
        }
        var leave = await Dialogs.ShowMessageBoxAsync(
            "Leave without saving?",
            "The draft has changes that are not saved. They are lost if you leave.",
            yesText: "Leave", cancelText: "Stay");
        if (leave != true)
        {
            context.PreventNavigation();
        }
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
