using System.Text.Json;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core;

namespace BehaviorPoints.Tests.Support;

/// <summary>Short ways to write rules, rule sets and behaviors in tests.</summary>
internal static class Build
{
    public static RuleDefinition Rule(string name, string behavior, int points, params ConditionDefinition[] conditions) =>
        new() { Name = name, Behavior = behavior, Points = points, Conditions = conditions };

    public static RuleDefinition Limited(this RuleDefinition rule, int times, string per) =>
        rule with { Limit = new RuleLimitDefinition { Times = times, Per = per } };

    /// <summary>The rule with a fading schedule: each step "after N days keep P %".</summary>
    public static RuleDefinition Fading(this RuleDefinition rule, params (int AfterDays, int KeepPercent)[] steps) =>
        rule with { Decay = new DecayDefinition { Steps = [.. steps.Select(s => new DecayStepDefinition { AfterDays = s.AfterDays, KeepPercent = s.KeepPercent })] } };

    /// <summary>The rule counting toward a category as well (SPEC §12).</summary>
    public static RuleDefinition In(this RuleDefinition rule, string category) => rule with { Category = category };

    /// <summary>The rule set with these categories listed (no ranges) and stages "name:advanceAt" ("Engaged:60", "Closed").</summary>
    public static RuleSetDefinition WithFunnel(this RuleSetDefinition ruleSet, string[] categories, params string[] stages) => ruleSet with
    {
        Categories = [.. categories.Select(c => new CategoryDefinition { Name = c })],
        Stages = stages.Length == 0 ? ruleSet.Stages : [.. stages.Select(s => s.Split(':') is var parts && parts.Length == 2
            ? new StageDefinition { Name = parts[0], AdvanceAt = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) }
            : new StageDefinition { Name = s })],
    };

    public static ConditionDefinition When(string attribute, string op, object? value = null) => new()
    {
        Attribute = attribute,
        Operator = op,
        Value = value is null ? null : JsonSerializer.SerializeToElement(value),
    };

    public static RuleSetDefinition RuleSet(params RuleDefinition[] rules) => new()
    {
        Name = "Behavior Points",
        ApiName = "behavior_points__c",
        Rules = rules,
    };

    public static CompiledRuleSet Compiled(params RuleDefinition[] rules) => Compile(RuleSet(rules));

    public static CompiledRuleSet Compile(RuleSetDefinition definition, int version = 1)
    {
        var errors = RuleSetValidator.Validate(definition, BehaviorCatalog.BuiltInOnly);
        Assert.True(errors.Count == 0, "test rule set is invalid: " + string.Join("; ", errors));
        return CompiledRuleSet.Compile(definition, version);
    }

    /// <summary>The seeds' example: any follow +1, a follow of ShareCRM +2 more.</summary>
    public static RuleDefinition[] SeedExample =>
    [
        Rule("Follow any account", "official_account.follow", 1),
        Rule("Follow ShareCRM", "official_account.follow", 2, When("accountId", "equals", "sharecrm")),
    ];

    public static BehaviorOccurrence Behavior(string type, object? attributes = null, DateTime? at = null)
    {
        var bag = BehaviorOccurrence.NewAttributeBag();
        if (attributes is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(attributes).EnumerateObject())
            {
                if (AttributeValue.TryFromJson(property.Value, out var value))
                {
                    bag[property.Name] = value;
                }
            }
        }
        return new BehaviorOccurrence(type, at ?? new DateTime(2026, 11, 20, 8, 30, 0, DateTimeKind.Utc), bag);
    }

    public static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value, CoreJson.Options);
}

/// <summary>A clock tests can set and move.</summary>
internal sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
