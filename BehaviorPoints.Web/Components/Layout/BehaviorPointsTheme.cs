using MudBlazor;

namespace BehaviorPoints.Web.Components.Layout;

/// <summary>The product's colours, shared by the app layout and the account pages.</summary>
internal static class BehaviorPointsTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00897b",
            AppbarBackground = "#283593",
            Background = "#f5f6fa",
            DrawerBackground = "#ffffff",
            Success = "#2e7d32",
            Warning = "#ef6c00",
            Error = "#c62828",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
