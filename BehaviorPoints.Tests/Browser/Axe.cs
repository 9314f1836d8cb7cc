using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace BehaviorPoints.Tests.Browser;

/// <summary>Runs axe-core's WCAG 2.1 A and AA rules on what a page shows now.</summary>
public static class Axe
{
    private static readonly AxeRunOptions s_wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <summary>Every violation, whatever its impact (minor and moderate ones are failures of WCAG too), one line per element: rule, impact, element and what is wrong.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        var result = await page.RunAxe(s_wcag21AA);
        return [.. result.Violations
            .SelectMany(v => v.Nodes.Select(n => $"{v.Id} ({v.Impact}) at {n.Target}: {Problems(n)} -- {Excerpt(n.Html)}"))];
    }

    /// <summary>Fails with every violation listed, naming the screen.</summary>
    public static async Task AssertCleanAsync(IPage page, string screen)
    {
        var violations = await ViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{screen}: {violations.Count} accessibility violations\n{string.Join("\n", violations)}");
    }

    private static string Problems(AxeResultNode node) =>
        string.Join("; ", node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message).Where(m => !string.IsNullOrEmpty(m)).Distinct());

    private static string Excerpt(string html) => html.Length <= 160 ? html : html[..160] + "…";
}
