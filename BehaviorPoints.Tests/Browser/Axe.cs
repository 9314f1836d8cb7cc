using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

/// <summary>
/// Runs axe-core's WCAG 2.1 A and AA rules on what a page shows now. The engine (the axe-core that Deque's .NET package
/// ships) is put into the page once and run there directly: the same rules and results as Deque's Playwright wrapper,
/// without its cost (it injects the engine on every call and finishes each run in a new page, 2 to 3 s a screen
/// against axe's own 0.1 to 0.3 s).
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> s_engine = new(() =>
    {
        using var stream = typeof(AxeRunOptions).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe-core is not in Deque.AxeCore.Commons' resources");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    // Every violation, whatever its impact, one per element: rule, impact, element, what is wrong, and its HTML.
    private const string Run = """
        async () => {
            const result = await axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
                resultTypes: ['violations'],
            });
            return result.violations.flatMap(v => v.nodes.map(n => ({
                rule: v.id,
                impact: v.impact ?? n.impact ?? '',
                target: n.target.join(' '),
                problems: [...new Set([...n.any, ...n.all, ...n.none].map(c => c.message).filter(m => m))].join('; '),
                html: n.html,
            })));
        }
        """;

    /// <summary>Every violation, whatever its impact (minor and moderate ones are failures of WCAG too), one line per element: rule, impact, element and what is wrong.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            // Evaluated through the browser's debugging protocol, so the app's Content-Security-Policy does not apply.
            await page.EvaluateAsync(s_engine.Value);
        }
        var violations = await page.EvaluateAsync<JsonElement>(Run);
        return [.. violations.EnumerateArray().Select(v =>
            $"{v.GetProperty("rule").GetString()} ({v.GetProperty("impact").GetString()}) at {v.GetProperty("target").GetString()}: {v.GetProperty("problems").GetString()} -- {Excerpt(v.GetProperty("html").GetString() ?? "")}")];
    }

    /// <summary>Fails with every violation listed, naming the screen.</summary>
    public static async Task AssertCleanAsync(IPage page, string screen)
    {
        var violations = await ViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{screen}: {violations.Count} accessibility violations\n{string.Join("\n", violations)}");
    }

    private static string Excerpt(string html) => html.Length <= 160 ? html : html[..160] + "…";
}
