using Microsoft.Extensions.Localization;

namespace BehaviorPoints.Web.Components.Shared;

/// <summary>How the pages write a likelihood to convert: a whole percent.</summary>
public static class Likelihood
{
    /// <summary>A share or a rate as a whole percent (0 to 100).</summary>
    public static int Percent(double probability) => (int)Math.Round(probability * 100, MidpointRounding.AwayFromZero);

    /// <summary>A lead's predicted likelihood as a whole percent: 1 to 99, since no prediction is certain.</summary>
    public static int Predicted(double probability) => Math.Clamp(Percent(probability), 1, 99);

    /// <summary>A rate as the page writes it ("34 %"), or a dash where there is none.</summary>
    public static string Rate(this IStringLocalizer l, double? rate) => rate is { } value ? l["{0} %", Percent(value)] : "—";
}
