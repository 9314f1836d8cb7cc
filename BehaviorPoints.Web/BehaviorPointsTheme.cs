using BehaviorPoints.Web.Components.Shared;
using MudBlazor;

namespace BehaviorPoints.Web;

/// <summary>
/// The product's colours, shared by the app layout and the account pages. Every text colour reaches WCAG 2.1 AA
/// (4.5:1) on the page background and on white, and white text reaches it on every filled colour, so contrast is
/// settled here rather than page by page (the accessibility browser tests check it with axe-core).
/// </summary>
internal static class BehaviorPointsTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00796b",
            AppbarBackground = "#283593",
            Background = "#f5f6fa",
            DrawerBackground = "#ffffff",
            // MudBlazor's defaults (54 % black, #2196f3, #ff9800-like oranges) stay under 4.5:1 on this background.
            TextSecondary = "#5f6368",
            Dark = IntentColors.LowHex,
            Info = "#1565c0",
            Success = "#2e7d32",
            Warning = IntentColors.MiddleHex,
            Error = IntentColors.HighHex,
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
