using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.RuleSets;

/// <summary>
/// The rule-builder wizard's state: the definition being edited, its validation problems and conflict warnings,
/// recomputed on every change, and whether it differs from what was last saved. Pages render it; it holds the logic.
/// </summary>
public sealed class RuleSetEditor
{
    private RuleSetDefinition _saved;
    private bool _apiNameEditedByHand;

    public RuleSetEditor(RuleSetDefinition? draft, BehaviorCatalog catalog)
    {
        Catalog = catalog;
        IsNew = draft is null;
        Definition = draft ?? NewDefinition;
        _saved = Definition;
        // An existing rule set keeps its API name when renamed; a new one follows its name until edited.
        _apiNameEditedByHand = !IsNew && Definition.ApiName != RuleSetValidator.ApiNameFrom(Definition.Name);
        Recompute();
    }

    /// <summary>What a brand-new rule set starts as: the preset name and intent field, no rules.</summary>
    public static RuleSetDefinition NewDefinition { get; } = new()
    {
        Name = "Behavior Points",
        ApiName = "behavior_points__c",
        Object = ScoringObjects.Leads,
        Description = "",
        Rules = [],
        IntentField = IntentFieldDefinition.Default,
    };

    public BehaviorCatalog Catalog { get; }
    public bool IsNew { get; private set; }
    public RuleSetDefinition Definition { get; private set; }
    public IReadOnlyList<FieldError> Errors { get; private set; } = [];
    public IReadOnlyList<RuleConflict> Conflicts { get; private set; } = [];
    public bool IsDirty => !ReferenceEquals(Definition, _saved);
    public bool IsValid => Errors.Count == 0;

    /// <summary>The first problem of a field, for the input that edits it.</summary>
    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;

    /// <summary>Every problem of a field and the fields below it (e.g. one rule and its conditions).</summary>
    public IReadOnlyList<FieldError> ErrorsUnder(string prefix) =>
        Errors.Where(e => e.Field == prefix || e.Field.StartsWith(prefix + ".", StringComparison.Ordinal) || e.Field.StartsWith(prefix + "[", StringComparison.Ordinal)).ToList();

    /// <summary>The problems of the wizard's steps: 1 basic info, 2 rules, 3 result fields.</summary>
    public IReadOnlyList<FieldError> ErrorsOfStep(int step) => step switch
    {
        1 => Errors.Where(e => e.Field is "name" or "apiName" or "object" or "description").ToList(),
        2 => ErrorsUnder("rules"),
        _ => ErrorsUnder("intentField"),
    };

    public void SetName(string name)
    {
        Update(Definition with
        {
            Name = name,
            ApiName = _apiNameEditedByHand ? Definition.ApiName : RuleSetValidator.ApiNameFrom(name),
        });
    }

    public void SetApiName(string apiName)
    {
        _apiNameEditedByHand = apiName != RuleSetValidator.ApiNameFrom(Definition.Name);
        Update(Definition with { ApiName = apiName.Trim() });
    }

    public void SetDescription(string? description) => Update(Definition with { Description = description });

    public void AddRule(RuleDefinition rule) => Update(Definition with { Rules = [.. Definition.Rules, rule] });

    public void ReplaceRule(int index, RuleDefinition rule) =>
        Update(Definition with { Rules = Definition.Rules.Select((r, i) => i == index ? rule : r).ToList() });

    public void RemoveRule(int index) =>
        Update(Definition with { Rules = Definition.Rules.Where((_, i) => i != index).ToList() });

    /// <summary>Moves a rule up (negative) or down (positive); order decides which entry is written first.</summary>
    public void MoveRule(int index, int by)
    {
        var target = index + by;
        if (index < 0 || index >= Definition.Rules.Count || target < 0 || target >= Definition.Rules.Count)
        {
            return;
        }
        var rules = Definition.Rules.ToList();
        (rules[index], rules[target]) = (rules[target], rules[index]);
        Update(Definition with { Rules = rules });
    }

    /// <summary>Turns the optional single-select field on (with the default ranges) or off.</summary>
    public void SetIntentFieldEnabled(bool enabled) =>
        Update(Definition with { IntentField = enabled ? Definition.IntentField ?? IntentFieldDefinition.Default : null });

    public void SetIntentFieldName(string name) => UpdateIntentField(f => f with { Name = name });

    public void SetOption(int index, IntentOptionDefinition option) =>
        UpdateIntentField(f => f with { Options = f.Options.Select((o, i) => i == index ? option : o).ToList() });

    /// <summary>Adds an option above the highest one, splitting its open range at a round number.</summary>
    public void AddOption()
    {
        UpdateIntentField(f =>
        {
            if (f.Options.Count == 0)
            {
                return f with { Options = [new IntentOptionDefinition { Label = "All", Min = null, Max = null }] };
            }
            var sorted = IntentBandsOrder(f.Options);
            var top = sorted[^1];
            var start = (top.Min ?? 0) + 100;
            var options = f.Options.Select(o => ReferenceEquals(o, top) ? o with { Max = start - 1 } : o).ToList();
            options.Add(new IntentOptionDefinition { Label = $"Option {options.Count + 1}", Min = start, Max = null });
            return f with { Options = options };
        });
    }

    public void RemoveOption(int index) =>
        UpdateIntentField(f => f with { Options = f.Options.Where((_, i) => i != index).ToList() });

    /// <summary>Replaces the whole definition (an import); it is not saved until <see cref="MarkSaved"/>.</summary>
    public void Replace(RuleSetDefinition definition)
    {
        _apiNameEditedByHand = true;
        Update(definition);
    }

    public void MarkSaved()
    {
        _saved = Definition;
        IsNew = false;
    }

    private void UpdateIntentField(Func<IntentFieldDefinition, IntentFieldDefinition> change)
    {
        if (Definition.IntentField is { } field)
        {
            Update(Definition with { IntentField = change(field) });
        }
    }

    private void Update(RuleSetDefinition definition)
    {
        Definition = definition;
        Recompute();
    }

    private void Recompute()
    {
        Errors = RuleSetValidator.Validate(Definition, Catalog);
        Conflicts = RuleConflicts.Find(Definition, Catalog);
    }

    private static List<IntentOptionDefinition> IntentBandsOrder(IEnumerable<IntentOptionDefinition> options) =>
        options.OrderBy(o => o.Min ?? long.MinValue).ThenBy(o => o.Max ?? long.MaxValue).ToList();
}
