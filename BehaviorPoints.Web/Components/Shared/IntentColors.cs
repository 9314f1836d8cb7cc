using BehaviorPoints.Core.Dashboard;
using MudBlazor;

namespace BehaviorPoints.Web.Components.Shared;

/// <summary>Colours intent levels by their rank: the lowest range grey, the highest red-hot, the ones between amber.</summary>
internal static class IntentColors
{
    public static Color Of(string label, IReadOnlyList<IntentLevelCount> levelsInOrder)
    {
        var index = levelsInOrder.Select(l => l.Label).ToList().IndexOf(label);
        if (index < 0 || levelsInOrder.Count == 1)
        {
            return Color.Default;
        }
        return index == 0 ? Color.Default : index == levelsInOrder.Count - 1 ? Color.Error : Color.Warning;
    }
}
