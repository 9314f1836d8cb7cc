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
            errors.Add(FieldError.Of("rules", "A fit model holds at most {0} rules; this one has {1}.", MaxRules, rules.Count));
        }

        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < rules.Count; i++)
        {
            var at = $"rules[{i}]";
            var rule = rules[i];
            if (rule is null)
            {
                errors.Add(FieldError.Of(at, "Rule is empty."));
                continue;
            }

            var name = rule.Name?.Trim() ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldError.Of($"{at}.name", "Give the rule a name: it explains the fit score."));
            }
            else if (name.Length > RuleSetValidator.MaxNameLength)
            {
                errors.Add(FieldError.Of($"{at}.name", "Rule name is {0} characters long; the limit is {1}.", name.Length, RuleSetValidator.MaxNameLength));
            }
            else if (names.TryGetValue(name, out var first))
            {
                errors.Add(FieldError.Of($"{at}.name", "Rule {0} has the same name as rule {1} ('{2}'); names must differ.", i + 1, first + 1, name));
            }
            else
            {
                names[name] = i;
            }

            if (FitFields.Find(rule.Field) is null)
            {
                errors.Add(FieldError.Of($"{at}.field", "Field '{0}' is not one of {1}.", rule.Field, string.Join(", ", FitFields.All.Select(f => f.Code))));
            }
            RuleSetValidator.ValidateCondition(new ConditionDefinition { Attribute = rule.Field ?? "", Operator = rule.Operator, Value = rule.Value }, at, errors);

            if (rule.Points == 0)
            {
                errors.Add(FieldError.Of($"{at}.points", "Points must not be 0: a rule that adds nothing explains nothing."));
            }
            else if (Math.Abs(rule.Points) > MaxPoints)
            {
                errors.Add(FieldError.Of($"{at}.points", "Points must be between -{0} and {1}; {2} is outside.", MaxPoints, MaxPoints, rule.Points));
            }
        }

        var bands = definition.Bands;
        if (bands is null)
        {
            errors.Add(FieldError.Of("bands", "Say where Medium and High fit begin."));
        }
        else if (bands.HighFrom <= bands.MediumFrom)
        {
            errors.Add(FieldError.Of("bands.highFrom",
                "High fit must begin above Medium: High from {0} is not above Medium from {1}.", bands.HighFrom, bands.MediumFrom));
        }
        return errors;
    }
}
