using MudBlazor;

namespace BehaviorPoints.Web.Components.Shared;

/// <summary>Colours intent levels by their rank: the lowest range grey, the highest red-hot, the ones between amber.</summary>
internal static class IntentColors
{
    private const string LowHex = "#9e9e9e";
    private const string MiddleHex = "#ef6c00";
    private const string HighHex = "#c62828";

    public static Color Of(string label, IReadOnlyList<string> levelsInOrder) => Rank(label, levelsInOrder) switch
    {
        Level.Lowest => Color.Default,
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
