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
            Rule("View a product page", "content.view", 3, Limit(5, "day"), When("contentType", "equals", "product")),
            Rule("View content", "content.view", 1, Limit(10, "day")),
            Rule("Watch a video to the end", "content.view", 4, null, When("contentType", "equals", "video"), When("durationSeconds", "gte", 120)),
            Rule("Download a document", "content.download", 8),
            Rule("Share content", "content.share", 5),
            Rule("Submit a form", "form.submit", 15),
            Rule("Register for a conference", "conference.register", 20),
            Rule("Check in at a conference", "conference.check_in", 30, Limit(1, "month")),
            Rule("Attend a webinar", "webinar.attend", 10),
            Rule("Open an email", "email.open", 1, Limit(3, "day")) with { Decay = HalvesThenGone },
            Rule("Click an email link", "email.click", 3) with { Decay = HalvesThenGone },
            Rule("Visit the pricing page", "website.visit", 10, Limit(1, "week"), When("url", "contains", "/pricing")) with { Decay = HalvesThenGone },
            Rule("Visit from ads or search", "website.visit", 2, Limit(2, "day"), When("source", "in", new[] { "ads", "search" })) with { Decay = HalvesThenGone },
            Rule("Large purchase", "purchase", 50, null, When("amount", "gte", 1000)),
            Rule("Unsubscribe from email", "email.unsubscribe", -20),
            Rule("Contact the call center", "call_center.contact", 5),
        ],
        IntentField = IntentFieldDefinition.Default,
    };

    private static RuleDefinition Rule(string name, string behavior, int points, RuleLimitDefinition? limit = null, params ConditionDefinition[] conditions) =>
        new() { Name = name, Behavior = behavior, Points = points, Limit = limit, Conditions = conditions };

    private static RuleLimitDefinition Limit(int times, string per) => new() { Times = times, Per = per };

    private static ConditionDefinition When(string attribute, string op, object value) =>
        new() { Attribute = attribute, Operator = op, Value = JsonSerializer.SerializeToElement(value) };
}
