using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.RuleSets;

namespace BehaviorPoints.Core.Routing;

/// <summary>The routing rule editor's state, turned into a <see cref="RoutingRuleDefinition"/> and back.</summary>
public sealed class RoutingRuleForm
{
    public string Name { get; set; } = "";

    /// <summary>True for an intent-level trigger, false for a category score.</summary>
    public bool ByIntentLevel { get; set; } = true;
    public string IntentLevel { get; set; } = "High";
    public string Category { get; set; } = "";
    public long MinScore { get; set; } = 50;
    public List<ConditionForm> Conditions { get; } = [];
    public bool RoundRobin { get; set; } = true;
    public string Team { get; set; } = "";
    public int? Capacity { get; set; }
    public string UserEmail { get; set; } = "";
    public bool ReassignOwned { get; set; }
    public bool CreateTask { get; set; } = true;
    public int DueAfterMinutes { get; set; } = 240;
    public int GraceMinutes { get; set; } = 60;
    public int MaxReclaims { get; set; } = 2;
    public int MinIntervalDays { get; set; } = 7;

    /// <summary>The lead fields a condition can test, with their labels.</summary>
    public static IReadOnlyList<(string Code, string Label)> Fields { get; } =
        [("team", "Team"), .. FitFields.All.Select(f => (f.Code, f.Label))];

    public static string FieldLabel(string code, IWords? words = null) => code == "team" ? (words ?? Words.English)["Team"] : FitFields.LabelOf(code, words);

    public static RoutingRuleForm From(RoutingRuleDefinition rule)
    {
        var form = new RoutingRuleForm
        {
            Name = rule.Name,
            ByIntentLevel = rule.Trigger.IntentLevel is not null,
            IntentLevel = rule.Trigger.IntentLevel ?? "High",
            Category = rule.Trigger.Category ?? "",
            MinScore = rule.Trigger.MinScore ?? 50,
            RoundRobin = rule.Assign.Mode != RoutingAssignDefinition.UserMode,
            Team = rule.Assign.Team ?? "",
            Capacity = rule.Assign.Capacity,
            UserEmail = rule.Assign.UserEmail ?? "",
            ReassignOwned = rule.ReassignOwned,
            CreateTask = rule.Task is not null,
            DueAfterMinutes = rule.Task?.DueAfterMinutes ?? 240,
            GraceMinutes = rule.Task?.GraceMinutes ?? 60,
            MaxReclaims = rule.Task?.MaxReclaims ?? 2,
            MinIntervalDays = rule.MinIntervalDays,
        };
        form.Conditions.AddRange(rule.Conditions.Select(c => ConditionForm.From(new ConditionDefinition { Attribute = c.Field, Operator = c.Operator, Value = c.Value })));
        return form;
    }

    public RoutingRuleDefinition ToDefinition() => new()
    {
        Name = Name.Trim(),
        Trigger = ByIntentLevel
            ? new RoutingTriggerDefinition { IntentLevel = IntentLevel }
            : new RoutingTriggerDefinition { Category = Category, MinScore = MinScore },
        Conditions = [.. Conditions.Select(c => c.ToDefinition(null)).Select(c => new RoutingConditionDefinition { Field = c.Attribute, Operator = c.Operator, Value = c.Value })],
        Assign = RoundRobin
            ? new RoutingAssignDefinition { Mode = RoutingAssignDefinition.RoundRobinMode, Team = Team, Capacity = Capacity }
            : new RoutingAssignDefinition { Mode = RoutingAssignDefinition.UserMode, UserEmail = UserEmail },
        ReassignOwned = ReassignOwned,
        Task = CreateTask ? new RoutingTaskDefinition { DueAfterMinutes = DueAfterMinutes, GraceMinutes = GraceMinutes, MaxReclaims = MaxReclaims } : null,
        MinIntervalDays = MinIntervalDays,
    };
}

/// <summary>Routing rules read back as sentences, as the administration page lists them.</summary>
public static class RoutingSentences
{
    /// <summary>
    /// e.g. "When Intent Level becomes High and Team is North: round-robin among North's sales reps (at most 20 open
    /// tasks each), follow-up task due in 4 hours, reclaimed 1 hour after that, at most 2 times. Fires again after 7 days."
    /// </summary>
    public static string Describe(RoutingRuleDefinition rule, string intentFieldName = "Intent Level", IWords? words = null)
    {
        words ??= Words.English;
        var trigger = rule.Trigger.IntentLevel is { } level
            ? words["When {0} becomes {1} or higher", intentFieldName, level]
            : words["When the {0} score reaches {1}", rule.Trigger.Category ?? "", rule.Trigger.MinScore?.ToString("N0", System.Globalization.CultureInfo.CurrentCulture) ?? ""];
        var when = rule.Conditions.Count == 0 ? trigger : words["{0} and {1}", trigger, RuleSentences.All(
            rule.Conditions.Select(c => RuleSentences.Describe(new ConditionDefinition { Attribute = RoutingRuleForm.FieldLabel(c.Field, words), Operator = c.Operator, Value = c.Value }, words)), words)];
        var assign = rule.Assign.Mode == RoutingAssignDefinition.UserMode
            ? words["assign to {0}", rule.Assign.UserEmail ?? ""]
            : rule.Assign.Capacity is 1
                ? words["round-robin among {0}'s sales reps, at most 1 open task each", rule.Assign.Team ?? ""]
            : rule.Assign.Capacity is { } cap
                ? words["round-robin among {0}'s sales reps, at most {1} open tasks each", rule.Assign.Team ?? "", cap]
                : words["round-robin among {0}'s sales reps", rule.Assign.Team ?? ""];
        assign = rule.ReassignOwned ? words["{0} (taking leads from their owners too)", assign] : words["{0} (owned leads keep their owner)", assign];
        var task = rule.Task is { } t
            ? (t.GraceMinutes == 0
                ? words["follow-up task due in {0}, back to the pool at once if still open", LeadRouter.Duration(t.DueAfterMinutes, words)]
                : words["follow-up task due in {0}, back to the pool {1} after that if still open", LeadRouter.Duration(t.DueAfterMinutes, words), LeadRouter.Duration(t.GraceMinutes, words)])
              + (t.MaxReclaims switch { 0 => words[", then left in the pool"], 1 => words[", re-routed at most 1 time"], _ => words[", re-routed at most {0} times", t.MaxReclaims] })
            : words["no follow-up task"];
        var interval = rule.MinIntervalDays == 0 ? words["Fires on every entry."]
            : rule.MinIntervalDays == 1 ? words["Fires again for the same lead after 1 day at the soonest."]
            : words["Fires again for the same lead after {0} days at the soonest.", rule.MinIntervalDays];
        return words["{0}: {1}; {2}. {3}", when, assign, task, interval];
    }
}
