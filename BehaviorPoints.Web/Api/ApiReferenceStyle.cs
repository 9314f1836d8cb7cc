
using MudBlazor.Utilities;

namespace BehaviorPoints.Web.Api;

/// <summary>
/// The API reference page in the app's palette and the system's own fonts (nothing fetched from outside), without the
/// vendor's link and without the made-up key Scalar shows as the key field's placeholder.
/// </summary>
internal static class ApiReferenceStyle
{
    private static readonly string Primary = BehaviorPointsTheme.Theme.PaletteLight.Primary.ToString(MudColorOutputFormats.Hex);

    public static string Css { get; } = $$"""
        .light-mode, .dark-mode {
          --scalar-font: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans SC", sans-serif;
          --scalar-font-code: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
          --scalar-color-accent: {{Primary}};
          --scalar-background-1: #ffffff;
          --scalar-background-2: {{BehaviorPointsTheme.Theme.PaletteLight.Background.ToString(MudColorOutputFormats.Hex)}};
          --scalar-color-1: rgba(0, 0, 0, 0.87);
          --scalar-color-2: rgba(0, 0, 0, 0.72);
          --scalar-color-3: rgba(0, 0, 0, 0.62);
        }
        .t-doc__sidebar { --scalar-sidebar-color-active: {{Primary}}; }
        a[href*="scalar.com"] { display: none !important; }
        input[placeholder^="QUxMIFlPVVIg"]::placeholder { color: transparent; }
        """;
}
