using System.Globalization;
using System.Text.RegularExpressions;
using BehaviorPoints.Core;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Engine;
using BehaviorPoints.Core.Fit;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Tests.Support;
using BehaviorPoints.Web.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Web.Localization;

/// <summary>
/// Texts Core writes for a reader (rule sentences, field errors) go through <see cref="IWords"/>: the web app's
/// resources hold every one of them, and with a Chinese reader they read in Chinese.
/// </summary>
public sealed partial class CoreTextTests
{
    private static readonly IStringLocalizer s_localizer =
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance).Create(typeof(Ui));

    [Fact]
    public void Every_text_Core_writes_for_a_reader_is_a_key()
    {
        var core = Path.Combine(Repository.Root(), "BehaviorPoints.Core");
        var written = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains("Migrations", StringComparison.Ordinal))
            .SelectMany(f => Written(File.ReadAllLines(f)).Select(text => (File: Path.GetFileName(f), Text: text)))
            .ToList();

        Assert.True(written.Count > 150, $"{written.Count} texts found");
        Assert.Empty(written.Where(w => s_localizer[w.Text].ResourceNotFound).Select(w => $"{w.File}: {w.Text}"));
    }

    [Fact]
    public void Names_the_app_ships_have_texts()
    {
        Assert.All(Roles.All, role => Assert.False(s_localizer["Role:" + role].ResourceNotFound, role));
        Assert.All(FitFields.All, field => Assert.False(s_localizer[field.Label].ResourceNotFound, field.Label));
    }

    [Fact]
    public void A_rule_a_routing_rule_and_a_field_error_read_in_Chinese()
    {
        using var _ = new UiCulture(Cultures.Chinese);
        var words = new UiWords(s_localizer);

        var rule = Rule("Demo", "website.visit", 12, When("url", "contains", "/demo")).Limited(1, "day");
        Assert.Equal("访问网站，条件：url 包含 /demo → +12，每条线索每天最多 1 次", RuleSentences.Describe(rule, BehaviorCatalog.BuiltInOnly, words));

        var routing = new RoutingRuleForm { Name = "Hot", IntentLevel = "High", Team = "North", Capacity = 20, DueAfterMinutes = 240, GraceMinutes = 60, MaxReclaims = 2, MinIntervalDays = 7 };
        Assert.Equal(
            "当意向度达到High或更高：在North的销售代表中轮流分配，每人最多 20 个未完成任务（已有负责人的线索保持不变）；跟进任务 4 小时内到期，到期后 1 小时 仍未完成则退回线索池，最多重新分配 2 次。同一线索至少 7 天后才会再次触发。",
            RoutingSentences.Describe(routing.ToDefinition(), s_localizer["Intent Level"], words));

        var conflict = Assert.Single(RuleConflicts.Find(RuleSet(SeedExample), BehaviorCatalog.BuiltInOnly, words));
        Assert.Equal("“Follow any account”和“Follow ShareCRM”可能匹配同一个行为（关注公众号，且 accountId sharecrm）：它将获得 +1和+2 → +3，共两条记录。", conflict.Message);

        var error = Assert.Single(RuleSetValidator.Validate(RuleSet(SeedExample) with { Name = "" }, BehaviorCatalog.BuiltInOnly));
        Assert.Equal("Name is required.", error.Message);
        Assert.Equal("请填写名称。", error.In(words));

        // A lead field's label inside the message is said in the reader's language too.
        var tooLong = Assert.Single(LeadValidator.Validate(new LeadInput { Name = "Ana", JobTitle = new string('x', 101) }));
        Assert.Equal("Job title is 101 characters long; the limit is 100.", tooLong.Message);
        Assert.Equal("职位 有 101 个字符；上限为 100。", tooLong.In(words));
    }

    [Fact]
    public void A_kept_sentence_reads_back_from_its_JSON_in_English_and_in_Chinese()
    {
        var said = Said.Of("Assigned to {0} by rule '{1}' {2}", "Ana Kowalska", "Hot leads North", Said.Of("when {0} became {1}", "意向度", "高"));
        var done = Said.Of("Follow-up task done by {0}: {1}", "Ana", Said.Name("Outcome:NotReached", "not reached"));

        var back = Said.FromJson(said.ToJson())!;
        Assert.Equal("Assigned to Ana Kowalska by rule 'Hot leads North' when 意向度 became 高", back.ToString());
        Assert.Equal("Follow-up task done by Ana: not reached", Said.FromJson(done.ToJson())!.ToString());
        Assert.Null(Said.FromJson(null));
        Assert.Null(Said.FromJson("not json"));

        using var _ = new UiCulture(Cultures.Chinese);
        var words = new UiWords(s_localizer);
        Assert.Equal("按规则“Hot leads North”分配给 Ana Kowalska（意向度变为高时）", back.In(words));
        Assert.Equal("Ana 完成了跟进任务：未联系上", Said.FromJson(done.ToJson())!.In(words));
    }

    [Fact]
    public void A_field_error_keeps_its_English_message_and_its_values_for_a_translation()
    {
        var error = FieldError.Of("rules[0].points", "Points must be between -{0} and {1}; {2} is outside.", 10000, 10000, 20000);

        Assert.Equal("Points must be between -10000 and 10000; 20000 is outside.", error.Message);
        Assert.Equal(error, new FieldError("rules[0].points", error.Message));
        using var _ = new UiCulture(Cultures.Chinese);
        Assert.Equal("分数须在 -10000 到 10000 之间；20000 超出范围。", error.In(new UiWords(s_localizer)));
    }

    // The texts a Core line hands to a reader: the plain literals with words in them, on lines that build a field
    // error or a kept sentence, refuse input or ask IWords (the call may begin up to two lines above).
    private static IEnumerable<string> Written(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var context = string.Join(' ', lines[Math.Max(0, i - 2)..(i + 1)]);
            if (!CallPattern().IsMatch(context))
            {
                continue;
            }
            foreach (var text in PlainLiterals(lines[i]))
            {
                if (text.Contains(' ', StringComparison.Ordinal) && WordPattern().IsMatch(text))
                {
                    yield return text;
                }
            }
        }
    }

    // The line's string literals that are neither interpolated nor verbatim, read as the compiler would, to a comment.
    private static IEnumerable<string> PlainLiterals(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '/' && i + 1 < line.Length && line[i + 1] == '/')
            {
                yield break;
            }
            if (line[i] == '\'' && i + 2 < line.Length && line[i + 2] == '\'')
            {
                i += 2; // a character literal such as '"'
                continue;
            }
            if (line[i] != '"')
            {
                continue;
            }
            var plain = i == 0 || (line[i - 1] != '$' && line[i - 1] != '@');
            var text = new System.Text.StringBuilder();
            var j = i + 1;
            for (; j < line.Length && line[j] != '"'; j++)
            {
                if (line[j] == '\\' && j + 1 < line.Length)
                {
                    j++;
                }
                text.Append(line[j]);
            }
            if (plain)
            {
                yield return text.ToString();
            }
            i = j;
        }
    }

    [GeneratedRegex(@"FieldError\.Of\(|ValidationFailedException\(|Range\(errors|\bAdd\(""|words\[|Said\.Of\(")]
    private static partial Regex CallPattern();

    [GeneratedRegex("[A-Za-z]{2}")]
    private static partial Regex WordPattern();

    private sealed class UiCulture : IDisposable
    {
        private readonly CultureInfo _before = CultureInfo.CurrentUICulture;

        public UiCulture(string name) => CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);

        public void Dispose() => CultureInfo.CurrentUICulture = _before;
    }
}
