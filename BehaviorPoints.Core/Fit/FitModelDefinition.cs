using System.Text.Json;

namespace BehaviorPoints.Core.Fit;

/// <summary>
/// The fit model as edited and published (JSON): rules on a lead's own fields, and where Medium and High fit begin.
/// </summary>
/// <example>
/// { "rules": [ { "name": "Target industry", "field": "industry", "operator": "in", "value": ["Software", "Finance"], "points": 30 } ],
///   "bands": { "mediumFrom": 20, "highFrom": 50 } }
/// </example>
public sealed record FitModelDefinition
{
    public IReadOnlyList<FitRuleDefinition> Rules { get; init; } = [];
    public FitBandsDefinition Bands { get; init; } = FitBandsDefinition.Default;

    /// <summary>An empty model with the default bands: where a new draft starts.</summary>
    public static FitModelDefinition Empty { get; } = new();

    /// <summary>The lowest and highest score a lead can get: every negative rule matching, or every positive one.</summary>
    public (int Min, int Max) ScoreRange =>
        (Rules.Where(r => r.Points < 0).Sum(r => r.Points), Rules.Where(r => r.Points > 0).Sum(r => r.Points));
}

/// <summary>One field rule: when the lead's <see cref="Field"/> satisfies the operator and value, add <see cref="Points"/>.</summary>
public sealed record FitRuleDefinition
{
    public string Name { get; init; } = "";

    /// <summary>One of <see cref="FitFields.All"/> by code, e.g. <c>industry</c>.</summary>
    public string Field { get; init; } = "";

    /// <summary>A condition operator code (<c>equals</c>, <c>in</c>, <c>contains</c> ...), as in behavior rules.</summary>
    public string Operator { get; init; } = "";
    public JsonElement? Value { get; init; }
    public int Points { get; init; }
}

/// <summary>
/// Fit levels by score: below <see cref="MediumFrom"/> is Low, from <see cref="MediumFrom"/> below
/// <see cref="HighFrom"/> is Medium, from <see cref="HighFrom"/> up is High. Two thresholds leave no gap and no overlap.
/// </summary>
public sealed record FitBandsDefinition
{
    public int MediumFrom { get; init; }
    public int HighFrom { get; init; }

    public static FitBandsDefinition Default { get; } = new() { MediumFrom = 20, HighFrom = 50 };

    /// <summary>The level of a fit score.</summary>
    public string LevelOf(int score) => score >= HighFrom ? FitLevels.High : score >= MediumFrom ? FitLevels.Medium : FitLevels.Low;
}

/// <summary>The three fit levels, lowest first.</summary>
public static class FitLevels
{
    public const string Low = "Low";
    public const string Medium = "Medium";
    public const string High = "High";

    public static IReadOnlyList<string> All { get; } = [Low, Medium, High];
}

/// <summary>A lead field that fit rules can test.</summary>
public sealed record FitField(string Code, string Label, string Description);

/// <summary>The lead fields fit rules can test, by the codes the JSON uses.</summary>
public static class FitFields
{
    public const string Industry = "industry";
    public const string CompanySize = "company_size";
    public const string JobTitle = "job_title";
    public const string Region = "region";
    public const string Company = "company";
    public const string EmailDomain = "email_domain";

    public static IReadOnlyList<FitField> All { get; } =
    [
        new(Industry, "Industry", "The lead's industry, e.g. Software."),
        new(CompanySize, "Company size", "The size band, e.g. 51-200."),
        new(JobTitle, "Job title", "e.g. Head of Marketing; 'contains' suits titles."),
        new(Region, "Region", "e.g. Europe."),
        new(Company, "Company", "The company name."),
        new(EmailDomain, "Email domain", "The part of the email after '@', e.g. example.com."),
    ];

    public static FitField? Find(string? code) => All.FirstOrDefault(f => string.Equals(f.Code, code, StringComparison.Ordinal));

    /// <summary>A field's label in the reader's language (English by default); an unknown code as it is.</summary>
    public static string LabelOf(string code, IWords? words = null) => Find(code) is { } field ? (words ?? Words.English)[field.Label] : code;
}
