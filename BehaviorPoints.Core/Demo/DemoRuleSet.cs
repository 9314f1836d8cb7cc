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

    private static RuleDefinition Rule(string name, string behavior, int points, RuleLimitDefinition? limit = null, params ConditionDefinition[] conditions) =>
        new() { Name = name, Behavior = behavior, Points = points, Limit = limit, Conditions = conditions };

    private static RuleLimitDefinition Limit(int times, string per) => new() { Times = times, Per = per };

    private static ConditionDefinition When(string attribute, string op, object value) =>
        new() { Attribute = attribute, Operator = op, Value = JsonSerializer.SerializeToElement(value) };
}
