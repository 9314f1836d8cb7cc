namespace BehaviorPoints.Web.Components.Shared;

/// <summary>How the pages write a likelihood to convert: a whole percent.</summary>
public static class Likelihood
{
    public static int Percent(double probability) => (int)Math.Round(probability * 100, MidpointRounding.AwayFromZero);
}
