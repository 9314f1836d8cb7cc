using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Fit;

namespace BehaviorPoints.Core.Routing;

/// <summary>
/// What a routing rule may name, as the database holds it when the list is saved: the published intent levels and
/// categories, the teams and the users.
/// </summary>
public sealed record RoutingNames(
    IReadOnlyList<string> IntentLevels,
    IReadOnlyCollection<string> Categories,
    IReadOnlyCollection<string> Teams,
    IReadOnlyCollection<string> UserEmails);

/// <summary>Checks a routing rule list against SPEC §10's ranges and the names it may use; every problem, by field.</summary>
public static class RoutingRuleValidator
{
    public const int MaxRules = 100;
    public const int MaxNameLength = 100;
    public const int MaxConditions = 10;

    /// <summary>The lead fields a routing condition can test: the fit fields and the lead's team.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["team", .. FitFields.All.Select(f => f.Code)];

    public static IReadOnlyList<FieldError> Validate(RoutingRuleList? list, RoutingNames names)
    {
        var errors = new List<FieldError>();
        if (list?.Rules is not { } rules)
        {
            errors.Add(FieldError.Of("rules", "Send the rules as a list (it may be empty)."));
            return errors;
        }
        if (rules.Count > MaxRules)
        {
            errors.Add(FieldError.Of("rules", "At most {0} routing rules; {1} were sent.", MaxRules, rules.Count));
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < rules.Count; i++)
        {
            var at = $"rules[{i}]";
            if (rules[i] is not { } rule)
            {
                errors.Add(FieldError.Of(at, "A rule is empty."));
                continue;
            }
            ValidateName(rule.Name, at, seen, errors);
            ValidateTrigger(rule.Trigger, $"{at}.trigger", names, errors);
            ValidateConditions(rule.Conditions, $"{at}.conditions", errors);
            ValidateAssign(rule.Assign, $"{at}.assign", names, errors);
            ValidateTask(rule.Task, $"{at}.task", errors);
            Range(errors, $"{at}.minIntervalDays", "The minimum interval is {0:N0} to {1:N0} days; {2:N0} is outside.", rule.MinIntervalDays, 0, 365);
        }
        return errors;
    }

