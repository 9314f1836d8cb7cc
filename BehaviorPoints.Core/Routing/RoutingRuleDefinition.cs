using System.Text.Json;

namespace BehaviorPoints.Core.Routing;

/// <summary>The routing rules as edited, stored and answered by the API (SPEC §10): an ordered list, the first match fires.</summary>
/// <example>
/// { "rules": [ { "name": "Hot leads North", "trigger": { "intentLevel": "High" },
///   "conditions": [ { "field": "team", "operator": "equals", "value": "North" } ],
///   "assign": { "mode": "round_robin", "team": "North", "capacity": 20 }, "reassignOwned": false,
///   "task": { "dueAfterMinutes": 240, "graceMinutes": 60, "maxReclaims": 2 }, "minIntervalDays": 7 } ] }
/// </example>
public sealed record RoutingRuleList
{
    public IReadOnlyList<RoutingRuleDefinition> Rules { get; init; } = [];

    public static RoutingRuleList Empty { get; } = new();
}

public sealed record RoutingRuleDefinition
{
    public string Name { get; init; } = "";
    public RoutingTriggerDefinition Trigger { get; init; } = new();
    public IReadOnlyList<RoutingConditionDefinition> Conditions { get; init; } = [];
    public RoutingAssignDefinition Assign { get; init; } = new();
    public bool ReassignOwned { get; init; }
    public RoutingTaskDefinition? Task { get; init; }
    public int MinIntervalDays { get; init; } = 7;
}

/// <summary>Either <see cref="IntentLevel"/> (that level or higher), or <see cref="Category"/> with <see cref="MinScore"/>.</summary>
public sealed record RoutingTriggerDefinition
{
    public string? IntentLevel { get; init; }
    public string? Category { get; init; }
    public long? MinScore { get; init; }
}

/// <summary>A test on one of the lead's fields, with the fit rules' operators.</summary>
public sealed record RoutingConditionDefinition
{
    public string Field { get; init; } = "";
    public string Operator { get; init; } = "";
    public JsonElement? Value { get; init; }
}

public sealed record RoutingAssignDefinition
{
    public const string UserMode = "user";
    public const string RoundRobinMode = "round_robin";

    /// <summary><c>user</c> or <c>round_robin</c>.</summary>
    public string Mode { get; init; } = RoundRobinMode;
    public string? UserEmail { get; init; }
    public string? Team { get; init; }

    /// <summary>At most this many open follow-up tasks per rep; null for no cap.</summary>
    public int? Capacity { get; init; }
}

public sealed record RoutingTaskDefinition
{
    public int DueAfterMinutes { get; init; } = 240;
    public int GraceMinutes { get; init; } = 60;
    public int MaxReclaims { get; init; } = 2;
}
