using System.Text.Json;
using BehaviorPoints.Core.Routing;

namespace BehaviorPoints.Core.Demo;

/// <summary>The demo's routing: each team's hot leads (South: warm ones too) go round-robin to its reps with a follow-up task.</summary>
public static class DemoRouting
{
    public static RoutingRuleList Rules { get; } = new()
    {
        Rules =
        [
            TeamLeads("Hot leads North", "High", "North", dueAfterMinutes: 240, maxReclaims: 1),
            TeamLeads("Warm leads South", "Medium", "South", dueAfterMinutes: 480, maxReclaims: 1),
            TeamLeads("Hot leads Enterprise", "High", "Enterprise", dueAfterMinutes: 120, maxReclaims: 2),
        ],
    };

    /// <summary>The same rules over the Chinese demo's intent levels, named in Chinese.</summary>
    public static RoutingRuleList Chinese { get; } = new()
    {
        Rules =
        [
            TeamLeads("North 团队的高意向线索", "高", "North", dueAfterMinutes: 240, maxReclaims: 1),
            TeamLeads("South 团队的中意向线索", "中", "South", dueAfterMinutes: 480, maxReclaims: 1),
            TeamLeads("Enterprise 团队的高意向线索", "高", "Enterprise", dueAfterMinutes: 120, maxReclaims: 2),
        ],
    };

    /// <summary>The English demo's or the Chinese one's.</summary>
    public static RoutingRuleList For(bool chinese) => chinese ? Chinese : Rules;

    private static RoutingRuleDefinition TeamLeads(string name, string level, string team, int dueAfterMinutes, int maxReclaims) => new()
    {
        Name = name,
        Trigger = new RoutingTriggerDefinition { IntentLevel = level },
        Conditions = [new RoutingConditionDefinition { Field = "team", Operator = "equals", Value = JsonSerializer.SerializeToElement(team) }],
        Assign = new RoutingAssignDefinition { Mode = RoutingAssignDefinition.RoundRobinMode, Team = team, Capacity = 25 },
        Task = new RoutingTaskDefinition { DueAfterMinutes = dueAfterMinutes, GraceMinutes = 60, MaxReclaims = maxReclaims },
        MinIntervalDays = 7,
    };
}
