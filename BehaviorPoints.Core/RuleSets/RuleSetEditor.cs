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

    public RuleSetEditor(RuleSetDefinition? draft, BehaviorCatalog catalog, IWords? words = null)
    {
        Catalog = catalog;
        Words = words ?? BehaviorPoints.Core.Words.English;
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
    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field)?.In(Words);

    /// <summary>The language <see cref="ErrorFor"/> and the overlap warnings speak (English unless the UI gives its own).</summary>
    public IWords Words { get; }

    /// <summary>Every problem of a field and the fields below it (e.g. one rule and its conditions).</summary>
    public IReadOnlyList<FieldError> ErrorsUnder(string prefix) =>
        Errors.Where(e => e.Field == prefix || e.Field.StartsWith(prefix + ".", StringComparison.Ordinal) || e.Field.StartsWith(prefix + "[", StringComparison.Ordinal)).ToList();

    /// <summary>The problems of the wizard's steps: 1 basic info with categories and stages, 2 rules, 3 result fields.</summary>
    public IReadOnlyList<FieldError> ErrorsOfStep(int step) => step switch
    {
        1 => [.. Errors.Where(e => e.Field is "name" or "apiName" or "object" or "description"), .. ErrorsUnder("categories"), .. ErrorsUnder("stages")],
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

    public void SetOptions(IReadOnlyList<IntentOptionDefinition> options) => UpdateIntentField(f => f with { Options = options });

    /// <summary>Ranges with one more option above the highest, whose open range is split at a round number.</summary>
    public static IReadOnlyList<IntentOptionDefinition> WithOptionAdded(IReadOnlyList<IntentOptionDefinition> options)
    {
        if (options.Count == 0)
        {
            return [new IntentOptionDefinition { Label = "All", Min = null, Max = null }];
        }
        var top = IntentBandsOrder(options)[^1];
        var start = (top.Min ?? 0) + 100;
        var added = options.Select(o => ReferenceEquals(o, top) ? o with { Max = start - 1 } : o).ToList();
        added.Add(new IntentOptionDefinition { Label = $"Option {added.Count + 1}", Min = start, Max = null });
        return added;
    }

    /// <summary>Adds a category named "Category N" (the first free N), without levels of its own.</summary>
    public void AddCategory()
    {
        var taken = Definition.Categories.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var name = Enumerable.Range(Definition.Categories.Count + 1, RuleSetValidator.MaxCategories + 1).Select(n => $"Category {n}").First(n => !taken.Contains(n));
        Update(Definition with { Categories = [.. Definition.Categories, new CategoryDefinition { Name = name }] });
    }

    /// <summary>Changes a category; the rules that named it follow a new name.</summary>
    public void SetCategory(int index, CategoryDefinition category)
    {
        var before = Definition.Categories[index].Name;
        Update(Definition with
        {
            Categories = [.. Definition.Categories.Select((c, i) => i == index ? category : c)],
            Rules = [.. Definition.Rules.Select(r => string.Equals(r.Category, before, StringComparison.OrdinalIgnoreCase) ? r with { Category = category.Name } : r)],
        });
    }

    /// <summary>Turns a category's own levels on (Cold, Warm, Hot) or off.</summary>
    public void SetCategoryLevels(int index, bool enabled)
    {
        var category = Definition.Categories[index];
        SetCategory(index, category with
        {
            Ranges = enabled
                ? category.Ranges is { Count: > 0 } ranges ? ranges : [new() { Label = "Cold", Max = 19 }, new() { Label = "Warm", Min = 20, Max = 59 }, new() { Label = "Hot", Min = 60 }]
                : null,
        });
    }

    /// <summary>Removes a category; the rules that named it keep their points and no longer count toward a category.</summary>
    public void RemoveCategory(int index)
    {
        var name = Definition.Categories[index].Name;
        Update(Definition with
        {
            Categories = [.. Definition.Categories.Where((_, i) => i != index)],
            Rules = [.. Definition.Rules.Select(r => string.Equals(r.Category, name, StringComparison.OrdinalIgnoreCase) ? r with { Category = null } : r)],
        });
    }

    /// <summary>Adds a stage at the end of the path (the stage before it gets no threshold change).</summary>
    public void AddStage() =>
        Update(Definition with { Stages = [.. Definition.Stages, new StageDefinition { Name = $"Stage {Definition.Stages.Count + 1}" }] });

    public void SetStage(int index, StageDefinition stage) =>
        Update(Definition with { Stages = [.. Definition.Stages.Select((s, i) => i == index ? stage : s)] });

    public void RemoveStage(int index) =>
        Update(Definition with { Stages = [.. Definition.Stages.Where((_, i) => i != index)] });

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
        Conflicts = RuleConflicts.Find(Definition, Catalog, Words);
    }

    private static List<IntentOptionDefinition> IntentBandsOrder(IEnumerable<IntentOptionDefinition> options) =>
        options.OrderBy(o => o.Min ?? long.MinValue).ThenBy(o => o.Max ?? long.MaxValue).ToList();
}
