using System.Text.Json;
using BehaviorPoints.Core.Fit;

namespace BehaviorPoints.Core.Demo;

/// <summary>The demo's fit model: software and finance companies of 200+ people, with decision makers, fit best.</summary>
public static class DemoFitModel
{
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

    private static FitRuleDefinition Rule(string name, string field, string op, object value, int points) => new()
    {
        Name = name,
        Field = field,
        Operator = op,
        Value = JsonSerializer.SerializeToElement(value, CoreJson.Options),
        Points = points,
    };
}
