using System.Text.Json;

namespace BehaviorPoints.Core.Engine;

/// <summary>
/// A rule set as administrators edit it: the JSON shape of SPEC §5, used by the draft,
/// by every published version and by the API. It may be invalid; <see cref="RuleSetValidator"/> says why.
/// </summary>
public sealed record RuleSetDefinition
{
    public string Name { get; init; } = "";
    public string ApiName { get; init; } = "";
    public string Object { get; init; } = ScoringObjects.Leads;
    public string? Description { get; init; }
    public IReadOnlyList<RuleDefinition> Rules { get; init; } = [];
    public IntentFieldDefinition? IntentField { get; init; } = IntentFieldDefinition.Default;

    /// <summary>Categories a rule may name; their scores are sums of their entries (SPEC §12).</summary>
    public IReadOnlyList<CategoryDefinition> Categories { get; init; } = [];

    /// <summary>The funnel stages in order; a version stored before stages existed reads as the defaults.</summary>
    public IReadOnlyList<StageDefinition> Stages { get; init; } = StageDefinition.Defaults;
}

/// <summary>One scoring rule: every rule whose behavior and conditions match applies its points.</summary>
public sealed record RuleDefinition
{
    public string Name { get; init; } = "";
    public string Behavior { get; init; } = "";
    public IReadOnlyList<ConditionDefinition> Conditions { get; init; } = [];
    public int Points { get; init; }
    public RuleLimitDefinition? Limit { get; init; }

    /// <summary>How the rule's points fade with time, or null when they never do (SPEC §9).</summary>
    public DecayDefinition? Decay { get; init; }

    /// <summary>The category the rule's entries also count toward, or null (SPEC §12).</summary>
    public string? Category { get; init; }
}

/// <summary>A fading schedule: after each step's days, an entry keeps that step's percentage of its points.</summary>
public sealed record DecayDefinition
{
    public IReadOnlyList<DecayStepDefinition> Steps { get; init; } = [];
}

/// <summary>One step of a fading schedule: after afterDays days (1-3650) an entry keeps keepPercent % (0-99) of its points.</summary>
public sealed record DecayStepDefinition
{
    public int AfterDays { get; init; }
    public int KeepPercent { get; init; }
}

/// <summary>A test on one attribute of the behavior; <see cref="Value"/> is a string, number, boolean or (for <c>in</c>) an array.</summary>
public sealed record ConditionDefinition
{
    public string Attribute { get; init; } = "";
    public string Operator { get; init; } = "";
    public JsonElement? Value { get; init; }
}

/// <summary>"At most <see cref="Times"/> times per lead" in each <see cref="Per"/> period (day, week, month, ever).</summary>
public sealed record RuleLimitDefinition
{
    public int Times { get; init; }
    public string Per { get; init; } = "";
}

/// <summary>The optional single-select result field that buckets the total into options by integer range.</summary>
public sealed record IntentFieldDefinition
{
    public string Name { get; init; } = "";
    public IReadOnlyList<IntentOptionDefinition> Options { get; init; } = [];

    /// <summary>Low below 50, Medium 50 to 100, High above 100.</summary>
    public static IntentFieldDefinition Default { get; } = new()
    {
        Name = "Intent Level",
        Options =
        [
            new() { Label = "Low", Min = null, Max = 49 },
            new() { Label = "Medium", Min = 50, Max = 100 },
            new() { Label = "High", Min = 101, Max = null },
        ],
    };
}

/// <summary>One option of the intent field: totals from <see cref="Min"/> to <see cref="Max"/> inclusive; null means unbounded.</summary>
public sealed record IntentOptionDefinition
{
    public string Label { get; init; } = "";
    public long? Min { get; init; }
    public long? Max { get; init; }
}

/// <summary>The objects a rule set can score. Leads is the only one today.</summary>
public static class ScoringObjects
{
    public const string Leads = "Leads";
    public static readonly IReadOnlyList<string> All = [Leads];
}
