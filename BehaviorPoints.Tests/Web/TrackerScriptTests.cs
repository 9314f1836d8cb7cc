using System.Diagnostics;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Web;

/// <summary>
/// The tracker's own unit tests (<c>BehaviorPoints.Web/Tracker/t.test.mjs</c>, Node's test runner) run with the suite:
/// page views, SPA history, forms without field values, clicks, the command queue, consent, Do Not Track, one retry,
/// never throwing into the page, and the 6 KB gzipped budget.
/// </summary>
public sealed class TrackerScriptTests
{
    [Fact]
    public async Task The_trackers_node_tests_pass()
    {
        var folder = Path.Combine(Repository.Root(), "BehaviorPoints.Web", "Tracker");
        using var node = Process.Start(new ProcessStartInfo("node", ["--test", "--test-reporter=tap", Path.Combine(folder, "t.test.mjs")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        }) ?? throw new InvalidOperationException("node did not start: install Node.js (./test.sh does).");
        var output = await node.StandardOutput.ReadToEndAsync();
        var errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();

        Assert.True(node.ExitCode == 0, output + errors);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
        Assert.Matches(@"# pass \d{2,}", output);
    }
}
