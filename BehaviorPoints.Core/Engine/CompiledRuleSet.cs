using System.Collections.Frozen;
using System.Text.Json;

namespace BehaviorPoints.Core.Engine;

/// <summary>
/// A published version made ready for scoring: rules indexed by behavior type in their order, conditions with their
/// values parsed once. Immutable, so one instance serves every request until the next publish.
/// </summary>
public sealed class CompiledRuleSet
{
    private static readonly CompiledRule[] s_none = [];
    private readonly FrozenDictionary<string, BehaviorRules> _rulesByBehavior;
    private readonly FrozenDictionary<string, CompiledRule> _limitedRules;

    private CompiledRuleSet(
        int version, FrozenDictionary<string, BehaviorRules> rulesByBehavior, IntentBands? bands, IReadOnlyList<CompiledRule> rules,
        IReadOnlyList<CompiledCategory> categories, StagePath stages)
    {
        Version = version;
        Categories = categories;
        Stages = stages;
        _rulesByBehavior = rulesByBehavior;
        Bands = bands;
        Rules = rules;
        _limitedRules = rules.Where(r => r.LimitTimes is not null).ToFrozenDictionary(r => r.Name);
        LimitedRuleNames = _limitedRules.Keys.ToFrozenSet();
    }

    /// <summary>The published version number every entry scored with this set records.</summary>
    public int Version { get; }

    /// <summary>The intent field's bands, or null when the rule set has no intent field.</summary>
    public IntentBands? Bands { get; }

    /// <summary>The categories rules may count toward, in the rule set's order.</summary>
    public IReadOnlyList<CompiledCategory> Categories { get; }

    /// <summary>The funnel stages.</summary>
    public StagePath Stages { get; }

    /// <summary>All rules in order.</summary>
    public IReadOnlyList<CompiledRule> Rules { get; }

    /// <summary>The names of the rules with a limit: the only ones whose counts scoring reads.</summary>
    public IReadOnlySet<string> LimitedRuleNames { get; }

    /// <summary>The limit period keys (e.g. <c>2026-11-20</c>) that behaviors at <paramref name="times"/> count against.</summary>
    public IReadOnlySet<string> LimitPeriodKeys(IEnumerable<DateTime> times)
    {
        var periods = _limitedRules.Values.Select(r => r.LimitPeriod).Distinct().ToList();
        return times.Distinct().SelectMany(t => periods.Select(p => p.KeyFor(t))).ToHashSet();
    }

    /// <summary>The rule with a limit called <paramref name="name"/>, or null.</summary>
    public CompiledRule? LimitedRule(string name) => _limitedRules.GetValueOrDefault(name);

    /// <summary>The rules for one behavior type, in rule-set order.</summary>
    public ReadOnlySpan<CompiledRule> RulesFor(string behaviorType) =>
        _rulesByBehavior.TryGetValue(behaviorType, out var rules) ? rules.Rules : s_none;

    /// <summary>The rules of one behavior type with the attribute names their conditions read, or null when none.</summary>
    internal BehaviorRules? For(string behaviorType) => _rulesByBehavior.GetValueOrDefault(behaviorType);

    /// <summary>Compiles a valid definition; call <see cref="RuleSetValidator"/> first.</summary>
    public static CompiledRuleSet Compile(RuleSetDefinition definition, int version)
    {
        var categories = (definition.Categories ?? [])
            .Select(c => new CompiledCategory(c.Name.Trim(), c.Ranges is { Count: > 0 } ranges ? IntentBands.From(new IntentFieldDefinition { Name = c.Name.Trim(), Options = ranges }) : null))
            .ToArray();
        // A rule names its category in any case; its entries carry the category list's spelling.
        string? Listed(string? category) => categories.FirstOrDefault(c => string.Equals(c.Name, category?.Trim(), StringComparison.OrdinalIgnoreCase))?.Name;
        var rules = definition.Rules.Select((rule, index) => CompiledRule.Compile(rule with { Category = Listed(rule.Category) }, index)).ToArray();
        var byBehavior = rules.GroupBy(r => r.Behavior, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => BehaviorRules.Of(g.ToArray()), StringComparer.Ordinal);
        var bands = definition.IntentField is null ? null : IntentBands.From(definition.IntentField);
        var stages = definition.Stages is { Count: > 0 } defined ? new StagePath(defined) : StagePath.Default;
        return new CompiledRuleSet(version, byBehavior, bands, rules, categories, stages);
    }
}

