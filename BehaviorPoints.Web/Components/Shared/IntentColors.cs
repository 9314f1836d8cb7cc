using MudBlazor;

namespace BehaviorPoints.Web.Components.Shared;

/// <summary>
/// Colours intent levels by their rank: the lowest range slate, the highest red-hot, the ones between burnt orange.
/// The chips (through the theme's Dark, Warning and Error) and the charts use the same three, each dark enough for
/// white text at 4.5:1.
/// </summary>
internal static class IntentColors
{
    public const string LowHex = "#546e7a";
    public const string MiddleHex = "#b34700";
    public const string HighHex = "#c62828";

    public static Color Of(string label, IReadOnlyList<string> levelsInOrder) => Rank(label, levelsInOrder) switch
    {
        Level.Lowest => Color.Dark,
        Level.Highest => Color.Error,
        _ => Color.Warning,
    };

    /// <summary>The colours of <paramref name="count"/> levels in range order.</summary>
    public static string[] Palette(int count) =>
        Enumerable.Range(0, count).Select(i => i == 0 || count == 1 ? LowHex : i == count - 1 ? HighHex : MiddleHex).ToArray();

    private enum Level
    {
        Lowest,
        Middle,
        Highest,
    }

    private static Level Rank(string label, IReadOnlyList<string> levelsInOrder)
    {
        var index = levelsInOrder.ToList().IndexOf(label);
        return index <= 0 || levelsInOrder.Count == 1 ? Level.Lowest
            : index == levelsInOrder.Count - 1 ? Level.Highest
            : Level.Middle;
    }
}
