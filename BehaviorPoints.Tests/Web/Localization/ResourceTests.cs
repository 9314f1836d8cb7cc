using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Localization;

namespace BehaviorPoints.Tests.Web.Localization;

/// <summary>The UI's two resource files hold the same keys, and every text the components ask for is in them.</summary>
public sealed partial class ResourceTests
{
    private static readonly ResourceManager s_resources = new(typeof(Ui));

    [Fact]
    public void Every_key_has_an_English_and_a_Chinese_text_with_the_same_places_for_values()
    {
        var english = Texts(CultureInfo.InvariantCulture);
        var chinese = Texts(CultureInfo.GetCultureInfo(Cultures.Chinese));

        Assert.Empty(english.Keys.Except(chinese.Keys));
        Assert.Empty(chinese.Keys.Except(english.Keys));
        Assert.All(english, pair =>
        {
            Assert.False(string.IsNullOrWhiteSpace(chinese[pair.Key]), pair.Key);
            Assert.Equal(Places(pair.Value), Places(chinese[pair.Key]));
        });
        Assert.True(english.Count > 150, $"{english.Count} keys");
    }

    [Fact]
    public void Every_text_a_component_asks_for_is_a_key()
    {
        var english = Texts(CultureInfo.InvariantCulture);
        var web = Path.Combine(Repository.Root(), "BehaviorPoints.Web");
        var asked = Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Asked(File.ReadAllText(f)).Select(key => (File: Path.GetFileName(f), Key: key)))
            .ToList();

        Assert.NotEmpty(asked);
        // Resource names are looked up without regard to case: "Open" and "open" would be one key.
        Assert.Empty(asked.Select(a => a.Key).Distinct().GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)));
        Assert.Empty(asked.Where(a => !english.ContainsKey(a.Key)).Select(a => $"{a.File}: {a.Key}"));
    }

    [Fact]
    public void The_Chinese_terms_are_the_seeds()
    {
        var chinese = Texts(CultureInfo.GetCultureInfo(Cultures.Chinese));

        Assert.Equal("行为积分", chinese["Behavior Points"]);
        Assert.Equal("意向度", chinese["Intent Level"]);
        Assert.Equal("评分规则", chinese["Scoring rules"]);
        Assert.Equal("线索", chinese["Leads"]);
    }

    [Fact]
    public void Every_status_outcome_and_built_in_behavior_has_a_text()
    {
        var english = Texts(CultureInfo.InvariantCulture);
        var keys = Enum.GetNames<LeadStatus>().Select(s => "Status:" + s)
            .Concat(Enum.GetNames<FollowUpOutcome>().Select(o => "Outcome:" + o))
            .Concat(BehaviorCatalog.BuiltIn.Select(b => "Behavior:" + b.Code))
            .Concat(BehaviorCatalog.BuiltIn.Select(b => "Channel:" + b.Channel).Distinct());

        Assert.All(keys, k => Assert.True(english.ContainsKey(k), k));
        Assert.Equal("not reached", english["Outcome:NotReached"]);
        Assert.All(BehaviorCatalog.BuiltIn, b => Assert.Equal(b.Label, english["Behavior:" + b.Code]));
    }

    private static Dictionary<string, string> Texts(CultureInfo culture) =>
        s_resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    private static IEnumerable<string> Asked(string source) =>
        KeyPattern().Matches(source).Select(m => m.Groups[1].Value)
            .Concat(CountPattern().Matches(source).SelectMany(m => new[] { m.Groups[1].Value, m.Groups[2].Value }));

    private static string[] Places(string text) => [.. PlacePattern().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    // A literal key: L["…"] or L["…", values]; keys built from a prefix and a value ("Status:" + status) are data's.
    [GeneratedRegex(""""L\["((?:\\.|[^"\\])*)"\s*[\],]"""")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("""L\.Count\([^,]+,\s*"([^"]*)",\s*"([^"]*)"\)""")]
    private static partial Regex CountPattern();

    [GeneratedRegex(@"\{[a-z_0-9]+(:[^}]*)?\}")]
    private static partial Regex PlacePattern();
}