/// <summary>
/// The rules of one behavior type, in order, and the distinct attribute names their conditions read: the engine looks
/// each name up once per behavior and the conditions read it by <see cref="CompiledCondition.Slot"/>. Conditions that
/// are the same test (same attribute, operator and values, as rules often repeat) share a
/// <see cref="CompiledCondition.Memo"/>, so each distinct test runs at most once per behavior.
/// </summary>
internal sealed class BehaviorRules
{
    private BehaviorRules(CompiledRule[] rules, string[] attributeNames, int distinctConditions)
    {
        Rules = rules;
        AttributeNames = attributeNames;
        DistinctConditions = distinctConditions;
    }

    public CompiledRule[] Rules { get; }
    public string[] AttributeNames { get; }
    public int DistinctConditions { get; }

    public static BehaviorRules Of(CompiledRule[] rules)
    {
        var names = new List<string>();
        var tests = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var condition in rules.SelectMany(r => r.Conditions))
        {
            var slot = names.FindIndex(n => string.Equals(n, condition.Attribute, StringComparison.OrdinalIgnoreCase));
            if (slot < 0)
            {
                slot = names.Count;
                names.Add(condition.Attribute);
            }
            condition.Slot = slot;
            var test = $"{slot}\u001f{condition.Operator}\u001f{string.Join('\u001f', condition.Values.Select(v => v.Text))}";
            if (!tests.TryGetValue(test, out var memo))
            {
                memo = tests.Count;
                tests[test] = memo;
            }
            condition.Memo = memo;
        }
        return new BehaviorRules(rules, [.. names], tests.Count);
    }
}

/// <summary>One rule ready to test: its conditions compiled, its limit parsed.</summary>
public sealed class CompiledRule
{
    private readonly CompiledCondition[] _conditions;

    private CompiledRule(int position, string name, string behavior, int points, CompiledCondition[] conditions, int? limitTimes, LimitPeriod limitPeriod, DecaySchedule? decay, string? category)
    {
        Decay = decay;
        Category = category;
        Position = position;
        Name = name;
        Behavior = behavior;
        Points = points;
        _conditions = conditions;
        LimitTimes = limitTimes;
        LimitPeriod = limitPeriod;
    }

    /// <summary>Zero-based position in the rule set.</summary>
    public int Position { get; }
    public string Name { get; }
    public string Behavior { get; }
    public int Points { get; }
    public IReadOnlyList<CompiledCondition> Conditions => _conditions;

    /// <summary>At most this many applications per lead and period, or null for no limit.</summary>
    public int? LimitTimes { get; }
    public LimitPeriod LimitPeriod { get; }

    /// <summary>How the rule's entries fade, or null when they keep their points.</summary>
    public DecaySchedule? Decay { get; }

    /// <summary>The category the rule's entries count toward, or null.</summary>
    public string? Category { get; }

