using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.Fit;


/// <summary>
/// A published fit model ready to score leads. Fit is computed from the lead's fields alone, from scratch each time,
/// so it goes down as readily as up when a field changes.
/// </summary>
public sealed class CompiledFitModel
{
    private readonly (FitRuleDefinition Rule, CompiledCondition Condition)[] _rules;

    private CompiledFitModel(int version, FitModelDefinition definition)
    {
        Version = version;
        Definition = definition;
        Bands = definition.Bands;
        _rules = definition.Rules
            .Select(r => (r, CompiledCondition.Compile(new ConditionDefinition { Attribute = r.Field, Operator = r.Operator, Value = r.Value })))
            .ToArray();
    }

    public int Version { get; }
    public FitModelDefinition Definition { get; }
    public FitBandsDefinition Bands { get; }

    /// <summary>Compiles a valid definition; call <see cref="FitModelValidator"/> first.</summary>
    public static CompiledFitModel Compile(FitModelDefinition definition, int version) => new(version, definition);

    public FitResult Score(Lead lead) => Score(FieldsOf(lead));

    /// <summary>The score of a set of field values (codes of <see cref="FitFields"/>).</summary>
    public FitResult Score(IReadOnlyDictionary<string, AttributeValue> fields)
    {
        var score = 0;
        foreach (var (rule, condition) in _rules)
        {
            if (condition.Matches(fields))
            {
                score += rule.Points;
            }
        }
        return new FitResult(score, Bands.LevelOf(score), Version);
    }

    /// <summary>The lead's fields as fit rules see them; empty fields are absent.</summary>
    public static IReadOnlyDictionary<string, AttributeValue> FieldsOf(Lead lead)
    {
        var fields = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        void Add(string code, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                fields[code] = AttributeValue.FromText(value);
            }
        }
        Add(FitFields.Industry, lead.Industry);
        Add(FitFields.CompanySize, lead.CompanySize);
        Add(FitFields.JobTitle, lead.JobTitle);
        Add(FitFields.Region, lead.Region);
        Add(FitFields.Company, lead.Company);
        Add(FitFields.EmailDomain, lead.Email is { } email && email.IndexOf('@') is var at and >= 0 ? email[(at + 1)..] : null);
        return fields;
    }
}
