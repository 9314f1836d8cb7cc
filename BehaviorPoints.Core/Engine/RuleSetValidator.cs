using System.Text.Json;
using System.Text.RegularExpressions;

namespace BehaviorPoints.Core.Engine;

/// <summary>Checks a rule set definition and returns every problem, each tied to its field.</summary>
public static partial class RuleSetValidator
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;
    public const int MaxPoints = 10_000;
    public const int MaxRules = 1_000;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*__c$")]
    private static partial Regex ApiNamePattern();

    /// <summary>
    /// Validates <paramref name="definition"/>. <paramref name="apiNameTaken"/> says whether another rule set already
    /// uses an API name.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(RuleSetDefinition definition, BehaviorCatalog catalog, Func<string, bool>? apiNameTaken = null)
    {
        var errors = new List<FieldError>();
        ValidateBasicInfo(definition, apiNameTaken, errors);
        ValidateCategories(definition.Categories, errors);
        ValidateRules(definition.Rules, catalog, CategoryNames(definition.Categories), errors);
        if (definition.IntentField is { } field)
        {
            ValidateIntentField(field, errors);
        }
        ValidateStages(definition.Stages, errors);
        return errors;
    }

    /// <summary>The API name generated from a display name: <c>Behavior Points</c> becomes <c>behavior_points__c</c>.</summary>
    public static string ApiNameFrom(string name)
    {
        var words = NonWord().Replace(name.Trim().ToLowerInvariant(), "_").Trim('_');
        words = MultipleUnderscores().Replace(words, "_");
        if (words.Length == 0 || !char.IsAsciiLetter(words[0]))
        {
            words = "rule_set" + (words.Length == 0 ? "" : "_" + words);
        }
        return words[..Math.Min(words.Length, 77)] + "__c";
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonWord();

    [GeneratedRegex("_{2,}")]
    private static partial Regex MultipleUnderscores();

    private static void ValidateBasicInfo(RuleSetDefinition d, Func<string, bool>? apiNameTaken, List<FieldError> errors)
    {
        var name = d.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldError.Of("name", "Name is required."));
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(FieldError.Of("name", "Name is {0} characters long; the limit is {1}.", name.Length, MaxNameLength));
        }

        var apiName = d.ApiName ?? "";
        if (apiName.Length == 0)
        {
            errors.Add(FieldError.Of("apiName", "API name is required."));
        }
        else if (apiName.Length > 80)
        {
            errors.Add(FieldError.Of("apiName", "API name is longer than 80 characters."));
        }
        else if (!ApiNamePattern().IsMatch(apiName))
        {
            errors.Add(FieldError.Of("apiName", "API name '{0}' must start with a letter, use only letters, digits and '_', and end in '__c' (for example behavior_points__c).", apiName));
        }
        else if (apiNameTaken?.Invoke(apiName) == true)
        {
            errors.Add(FieldError.Of("apiName", "API name '{0}' is already used by another rule set.", apiName));
        }

        if (!ScoringObjects.All.Contains(d.Object, StringComparer.Ordinal))
        {
            errors.Add(FieldError.Of("object", "Scoring object '{0}' is not supported; the only scoring object is {1}.", d.Object, ScoringObjects.Leads));
        }

        if ((d.Description?.Length ?? 0) > MaxDescriptionLength)
        {
            errors.Add(FieldError.Of("description", "Description is {0} characters long; the limit is {1}.", d.Description!.Length, MaxDescriptionLength));
        }
    }

    private static HashSet<string> CategoryNames(IReadOnlyList<CategoryDefinition>? categories) =>
        new((categories ?? []).Where(c => c is not null && !string.IsNullOrWhiteSpace(c.Name)).Select(c => c.Name.Trim()), StringComparer.OrdinalIgnoreCase);

    private static void ValidateRules(IReadOnlyList<RuleDefinition>? rules, BehaviorCatalog catalog, IReadOnlySet<string> categories, List<FieldError> errors)
    {
        rules ??= [];
        if (rules.Count > MaxRules)
        {
            errors.Add(FieldError.Of("rules", "A rule set holds at most {0} rules; this one has {1}.", MaxRules, rules.Count));
        }

        var firstByName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var at = $"rules[{i}]";
            if (rule is null)
            {
                errors.Add(FieldError.Of(at, "Rule is empty."));
                continue;
            }

            var name = rule.Name?.Trim() ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldError.Of($"{at}.name", "Rule {0} needs a name.", i + 1));
            }
            else if (name.Length > MaxNameLength)
            {
                errors.Add(FieldError.Of($"{at}.name", "Rule name is {0} characters long; the limit is {1}.", name.Length, MaxNameLength));
            }
            else if (!firstByName.TryAdd(name, i))
            {
                // Limits count per rule name, so names must tell rules apart.
                errors.Add(FieldError.Of($"{at}.name", "Rule name '{0}' is already used by rule {1}.", name, firstByName[name] + 1));
            }

            if (string.IsNullOrWhiteSpace(rule.Behavior))
            {
                errors.Add(FieldError.Of($"{at}.behavior", "Choose a behavior type."));
            }
            else if (!catalog.Contains(rule.Behavior))
            {
                errors.Add(FieldError.Of($"{at}.behavior", "'{0}' is not a known behavior type.", rule.Behavior));
            }

            if (rule.Points == 0)
            {
                errors.Add(FieldError.Of($"{at}.points", "Points must not be zero: use a positive number to add or a negative one to subtract."));
            }
            else if (Math.Abs(rule.Points) > MaxPoints)
            {
                errors.Add(FieldError.Of($"{at}.points", "Points must be between -{0} and {1}; {2} is outside.", MaxPoints, MaxPoints, rule.Points));
            }

            if (rule.Limit is { } limit)
            {
                if (limit.Times < 1)
                {
                    errors.Add(FieldError.Of($"{at}.limit.times", "A limit allows at least 1 time."));
                }
                if (!LimitPeriods.TryParse(limit.Per, out _))
                {
                    errors.Add(FieldError.Of($"{at}.limit.per", "Limit period '{0}' is not one of {1}.", limit.Per, string.Join(", ", LimitPeriods.Codes)));
                }
            }

            if (rule.Decay is { } decay)
            {
                ValidateDecay(decay, $"{at}.decay", errors);
            }

            if (!string.IsNullOrWhiteSpace(rule.Category) && !categories.Contains(rule.Category.Trim()))
            {
                errors.Add(categories.Count == 0
                    ? FieldError.Of($"{at}.category", "Category '{0}' is not listed: this rule set has no categories. Add it to the categories first.", rule.Category.Trim())
                    : FieldError.Of($"{at}.category", "Category '{0}' is not listed; the categories are {1}.", rule.Category.Trim(), string.Join(", ", categories)));
            }

            var conditions = rule.Conditions ?? [];
            for (var c = 0; c < conditions.Count; c++)
            {
                ValidateCondition(conditions[c], $"{at}.conditions[{c}]", errors);
            }
        }
    }

    internal static void ValidateCondition(ConditionDefinition? condition, string at, List<FieldError> errors)
    {
        if (condition is null)
        {
            errors.Add(FieldError.Of(at, "Condition is empty."));
            return;
        }
        if (string.IsNullOrWhiteSpace(condition.Attribute))
        {
            errors.Add(FieldError.Of($"{at}.attribute", "Choose an attribute."));
        }
        else if (condition.Attribute.Length > 64)
        {
            errors.Add(FieldError.Of($"{at}.attribute", "Attribute names are at most 64 characters."));
        }

        if (!ConditionOperators.TryParse(condition.Operator, out var op))
        {
            errors.Add(FieldError.Of($"{at}.operator", "Operator '{0}' is not one of {1}.", condition.Operator, string.Join(", ", ConditionOperators.Codes)));
            return;
        }

        var value = condition.Value;
        var kind = value?.ValueKind ?? JsonValueKind.Undefined;
        var hasValue = kind is not (JsonValueKind.Undefined or JsonValueKind.Null);
        switch (op)
        {
            case ConditionOperator.Exists when hasValue:
                errors.Add(FieldError.Of($"{at}.value", "'exists' takes no value."));
                break;
            case ConditionOperator.Exists:
                break;
            case ConditionOperator.In when kind != JsonValueKind.Array || value!.Value.GetArrayLength() == 0:
                errors.Add(FieldError.Of($"{at}.value", "'in' needs a non-empty list of values."));
                break;
            case ConditionOperator.In:
                if (value!.Value.EnumerateArray().Any(e => !IsScalar(e.ValueKind)))
                {
                    errors.Add(FieldError.Of($"{at}.value", "Every value in the list must be text, a number or true/false."));
                }
                break;
            case var numeric when numeric.IsNumeric():
                if (!(value is { } v && AttributeValue.TryFromJson(v, out var parsed) && parsed.Number is not null))
                {
                    errors.Add(FieldError.Of($"{at}.value", "'{0}' compares numbers: the value must be a number.", op.Code()));
                }
                break;
            default:
                if (!hasValue || !IsScalar(kind))
                {
                    errors.Add(FieldError.Of($"{at}.value", "'{0}' needs a value (text, a number or true/false).", op.Code()));
                }
                else if (kind == JsonValueKind.String && value!.Value.GetString()!.Length == 0 && op is ConditionOperator.Contains or ConditionOperator.StartsWith)
                {
                    errors.Add(FieldError.Of($"{at}.value", "'{0}' needs some text to look for.", op.Code()));
                }
                else if (kind == JsonValueKind.String && string.IsNullOrWhiteSpace(value!.Value.GetString()) && op is ConditionOperator.Equals)
                {
                    // "url is (nothing)" reads as a condition but matches no behavior that names a URL: refuse it.
                    errors.Add(FieldError.Of($"{at}.value", "'{0}' needs a value to compare with; to test that the attribute is there at all, use 'exists'.", op.Code()));
                }
                break;
        }
    }

    // 1 to 5 steps; days 1-3650 strictly increasing; kept percentages 0-99 strictly decreasing (SPEC §9).
    private static void ValidateDecay(DecayDefinition decay, string at, List<FieldError> errors)
    {
        var steps = decay.Steps ?? [];
        if (steps.Count is 0 or > DecaySchedule.MaxSteps)
        {
            errors.Add(FieldError.Of($"{at}.steps", "Points fade in 1 to {0} steps; this schedule has {1}. To keep the points for good, set no fading at all.", DecaySchedule.MaxSteps, steps.Count));
            return;
        }
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var stepAt = $"{at}.steps[{i}]";
            if (step is null)
            {
                errors.Add(FieldError.Of(stepAt, "Step {0} is empty.", i + 1));
                continue;
            }
            if (step.AfterDays is < 1 or > DecaySchedule.MaxAfterDays)
            {
                errors.Add(FieldError.Of($"{stepAt}.afterDays", "Step {0}: days must be between 1 and {1}; {2} is outside.", i + 1, DecaySchedule.MaxAfterDays, step.AfterDays));
            }
            else if (i > 0 && steps[i - 1] is { } before && step.AfterDays <= before.AfterDays)
            {
                errors.Add(FieldError.Of($"{stepAt}.afterDays", "Step {0} comes after {1} days, not later than step {2} ({3} days): each step must come later than the one before.", i + 1, step.AfterDays, i, before.AfterDays));
            }
            if (step.KeepPercent is < 0 or > 99)
            {
                errors.Add(FieldError.Of($"{stepAt}.keepPercent", "Step {0}: the share kept must be between 0 and 99 %; {1} is outside.", i + 1, step.KeepPercent));
            }
            else if (i > 0 && steps[i - 1] is { } before && step.KeepPercent >= before.KeepPercent)
            {
                errors.Add(FieldError.Of($"{stepAt}.keepPercent", "Step {0} keeps {1} %, not less than step {2} ({3} %): each step must keep less than the one before.", i + 1, step.KeepPercent, i, before.KeepPercent));
            }
        }
    }

    private static bool IsScalar(JsonValueKind kind) =>
        kind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    private static void ValidateIntentField(IntentFieldDefinition field, List<FieldError> errors)
    {
        const string at = "intentField";
        if (string.IsNullOrWhiteSpace(field.Name))
        {
            errors.Add(FieldError.Of($"{at}.name", "The field needs a name."));
        }
        else if (field.Name.Length > MaxNameLength)
        {
            errors.Add(FieldError.Of($"{at}.name", "Field name is longer than {0} characters.", MaxNameLength));
        }

        ValidateRanges(field.Options ?? [], $"{at}.options", errors);
    }

    public const int MaxCategories = 50;
    public const int MaxStages = 10;

    // Up to 50 categories (as many as Pardot allows), names unique; each category's ranges checked like the intent field's.
    private static void ValidateCategories(IReadOnlyList<CategoryDefinition>? categories, List<FieldError> errors)
    {
        categories ??= [];
        if (categories.Count > MaxCategories)
        {
            errors.Add(FieldError.Of("categories", "A rule set has at most {0} categories; this one has {1}.", MaxCategories, categories.Count));
        }
        var firstByName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < categories.Count; i++)
        {
            var at = $"categories[{i}]";
            CheckListedName(categories[i]?.Name, "Category", i, $"{at}.name", firstByName, errors);
            if (categories[i]?.Ranges is { Count: > 0 } ranges)
            {
                ValidateRanges(ranges, $"{at}.ranges", errors);
            }
        }
    }

    // 1 to 10 stages with unique names; a threshold is a positive score, and the last stage has none (nothing follows it).
    private static void ValidateStages(IReadOnlyList<StageDefinition>? stages, List<FieldError> errors)
    {
        stages ??= [];
        if (stages.Count is 0 or > MaxStages)
        {
            errors.Add(FieldError.Of("stages", "A rule set has 1 to {0} stages; this one has {1}.", MaxStages, stages.Count));
            return;
        }
        var firstByName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < stages.Count; i++)
        {
            var at = $"stages[{i}]";
            var stage = stages[i];
            var name = stage?.Name?.Trim() ?? "";
            CheckListedName(name, "Stage", i, $"{at}.name", firstByName, errors);
            if (stage?.AdvanceAt is { } threshold)
            {
                if (i == stages.Count - 1)
                {
                    errors.Add(FieldError.Of($"{at}.advanceAt", "'{0}' is the last stage: there is no stage to advance to, so it takes no threshold.", name));
                }
                else if (threshold is < 1 or > 1_000_000)
                {
                    errors.Add(FieldError.Of($"{at}.advanceAt", "Advance when the stage score reaches a number from 1 to 1,000,000; {0} is outside.", threshold));
                }
            }
        }
    }

    public const int MaxListedNameLength = 60;

    // A category's or stage's name: required, at most 60 characters, not used by an earlier one of the list (any case).
    private static void CheckListedName(string? name, string what, int index, string at, Dictionary<string, int> firstByName, List<FieldError> errors)
    {
        name = name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(FieldError.Of(at, what == "Stage" ? "Stage {0} needs a name." : "Category {0} needs a name.", index + 1));
        }
        else if (name.Length > MaxListedNameLength)
        {
            errors.Add(FieldError.Of(at, what == "Stage" ? "Stage name is {0} characters long; the limit is {1}." : "Category name is {0} characters long; the limit is {1}.", name.Length, MaxListedNameLength));
        }
        else if (!firstByName.TryAdd(name, index))
        {
            errors.Add(FieldError.Of(at, what == "Stage" ? "Stage '{0}' is already stage {1}." : "Category '{0}' is already category {1}.", name, firstByName[name] + 1));
        }
    }

    // A list of labelled ranges that together cover every total once (the intent field's options, a category's ranges).
    private static void ValidateRanges(IReadOnlyList<IntentOptionDefinition> options, string at, List<FieldError> errors)
    {
        if (options.Count == 0)
        {
            errors.Add(FieldError.Of(at, "Add at least one option."));
            return;
        }

        var labels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var rangesValid = true;
        for (var i = 0; i < options.Count; i++)
        {
            var option = options[i];
            if (string.IsNullOrWhiteSpace(option.Label))
            {
                errors.Add(FieldError.Of($"{at}[{i}].label", "Option {0} needs a label.", i + 1));
            }
            else if (option.Label.Length > 40)
            {
                errors.Add(FieldError.Of($"{at}[{i}].label", "Option labels are at most 40 characters."));
            }
            else if (!labels.Add(option.Label.Trim()))
            {
                errors.Add(FieldError.Of($"{at}[{i}].label", "Label '{0}' is used twice.", option.Label));
            }
            if (option.Min > option.Max)
            {
                errors.Add(FieldError.Of($"{at}[{i}]", "'{0}' starts at {1}, above its end {2}.", option.Label, option.Min, option.Max));
                rangesValid = false;
            }
        }

        if (rangesValid)
        {
            errors.AddRange(IntentBands.CoverageProblems(options, at));
        }
    }
}
