using System.Text.Json;
using BehaviorPoints.Core.Fit;

namespace BehaviorPoints.Core.Demo;

/// <summary>The demo's fit model: software and finance companies of 200+ people, with decision makers, fit best.</summary>
public static class DemoFitModel
{
    // Declared first: static initializers run in the order they are written, and Chinese below reads it.
    private static readonly Dictionary<string, string> s_chineseNames = new(StringComparer.Ordinal)
    {
        ["Target industry"] = "目标行业",
        ["Mid-size or larger"] = "中型及以上企业",
        ["Head of a function"] = "部门负责人",
        ["Director"] = "总监",
        ["Vice president"] = "副总裁",
        ["Very small company"] = "微型企业",
        ["Education"] = "教育行业",
    };

    public static FitModelDefinition Definition { get; } = new()
    {
        Rules =
        [
            Rule("Target industry", FitFields.Industry, "in", new[] { "Software", "Finance" }, 30),
            Rule("Mid-size or larger", FitFields.CompanySize, "in", new[] { "201-1000", "1000+" }, 25),
            Rule("Head of a function", FitFields.JobTitle, "contains", "head", 20),
            Rule("Director", FitFields.JobTitle, "contains", "director", 20),
            Rule("Vice president", FitFields.JobTitle, "starts_with", "vp", 20),
            Rule("Very small company", FitFields.CompanySize, "equals", "1-10", -15),
            Rule("Education", FitFields.Industry, "equals", "Education", -10),
        ],
        Bands = new FitBandsDefinition { MediumFrom = 25, HighFrom = 50 },
    };

    /// <summary>The same model with its rules named in Chinese.</summary>
    public static FitModelDefinition Chinese { get; } = Definition with
    {
        Rules = [.. Definition.Rules.Select(r => r with { Name = s_chineseNames[r.Name] })],
    };

    /// <summary>The English demo's or the Chinese one's.</summary>
    public static FitModelDefinition For(bool chinese) => chinese ? Chinese : Definition;

    private static FitRuleDefinition Rule(string name, string field, string op, object value, int points) => new()
    {
        Name = name,
        Field = field,
        Operator = op,
        Value = JsonSerializer.SerializeToElement(value, CoreJson.Options),
        Points = points,
    };
}
