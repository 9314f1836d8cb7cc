using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.Fit;

/// <summary>Checks a fit model and names every problem with its field path (<c>rules[2].value</c>, <c>bands.highFrom</c>).</summary>
public static class FitModelValidator
{
    public const int MaxRules = 200;
    public const int MaxPoints = 1_000;

    public static IReadOnlyList<FieldError> Validate(FitModelDefinition definition)
    {
        var errors = new List<FieldError>();
        var rules = definition.Rules ?? [];
        if (rules.Count > MaxRules)
        {
            errors.Add(new("rules", $"A fit model holds at most {MaxRules} rules; this one has {rules.Count}."));
        }

        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < rules.Count; i++)
        {
            var at = $"rules[{i}]";
            var rule = rules[i];
            if (rule is null)
            {
                errors.Add(new(at, "Rule is empty."));
                continue;
            }

            var name = rule.Name?.Trim() ?? "";
            if (name.Length == 0)
            {
                errors.Add(new($"{at}.name", "Give the rule a name: it explains the fit score."));
            }
            else if (name.Length > RuleSetValidator.MaxNameLength)
            {
                errors.Add(new($"{at}.name", $"Rule name is {name.Length} characters long; the limit is {RuleSetValidator.MaxNameLength}."));
            }
            else if (names.TryGetValue(name, out var first))
            {
                errors.Add(new($"{at}.name", $"Rule {i + 1} has the same name as rule {first + 1} ('{name}'); names must differ."));
            }
            else
            {
                names[name] = i;
            }

            if (FitFields.Find(rule.Field) is null)
            {
                errors.Add(new($"{at}.field", $"Field '{rule.Field}' is not one of {string.Join(", ", FitFields.All.Select(f => f.Code))}."));
            }
            RuleSetValidator.ValidateCondition(new ConditionDefinition { Attribute = rule.Field ?? "", Operator = rule.Operator, Value = rule.Value }, at, errors);

            if (rule.Points == 0)
            {
                errors.Add(new($"{at}.points", "Points must not be 0: a rule that adds nothing explains nothing."));
            }
            else if (Math.Abs(rule.Points) > MaxPoints)
            {
                errors.Add(new($"{at}.points", $"Points must be between -{MaxPoints} and {MaxPoints}; {rule.Points} is outside."));
            }
        }

        var bands = definition.Bands;
        if (bands is null)
        {
            errors.Add(new("bands", "Say where Medium and High fit begin."));
        }
        else if (bands.HighFrom <= bands.MediumFrom)
        {
            errors.Add(new("bands.highFrom",
                $"High fit must begin above Medium: High from {bands.HighFrom} is not above Medium from {bands.MediumFrom}."));
        }
        return errors;
    }
}