    public bool Matches(IReadOnlyDictionary<string, AttributeValue> attributes)
    {
        foreach (var condition in _conditions)
        {
            if (!condition.Matches(attributes))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Like <see cref="Matches(IReadOnlyDictionary{string, AttributeValue})"/>, with the attributes already looked up by
    /// slot and each distinct test's result remembered for this behavior (0 not yet run, 1 true, 2 false).
    /// </summary>
    internal bool Matches(ReadOnlySpan<AttributeValue?> slots, Span<byte> memo)
    {
        foreach (var condition in _conditions)
        {
            ref var known = ref memo[condition.Memo];
            if (known == 0)
            {
                known = condition.Matches(slots[condition.Slot]) ? (byte)1 : (byte)2;
            }
            if (known == 2)
            {
                return false;
            }
        }
        return true;
    }

    internal static CompiledRule Compile(RuleDefinition rule, int position)
    {
        var conditions = (rule.Conditions ?? []).Select(CompiledCondition.Compile).ToArray();
        int? times = null;
        var period = LimitPeriod.Ever;
        if (rule.Limit is { } limit && LimitPeriods.TryParse(limit.Per, out period))
        {
            times = limit.Times;
        }
        return new CompiledRule(position, rule.Name.Trim(), rule.Behavior, rule.Points, conditions, times, period, DecaySchedule.Of(rule.Decay),
            string.IsNullOrWhiteSpace(rule.Category) ? null : rule.Category.Trim());
    }
}

/// <summary>
/// One condition with its value parsed. Text compares case-insensitively; a number comparison on a value that is not a
/// number does not match; a missing attribute matches only <c>not_equals</c>.
/// </summary>
public sealed class CompiledCondition
{
    private readonly AttributeValue[] _values;

    private CompiledCondition(string attribute, ConditionOperator op, AttributeValue[] values)
    {
        Attribute = attribute;
        Operator = op;
        _values = values;
    }

    public string Attribute { get; }
    public ConditionOperator Operator { get; }

    /// <summary>Where the engine puts this condition's attribute value for a behavior (see <see cref="BehaviorRules"/>).</summary>
    internal int Slot { get; set; }

    /// <summary>This test's place among the distinct tests of its behavior type's rules (see <see cref="BehaviorRules"/>).</summary>
    internal int Memo { get; set; }

    /// <summary>The value(s) compared against: one for scalar operators, the list for <c>in</c>, none for <c>exists</c>.</summary>
    public IReadOnlyList<AttributeValue> Values => _values;

    public bool Matches(IReadOnlyDictionary<string, AttributeValue> attributes) =>
        Matches(attributes.TryGetValue(Attribute, out var actual) ? actual : null);

    /// <summary>Tests the attribute's value, or null when the behavior does not carry the attribute.</summary>
    public bool Matches(in AttributeValue? value)
    {
        if (value is not { } actual)
        {
            return Operator == ConditionOperator.NotEquals;
        }

        return Operator switch
        {
            ConditionOperator.Exists => true,
            ConditionOperator.Equals => AreEqual(actual, _values[0]),
            ConditionOperator.NotEquals => !AreEqual(actual, _values[0]),
            ConditionOperator.Contains => actual.Text.Contains(_values[0].Text, StringComparison.OrdinalIgnoreCase),
            ConditionOperator.StartsWith => actual.Text.StartsWith(_values[0].Text, StringComparison.OrdinalIgnoreCase),
            ConditionOperator.In => InList(actual),
            ConditionOperator.GreaterThan => actual.Number > _values[0].Number,
            ConditionOperator.GreaterOrEqual => actual.Number >= _values[0].Number,
            ConditionOperator.LessThan => actual.Number < _values[0].Number,
            ConditionOperator.LessOrEqual => actual.Number <= _values[0].Number,
            _ => false,
        };
    }

    private bool InList(AttributeValue actual)
    {
        foreach (var value in _values)
        {
            if (AreEqual(actual, value))
            {
                return true;
            }
        }
        return false;
    }

    // Numbers compare by value (10 equals 10.0); everything else as case-insensitive text.
    private static bool AreEqual(AttributeValue actual, AttributeValue expected) =>
        actual.Number is { } a && expected.Number is { } e
            ? a == e
            : string.Equals(actual.Text, expected.Text, StringComparison.OrdinalIgnoreCase);

    internal static CompiledCondition Compile(ConditionDefinition condition)
    {
        ConditionOperators.TryParse(condition.Operator, out var op);
        var values = condition.Value is not { } value ? []
            : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(Scalar).ToArray()
            : value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? []
            : [Scalar(value)];
        return new CompiledCondition(condition.Attribute.Trim(), op, values);
    }

    private static AttributeValue Scalar(JsonElement element) =>
        AttributeValue.TryFromJson(element, out var value) ? value : AttributeValue.FromText(element.GetRawText());
}
