using System.Globalization;
using System.Text.Json;
using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.RuleSets;

/// <summary>
/// One rule as the rule editor's inputs hold it (mutable, text where people type). <see cref="ToDefinition"/> turns it
/// into the rule the validator and engine use, typing each condition value by its operator and attribute.
/// </summary>
public sealed class RuleForm
{
    public string Name { get; set; } = "";
    public string Behavior { get; set; } = "";

    /// <summary>True to subtract <see cref="Points"/>.</summary>
    public bool Subtract { get; set; }

    /// <summary>The size of the change, always positive here; the sign is <see cref="Subtract"/>.</summary>
    public int Points { get; set; } = 1;

    /// <summary>
    /// What the points field does with a typed number: a negative one means subtracting (the toggle moves to Subtract,
    /// the field keeps the size), so "-7" is never read as +7 or clamped; zero stays, for the validator to refuse.
    /// </summary>
    public void TypePoints(int typed)
    {
        if (typed < 0)
        {
            Subtract = true;
            Points = typed == int.MinValue ? int.MaxValue : -typed;
            return;
        }
        Points = typed;
    }
    public List<ConditionForm> Conditions { get; } = [];
    public bool HasLimit { get; set; }
    public int LimitTimes { get; set; } = 1;
    public string LimitPer { get; set; } = "ever";

    /// <summary>The "Points fade" steps, in order; empty when the points never fade.</summary>
    public List<DecayStepForm> DecaySteps { get; } = [];

    /// <summary>The category the rule's points also count toward; empty for none.</summary>
    public string Category { get; set; } = "";

    /// <summary>Adds a fade step after the last: a month later and half what the last one kept, or "halves after 30 days" first.</summary>
    public void AddDecayStep()
    {
        if (DecaySteps.Count >= DecaySchedule.MaxSteps)
        {
            return;
        }
        DecaySteps.Add(DecaySteps.Count == 0
            ? new DecayStepForm { AfterDays = 30, KeepPercent = 50 }
            : new DecayStepForm { AfterDays = Math.Min(DecaySchedule.MaxAfterDays, DecaySteps[^1].AfterDays + 30), KeepPercent = DecaySteps[^1].KeepPercent / 2 });
    }

    /// <summary>What an entry of this rule is worth after <paramref name="step"/> (out-of-range shares are clamped for the preview; the validator names them).</summary>
    public int KeptAfter(DecayStepForm step) => DecaySchedule.Kept(Subtract ? -Points : Points, Math.Clamp(step.KeepPercent, 0, 99));

    public static RuleForm From(RuleDefinition rule)
    {
        var form = new RuleForm
        {
            Name = rule.Name,
            Behavior = rule.Behavior,
            Subtract = rule.Points < 0,
            Points = Math.Abs(rule.Points),
            HasLimit = rule.Limit is not null,
            LimitTimes = rule.Limit?.Times ?? 1,
            LimitPer = rule.Limit?.Per ?? "ever",
            Category = rule.Category ?? "",
        };
        form.Conditions.AddRange((rule.Conditions ?? []).Select(ConditionForm.From));
        form.DecaySteps.AddRange((rule.Decay?.Steps ?? []).Where(s => s is not null).Select(s => new DecayStepForm { AfterDays = s.AfterDays, KeepPercent = s.KeepPercent }));
        return form;
    }

    public RuleDefinition ToDefinition(BehaviorCatalog catalog)
    {
        var behavior = catalog.Find(Behavior);
        return new RuleDefinition
        {
            Name = Name.Trim(),
            Behavior = Behavior,
            Points = Subtract ? -Points : Points,
            Conditions = Conditions.Select(c => c.ToDefinition(behavior)).ToList(),
            Limit = HasLimit ? new RuleLimitDefinition { Times = LimitTimes, Per = LimitPer } : null,
            Decay = DecaySteps.Count == 0 ? null
                : new DecayDefinition { Steps = DecaySteps.Select(s => new DecayStepDefinition { AfterDays = s.AfterDays, KeepPercent = s.KeepPercent }).ToList() },
            Category = string.IsNullOrWhiteSpace(Category) ? null : Category,
        };
    }
}

/// <summary>One "after N days keep P %" row of the rule editor's "Points fade" section.</summary>
public sealed class DecayStepForm
{
    public int AfterDays { get; set; } = 30;
    public int KeepPercent { get; set; } = 50;
}

/// <summary>One condition row of the rule editor.</summary>
public sealed class ConditionForm
{
    public string Attribute { get; set; } = "";
    public string Operator { get; set; } = "equals";

    /// <summary>The typed value for every operator but <c>in</c> and <c>exists</c>.</summary>
    public string Value { get; set; } = "";

    /// <summary>The chips of an <c>in</c> list.</summary>
    public List<string> Values { get; } = [];

    public static ConditionForm From(ConditionDefinition condition)
    {
        var form = new ConditionForm { Attribute = condition.Attribute, Operator = condition.Operator };
        if (condition.Value is { ValueKind: JsonValueKind.Array } list)
        {
            form.Values.AddRange(list.EnumerateArray().Select(Text));
        }
        else if (condition.Value is { } value)
        {
            form.Value = Text(value);
        }
        return form;
    }

    /// <summary>An operator as the lead-field editors (fit rules, routing conditions) label it: "is", "is one of", "is filled in".</summary>
    public static string LeadFieldLabel(string op, IWords? words = null)
    {
        words ??= Words.English;
        return op switch
        {
            "equals" => words["is"],
            "not_equals" => words["is not"],
            "contains" => words["contains"],
            "starts_with" => words["starts with"],
            "in" => words["is one of"],
            "exists" => words["is filled in"],
            _ => op,
        };
    }

    /// <summary>The operators that fit an attribute: numeric comparisons only for numbers.</summary>
    public static IReadOnlyList<string> OperatorsFor(AttributeKind? kind) => kind == AttributeKind.Number
        ? ["equals", "not_equals", "gt", "gte", "lt", "lte", "in", "exists"]
        : ["equals", "not_equals", "contains", "starts_with", "in", "exists"];

    public ConditionDefinition ToDefinition(BehaviorType? behavior)
    {
        var isNumber = behavior?.Attributes.FirstOrDefault(a => string.Equals(a.Name, Attribute, StringComparison.OrdinalIgnoreCase))?.Kind == AttributeKind.Number;
        JsonElement? value = Operator switch
        {
            "exists" => null,
            "in" => JsonSerializer.SerializeToElement(Values.Select(v => Typed(v, isNumber)).ToList()),
            "gt" or "gte" or "lt" or "lte" => JsonSerializer.SerializeToElement(Typed(Value, true)),
            _ => JsonSerializer.SerializeToElement(Typed(Value, isNumber)),
        };
        return new ConditionDefinition { Attribute = Attribute.Trim(), Operator = Operator, Value = value };
    }

    // Numbers travel as JSON numbers when they read as one, so "10" and 10 compare alike and gt gets a number.
    private static object Typed(string text, bool preferNumber) =>
        preferNumber && decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : text.Trim();

    private static string Text(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
}
