using System.Text.Json;
using BehaviorPoints.Core.Engine;

namespace BehaviorPoints.Core.Demo;

/// <summary>The rule set the demo data publishes: the seeds' example pair and a dozen more over the built-in behaviors.</summary>
public static class DemoRuleSet
{
    // Declared before the definition that uses it: static initializers run in the order they are written.
    // Website and email interest cools: half after a month, nothing after a quarter (SPEC §9).
    private static DecayDefinition HalvesThenGone { get; } = new()
    {
        Steps = [new() { AfterDays = 30, KeepPercent = 50 }, new() { AfterDays = 90, KeepPercent = 0 }],
    };

    // The three products a lead can be interested in (SPEC §12), each with levels of its own.
    public const string Crm = "CRM";
    public const string MarketingCloud = "Marketing Cloud";
    public const string ServiceCloud = "Service Cloud";

    // The names of the English demo in Chinese (rules, categories and their levels, stages, intent levels); declared
    // before Chinese, which reads it.
    internal static IReadOnlyDictionary<string, string> ChineseNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Follow any account"] = "关注任一公众号",
        ["Follow ShareCRM"] = "关注纷享销客公众号",
        ["Unfollow an account"] = "取消关注公众号",
        ["View a product page"] = "浏览产品页",
        ["View content"] = "浏览内容",
        ["Watch a video to the end"] = "看完视频",
        ["Download a document"] = "下载资料",
        ["Share content"] = "分享内容",
        ["Submit a form"] = "提交表单",
        ["Register for a conference"] = "报名会议",
        ["Check in at a conference"] = "会议签到",
        ["Attend a webinar"] = "参加网络研讨会",
        ["Open an email"] = "打开邮件",
        ["Click an email link"] = "点击邮件链接",
        ["Visit the pricing page"] = "访问价格页",
        ["Visit from ads or search"] = "通过广告或搜索访问",
        ["Large purchase"] = "大额购买",
        ["Unsubscribe from email"] = "退订邮件",
        ["Contact the call center"] = "联系呼叫中心",
        [Crm] = "CRM",
        [MarketingCloud] = "营销云",
        [ServiceCloud] = "服务云",
        ["Cold"] = "冷",
        ["Warm"] = "温",
        ["Hot"] = "热",
        ["Low"] = "低",
        ["Medium"] = "中",
        ["High"] = "高",
        ["New"] = "新线索",
        ["Engaged"] = "已互动",
        ["Marketing qualified"] = "市场认可",
        ["Sales qualified"] = "销售认可",
    };

    private static IReadOnlyList<IntentOptionDefinition> ColdWarmHot(long warm, long hot) =>
    [
        new() { Label = "Cold", Min = null, Max = warm - 1 },
        new() { Label = "Warm", Min = warm, Max = hot - 1 },
        new() { Label = "Hot", Min = hot, Max = null },
    ];

    public static RuleSetDefinition Definition { get; } = new()
    {
        Name = "Behavior Points",
        ApiName = "behavior_points__c",
        Object = ScoringObjects.Leads,
        Description = "Scores lead engagement across official accounts, content, events, email and the website.",
        Rules =
        [
            Rule("Follow any account", "official_account.follow", 1),
            Rule("Follow ShareCRM", "official_account.follow", 2, Limit(1, "ever"), When("accountId", "equals", "sharecrm")),
            Rule("Unfollow an account", "official_account.unfollow", -5),
            Rule("View a product page", "content.view", 3, Limit(5, "day"), When("contentType", "equals", "product")) with { Category = ServiceCloud },
            Rule("View content", "content.view", 1, Limit(10, "day")),
            Rule("Watch a video to the end", "content.view", 4, null, When("contentType", "equals", "video"), When("durationSeconds", "gte", 120)) with { Category = ServiceCloud },
            Rule("Download a document", "content.download", 8) with { Category = Crm },
            Rule("Share content", "content.share", 5),
            Rule("Submit a form", "form.submit", 15),
            Rule("Register for a conference", "conference.register", 20) with { Category = MarketingCloud },
            Rule("Check in at a conference", "conference.check_in", 30, Limit(1, "month")) with { Category = MarketingCloud },
            Rule("Attend a webinar", "webinar.attend", 10) with { Category = MarketingCloud },
            Rule("Open an email", "email.open", 1, Limit(3, "day")) with { Decay = HalvesThenGone },
            Rule("Click an email link", "email.click", 3) with { Decay = HalvesThenGone, Category = MarketingCloud },
            Rule("Visit the pricing page", "website.visit", 10, Limit(1, "week"), When("url", "contains", "/pricing")) with { Decay = HalvesThenGone, Category = Crm },
            Rule("Visit from ads or search", "website.visit", 2, Limit(2, "day"), When("source", "in", new[] { "ads", "search" })) with { Decay = HalvesThenGone },
            Rule("Large purchase", "purchase", 50, null, When("amount", "gte", 1000)) with { Category = Crm },
            Rule("Unsubscribe from email", "email.unsubscribe", -20),
            Rule("Contact the call center", "call_center.contact", 5) with { Category = ServiceCloud },
        ],
        IntentField = IntentFieldDefinition.Default,
        Categories =
        [
            new() { Name = Crm, Ranges = ColdWarmHot(20, 60) },
            new() { Name = MarketingCloud, Ranges = ColdWarmHot(20, 50) },
            new() { Name = ServiceCloud, Ranges = ColdWarmHot(10, 25) },
        ],
        // New leads advance as they engage; sales qualify a lead by hand.
        Stages =
        [
            new() { Name = "New", AdvanceAt = 20 },
            new() { Name = "Engaged", AdvanceAt = 60 },
            new() { Name = "Marketing qualified" },
            new() { Name = "Sales qualified" },
        ],
    };

    /// <summary>
    /// The same rule set as a Chinese administrator would first see it (a first start in Chinese): its name, rules,
    /// intent levels, categories and stages in Chinese; behaviors, conditions and points unchanged.
    /// </summary>
    public static RuleSetDefinition Chinese { get; } = Definition with
    {
        Name = "行为积分",
        Description = "衡量线索在公众号、内容、活动、邮件和网站上的参与度。",
        Rules = [.. Definition.Rules.Select(r => r with { Name = ChineseNames[r.Name], Category = r.Category is null ? null : ChineseNames[r.Category] })],
        IntentField = Definition.IntentField! with
        {
            Name = "意向度",
            Options = [.. Definition.IntentField.Options.Select(o => o with { Label = ChineseNames[o.Label] })],
        },
        Categories = [.. Definition.Categories.Select(c => c with
        {
            Name = ChineseNames[c.Name],
            Ranges = c.Ranges is null ? null : [.. c.Ranges.Select(o => o with { Label = ChineseNames[o.Label] })],
        })],
        Stages = [.. Definition.Stages.Select(st => st with { Name = ChineseNames[st.Name] })],
    };

    /// <summary>The English demo's or the Chinese one's.</summary>
    public static RuleSetDefinition For(bool chinese) => chinese ? Chinese : Definition;

    private static RuleDefinition Rule(string name, string behavior, int points, RuleLimitDefinition? limit = null, params ConditionDefinition[] conditions) =>
        new() { Name = name, Behavior = behavior, Points = points, Limit = limit, Conditions = conditions };

    private static RuleLimitDefinition Limit(int times, string per) => new() { Times = times, Per = per };

    private static ConditionDefinition When(string attribute, string op, object value) =>
        new() { Attribute = attribute, Operator = op, Value = JsonSerializer.SerializeToElement(value) };
}
