using System.Text.Json;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Routing;

/// <summary>One routing rule ready to test leads: its trigger, its field conditions and what it does.</summary>
public sealed class CompiledRoutingRule
{
    private readonly CompiledCondition[] _conditions;

    public CompiledRoutingRule(RoutingRuleDefinition definition)
    {
        Definition = definition;
        _conditions = definition.Conditions
            .Select(c => CompiledCondition.Compile(new ConditionDefinition { Attribute = c.Field, Operator = c.Operator, Value = c.Value }))
            .ToArray();
    }

    public RoutingRuleDefinition Definition { get; }
    public string Name => Definition.Name;
    public string? IntentLevel => Definition.Trigger.IntentLevel;
    public string? Category => Definition.Trigger.Category;
    public long MinScore => Definition.Trigger.MinScore ?? 0;
    public TimeSpan MinInterval => TimeSpan.FromDays(Definition.MinIntervalDays);

    /// <summary>The rule's trigger under the intent bands in force.</summary>
    public ScoreTrigger TriggerUnder(IntentBands? bands) => IntentLevel is { } level
        ? new ScoreTrigger.IntentLevelReached(level, bands ?? IntentBands.Default)
        : new ScoreTrigger.CategoryScoreReached(Category!, MinScore);

    /// <summary>What entering the trigger is called on the timeline: "Intent Level became High", "CRM score reached 50".</summary>
    public Said TriggerWords(IntentBands? bands) => IntentLevel is { } level
        ? Said.Of("when {0} became {1}", bands?.FieldName ?? "Intent Level", level)
        : Said.Of("when {0} score reached {1}", Category, MinScore.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Whether a firing at <paramref name="lastFired"/> still holds the rule back at <paramref name="now"/> (its minimum interval).</summary>
    public bool HeldBack(DateTime? lastFired, DateTime now) => MinInterval > TimeSpan.Zero && lastFired > now - MinInterval;

    /// <summary>
    /// Whether the rule fires for a score change from <paramref name="before"/> to <paramref name="after"/> at
    /// <paramref name="now"/>: the change enters its trigger from below, and its last firing for the lead is not within
    /// its minimum interval.
    /// </summary>
    public bool Fires(TriggerScores before, TriggerScores after, IntentBands? bands, DateTime? lastFired, DateTime now) =>
        TriggerUnder(bands).Entered(before, after) && !HeldBack(lastFired, now);

    /// <summary>Whether the lead's fields pass every condition.</summary>
    public bool Matches(IReadOnlyDictionary<string, AttributeValue> fields)
    {
        foreach (var condition in _conditions)
        {
            if (!condition.Matches(fields))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The lead's fields as routing conditions see them: the fit fields and its team's name.</summary>
    public static IReadOnlyDictionary<string, AttributeValue> FieldsOf(Lead lead, string? teamName)
    {
        var fields = new Dictionary<string, AttributeValue>(CompiledFitModel.FieldsOf(lead), StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(teamName))
        {
            fields["team"] = AttributeValue.FromText(teamName);
        }
        return fields;
    }
}

/// <summary>The saved routing rules, in order, at one version.</summary>
public sealed class CompiledRoutingRules(int version, IReadOnlyList<CompiledRoutingRule> rules)
{
    public static CompiledRoutingRules None { get; } = new(0, []);

    public int Version { get; } = version;
    public IReadOnlyList<CompiledRoutingRule> Rules { get; } = rules;
    public bool AnyCategoryTrigger { get; } = rules.Any(r => r.Category is not null);

    public CompiledRoutingRule? Find(string name) => Rules.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Holds the compiled routing rules: each write transaction that may fire them reads the saved version (one row by key)
/// and recompiles only when it moved, so a save on any app instance is in force on every one from its next write.
/// </summary>
public sealed class PublishedRoutingRules
{
    public const int RowId = 1;

    private volatile CompiledRoutingRules _current = CompiledRoutingRules.None;

    public async Task<CompiledRoutingRules> CurrentAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default)
    {
        var version = await db.RoutingRuleSets.AsNoTracking().Where(s => s.Id == RowId).Select(s => (int?)s.Version).FirstOrDefaultAsync(cancellationToken);
        if (version is null)
        {
            return CompiledRoutingRules.None;
        }
        var cached = _current;
        if (cached.Version == version)
        {
            return cached;
        }
        var json = await db.RoutingRuleSets.AsNoTracking().Where(s => s.Id == RowId).Select(s => s.DefinitionJson).SingleAsync(cancellationToken);
        var compiled = Compile(Read(json), version.Value);
        _current = compiled;
        return compiled;
    }

    public static RoutingRuleList Read(string json) => JsonSerializer.Deserialize<RoutingRuleList>(json, CoreJson.Options) ?? RoutingRuleList.Empty;

    public static CompiledRoutingRules Compile(RoutingRuleList list, int version) => new(version, [.. list.Rules.Select(r => new CompiledRoutingRule(r))]);
}
