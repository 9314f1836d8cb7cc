using System.Globalization;

namespace BehaviorPoints.Web.Components.Pages.Dashboard;

/// <summary>
/// A heat-map cell's colours: the tint grows with the count's share of the fullest cell, and the text is whichever of
/// near-black and white reads better on that tint (WCAG's contrast ratio), so every possible count stays readable.
/// </summary>
public static class HeatColors
{
    private static readonly (int R, int G, int B) s_tint = (21, 101, 192);
    private static readonly (int R, int G, int B) s_dark = (0x21, 0x21, 0x21);
    private static readonly (int R, int G, int B) s_light = (0xff, 0xff, 0xff);

    /// <summary>The cell's background (the tint laid over white) and text colour, as CSS hex colours.</summary>
    public static (string Background, string Text) For(int count, int max)
    {
        var alpha = max <= 0 ? 0 : 0.08 + 0.5 * Math.Clamp(count, 0, max) / max;
        var background = Blend(alpha);
        var text = Contrast(s_dark, background) >= Contrast(s_light, background) ? s_dark : s_light;
        return (Hex(background), Hex(text));
    }

    /// <summary>WCAG 2.1's contrast ratio of two colours (1 to 21).</summary>
    public static double Contrast((int R, int G, int B) a, (int R, int G, int B) b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    /// <summary>A "#rrggbb" colour's components.</summary>
    public static (int R, int G, int B) Parse(string hex) =>
        (int.Parse(hex[1..3], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
         int.Parse(hex[3..5], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
         int.Parse(hex[5..7], NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    private static (int R, int G, int B) Blend(double alpha) =>
        ((int)Math.Round(255 + (s_tint.R - 255) * alpha), (int)Math.Round(255 + (s_tint.G - 255) * alpha), (int)Math.Round(255 + (s_tint.B - 255) * alpha));

    private static double Luminance((int R, int G, int B) c) => 0.2126 * Linear(c.R) + 0.7152 * Linear(c.G) + 0.0722 * Linear(c.B);

    private static double Linear(int channel)
    {
        var s = channel / 255.0;
        return s <= 0.03928 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
    }

    private static string Hex((int R, int G, int B) c) => $"#{c.R:x2}{c.G:x2}{c.B:x2}";
}