    private static void ValidateName(string? name, string at, HashSet<string> seen, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(FieldError.Of($"{at}.name", "Give the rule a name: the timeline and the tasks say which rule acted."));
        }
        else if (name.Trim().Length > MaxNameLength)
        {
            errors.Add(FieldError.Of($"{at}.name", "The name is {0} characters long; the limit is {1}.", name.Trim().Length, MaxNameLength));
        }
        else if (UserText.HasControlCharacters(name))
        {
            errors.Add(FieldError.Of($"{at}.name", "The name must not contain control characters."));
        }
        else if (!seen.Add(name.Trim()))
        {
            errors.Add(FieldError.Of($"{at}.name", "Another rule is already called '{0}'.", name.Trim()));
        }
    }

    private static void ValidateTrigger(RoutingTriggerDefinition? trigger, string at, RoutingNames names, List<FieldError> errors)
    {
        var level = trigger?.IntentLevel;
        var category = trigger?.Category;
        if (string.IsNullOrWhiteSpace(level) == string.IsNullOrWhiteSpace(category))
        {
            errors.Add(FieldError.Of(at, "A trigger is either an intent level (\"intentLevel\") or a category score (\"category\" and \"minScore\"), one of the two."));
            return;
        }
        if (!string.IsNullOrWhiteSpace(level))
        {
            if (!names.IntentLevels.Contains(level.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(FieldError.Of($"{at}.intentLevel", "Intent level '{0}' is not one of the published rule set's: {1}.", level.Trim(), string.Join(", ", names.IntentLevels)));
            }
            if (trigger!.MinScore is not null)
            {
                errors.Add(FieldError.Of($"{at}.minScore", "minScore goes with a category trigger, not an intent level."));
            }
            return;
        }
        if (!names.Categories.Contains(category!.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(names.Categories.Count == 0
                ? FieldError.Of($"{at}.category", "Category '{0}' does not exist: the published rule set has no categories.", category.Trim())
                : FieldError.Of($"{at}.category", "Category '{0}' is not one of the published rule set's: {1}.", category.Trim(), string.Join(", ", names.Categories)));
        }
        if (trigger!.MinScore is not { } min)
        {
            errors.Add(FieldError.Of($"{at}.minScore", "Say the category score that triggers the rule (1 to 1,000,000)."));
        }
        else
        {
            Range(errors, $"{at}.minScore", "The category score is {0:N0} to {1:N0} points; {2:N0} is outside.", min, 1, 1_000_000);
        }
    }

    private static void ValidateConditions(IReadOnlyList<RoutingConditionDefinition>? conditions, string at, List<FieldError> errors)
    {
        if (conditions is null)
        {
            return;
        }
        if (conditions.Count > MaxConditions)
        {
            errors.Add(FieldError.Of(at, "At most {0} conditions per rule; {1} were sent.", MaxConditions, conditions.Count));
        }
        for (var c = 0; c < conditions.Count; c++)
        {
            var condition = conditions[c];
            var where = $"{at}[{c}]";
            if (condition is null)
            {
                errors.Add(FieldError.Of(where, "Condition is empty."));
                continue;
            }
            if (!Fields.Contains(condition.Field, StringComparer.Ordinal))
            {
                errors.Add(FieldError.Of($"{where}.field", "Field '{0}' is not one of {1}.", condition.Field, string.Join(", ", Fields)));
                continue;
            }
            var field = new List<FieldError>();
            RuleSetValidator.ValidateCondition(new ConditionDefinition { Attribute = condition.Field, Operator = condition.Operator, Value = condition.Value }, where, field);
            errors.AddRange(field);
        }
    }

    private static void ValidateAssign(RoutingAssignDefinition? assign, string at, RoutingNames names, List<FieldError> errors)
    {
        if (assign is null)
        {
            errors.Add(FieldError.Of(at, "Say who gets the lead: \"mode\": \"user\" with \"userEmail\", or \"round_robin\" with \"team\"."));
            return;
        }
        switch (assign.Mode)
        {
            case RoutingAssignDefinition.UserMode:
                if (string.IsNullOrWhiteSpace(assign.UserEmail))
                {
                    errors.Add(FieldError.Of($"{at}.userEmail", "Name the user who gets the leads."));
                }
                else if (!names.UserEmails.Contains(assign.UserEmail.Trim(), StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add(FieldError.Of($"{at}.userEmail", "No user has the email {0}.", assign.UserEmail.Trim()));
                }
                break;
            case RoutingAssignDefinition.RoundRobinMode:
                if (string.IsNullOrWhiteSpace(assign.Team))
                {
                    errors.Add(FieldError.Of($"{at}.team", "Name the team whose sales reps take turns."));
                }
                else if (!names.Teams.Contains(assign.Team.Trim(), StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add(FieldError.Of($"{at}.team", "Team '{0}' does not exist.", assign.Team.Trim()));
                }
                break;
            default:
                errors.Add(FieldError.Of($"{at}.mode", "Mode '{0}' is not one of user, round_robin.", assign.Mode));
                break;
        }
        if (assign.Capacity is { } capacity)
        {
            Range(errors, $"{at}.capacity", "The capacity is {0:N0} to {1:N0} open tasks; {2:N0} is outside.", capacity, 1, 10_000);
        }
    }

    private static void ValidateTask(RoutingTaskDefinition? task, string at, List<FieldError> errors)
    {
        if (task is null)
        {
            return;
        }
        Range(errors, $"{at}.dueAfterMinutes", "The due time is {0:N0} to {1:N0} minutes; {2:N0} is outside.", task.DueAfterMinutes, 1, 43_200);
        Range(errors, $"{at}.graceMinutes", "The grace period is {0:N0} to {1:N0} minutes; {2:N0} is outside.", task.GraceMinutes, 0, 10_080);
        Range(errors, $"{at}.maxReclaims", "The maximum of reclaims is {0:N0} to {1:N0}; {2:N0} is outside.", task.MaxReclaims, 0, 10);
    }

    // The template's places: {0} the lowest allowed, {1} the highest, {2} the value given.
    private static void Range(List<FieldError> errors, string field, string template, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            errors.Add(FieldError.Of(field, template, min, max, value));
        }
    }
}
