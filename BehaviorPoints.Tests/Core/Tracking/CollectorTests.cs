using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Tracking;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Tracking;

/// <summary>
/// The website collector and who the visitor is (SPEC §16): anonymous behaviors wait unscored and are scored once, in
/// time order, when the visitor identifies; keys, origins and consent decide what is stored at all; suspected bots are
/// held, not lost, and scored once when released.
/// </summary>
public sealed class CollectorTests : IAsyncLifetime
{
    private const string Origin = "https://www.example.com";
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    private const string Visitor = "0123456789abcdef0123456789abcdef";
    private const string Other = "fedcba9876543210fedcba9876543210";

    private CoreDatabase _database = null!;
    private SiteWithSecret _site = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        await _database.CreateUserAsync("rep@example.com", Roles.Sales, "North");
        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(RuleSet(Rule("Pricing page", "website.visit", 10, When("path", "contains", "/pricing")).Limited(2, "day"), Rule("Contact form", "form.submit", 30)));
        await ruleSets.PublishAsync("tests", PublishMode.NewBehaviorsOnly);
        _site = await SiteAsync(new SiteInput { Name = "Company website", Origins = [Origin, "https://*.example.org"], Team = "North" });
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private DateTime Now => _database.Clock.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task A_visitors_earlier_page_views_are_scored_once_in_time_order_when_its_form_identifies_it()
    {
        // Three pricing views before the form: the rule counts at most two a day, so the order decides which score.
        await CollectAsync(PageView(1, "/pricing", -30), PageView(2, "/pricing", -20), PageView(3, "/about", -15));
        await CollectAsync(PageView(4, "/pricing", -10));
        Assert.Empty(await EntriesAsync());
        Assert.Equal(0, await LeadCountAsync());

        var answer = await CollectAsync(Form(5, "contact-us", "Li.Wei@Example.com", "Li Wei"));
        Assert.Equal(CollectStatus.Accepted, answer.Status);
        await _database.Get<VisitorLinking>().RunAsync();

        await using var db = await _database.NewContextAsync();
        var lead = await db.Leads.Include(l => l.Team).SingleAsync();
        Assert.Equal(("Li Wei", "li.wei@example.com", "website", "North"), (lead.Name, lead.Email, lead.Source, lead.Team!.Name));
        var entries = await db.ScoreEntries.Where(e => e.LeadId == lead.Id).OrderBy(e => e.OccurredAt).ToListAsync();
        Assert.Equal(["site" + _site.Site.Id + ":" + Visitor + "-1", "site" + _site.Site.Id + ":" + Visitor + "-2", "site" + _site.Site.Id + ":" + Visitor + "-5"], entries.Select(e => e.EventId));
        Assert.Equal(50, lead.BehaviorPoints);
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
        Assert.All(await db.Behaviors.ToListAsync(), b => Assert.Equal(lead.Id, b.LeadId));

        // Later behaviors go straight to the lead.
        await CollectAsync(PageView(6, "/pricing/enterprise", 1));
        Assert.Equal(50, (await LeadAsync(lead.Id)).BehaviorPoints); // the third pricing view of the day: limited
        await CollectAsync(Form(7, "demo", null, null, 2));
        Assert.Equal(80, (await LeadAsync(lead.Id)).BehaviorPoints);
    }

    [Fact]
    public async Task An_event_sent_again_is_stored_and_scored_once()
    {
        await CollectAsync(Form(1, "contact-us", "ana@example.com", "Ana"));
        await _database.Get<VisitorLinking>().RunAsync();
        await CollectAsync(Form(1, "contact-us", "ana@example.com", "Ana"), PageView(2, "/pricing", 1));
        await CollectAsync(PageView(2, "/pricing", 1));
        await _database.Get<VisitorLinking>().RunAsync();

        await using var db = await _database.NewContextAsync();
        Assert.Equal(2, await db.Behaviors.CountAsync());
        Assert.Equal(40, (await db.Leads.SingleAsync()).BehaviorPoints);
    }

    [Fact]
    public async Task Unknown_and_rotated_keys_other_origins_and_requests_from_no_page_are_refused_and_store_nothing()
    {
        Assert.Equal(CollectStatus.Refused, (await CollectAsync(Body("pk_0000000000000000000000000000000", PageView(1, "/", 0)))).Status);
        Assert.Equal(CollectStatus.Refused, (await CollectAsync(Body(_site.Site.PublishableKey, PageView(2, "/", 0)), origin: "https://evil.example.net")).Status);
        Assert.Equal(CollectStatus.Refused, (await CollectAsync(Body(_site.Site.PublishableKey, PageView(3, "/", 0)), origin: "http://www.example.com")).Status);
        Assert.Equal(CollectStatus.Refused, (await CollectAsync(Body(_site.Site.PublishableKey, PageView(4, "/", 0)), origin: null)).Status);
        // A subdomain of a wildcard origin is allowed.
        Assert.Equal(1, (await CollectAsync(Body(_site.Site.PublishableKey, PageView(5, "/", 0)), origin: "https://docs.example.org")).Accepted);

        var oldKey = _site.Site.PublishableKey;
        await _database.Get<SiteService>().RotateKeyAsync(_site.Site.Id);
        var refused = await CollectAsync(Body(oldKey, PageView(6, "/", 0)));
        Assert.Equal(CollectStatus.Refused, refused.Status);
        Assert.Contains("rotated", refused.Problem, StringComparison.Ordinal);

        await using var db = await _database.NewContextAsync();
        Assert.Equal(["site" + _site.Site.Id + ":" + Visitor + "-5"], await db.Behaviors.Select(b => b.EventId).ToListAsync());
    }

    [Fact]
    public async Task Do_not_track_under_implied_consent_and_no_consent_where_it_is_required_store_nothing()
    {
        var answer = await CollectAsync(Body(_site.Site.PublishableKey, PageView(1, "/pricing", 0)), doNotTrack: true);
        Assert.Equal((CollectStatus.Accepted, 0), (answer.Status, answer.Accepted));

        var required = await SiteAsync(new SiteInput { Name = "Shop", Origins = ["https://shop.example.com"], Consent = "required" });
        var withoutConsent = await CollectAsync(Body(required.Site.PublishableKey, PageView(2, "/", 0)), origin: "https://shop.example.com");
        Assert.Equal(0, withoutConsent.Accepted);
        var withConsent = await CollectAsync(Body(required.Site.PublishableKey, PageView(3, "/", 0)) with { Consent = true }, origin: "https://shop.example.com");
        Assert.Equal(1, withConsent.Accepted);

        await using var db = await _database.NewContextAsync();
        Assert.Equal(1, await db.Behaviors.CountAsync());
    }

    [Fact]
    public async Task Under_the_signed_policy_only_an_identify_signed_with_the_sites_secret_identifies()
    {
        var signed = await SiteAsync(new SiteInput { Name = "Portal", Origins = ["https://portal.example.com"], Identify = "signed" });
        const string portal = "https://portal.example.com";
        await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "Ana", Email = "ana@example.com" }, LeadAccess.All);
        await CollectAsync(Body(signed.Site.PublishableKey, PageView(1, "/pricing", -5)), origin: portal);

        // A form's email, an unsigned identify and a forged signature identify nobody.
        await CollectAsync(Body(signed.Site.PublishableKey, Form(2, "contact", "ana@example.com", "Ana")), origin: portal);
        await CollectAsync(Body(signed.Site.PublishableKey, Identify(3, "ana@example.com", null)), origin: portal);
        await CollectAsync(Body(signed.Site.PublishableKey, Identify(4, "ana@example.com", IdentifySignature.Sign("bpis_guessed", "ana@example.com"))), origin: portal);
        await CollectAsync(Body(signed.Site.PublishableKey, Identify(5, "ana@example.com", IdentifySignature.Sign(signed.IdentifySecret, "someone@example.com"))), origin: portal);
        await _database.Get<VisitorLinking>().RunAsync();
        Assert.Null(await VisitorLeadAsync());

        await CollectAsync(Body(signed.Site.PublishableKey, Identify(6, "ANA@example.com", IdentifySignature.Sign(signed.IdentifySecret, "ana@example.com"))), origin: portal);
        await _database.Get<VisitorLinking>().RunAsync();
        var lead = await LeadAsync((await VisitorLeadAsync())!.Value);
        Assert.Equal(("Ana", 40L), (lead.Name, lead.BehaviorPoints));
    }

    [Fact]
    public async Task A_visitor_identified_as_another_lead_sends_later_behaviors_there_and_both_timelines_say_so()
    {
        await CollectAsync(Form(1, "contact", "first@example.com", "First"));
        await _database.Get<VisitorLinking>().RunAsync();
        var first = (await VisitorLeadAsync())!.Value;

        await CollectAsync(Form(2, "contact", "second@example.com", "Second"));
        await _database.Get<VisitorLinking>().RunAsync();
        var second = (await VisitorLeadAsync())!.Value;
        await CollectAsync(PageView(3, "/pricing", 1));

        Assert.NotEqual(first, second);
        Assert.Equal(30, (await LeadAsync(first)).BehaviorPoints);
        Assert.Equal(40, (await LeadAsync(second)).BehaviorPoints);
        var timelines = _database.Get<FollowUps>();
        Assert.Contains(await timelines.TimelineAsync(first), a => a.Kind == LeadActivityKind.VisitorMovedAway && a.Reason.Contains($"identified as lead #{second}", StringComparison.Ordinal));
        Assert.Contains(await timelines.TimelineAsync(second), a => a.Kind == LeadActivityKind.Identified && a.Reason.Contains($"which was lead #{first}", StringComparison.Ordinal));
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task The_answer_to_an_identify_is_the_same_whether_the_email_is_known_or_not()
    {
        var noLeads = await SiteAsync(new SiteInput { Name = "Blog", Origins = ["https://blog.example.com"], CreateLeads = false });
        await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "Known", Email = "known@example.com" }, LeadAccess.All);

        var known = await CollectAsync(Body(noLeads.Site.PublishableKey, Form(1, "contact", "known@example.com", "Known")), origin: "https://blog.example.com");
        var unknown = await CollectAsync(Body(noLeads.Site.PublishableKey, Form(1, "contact", "unknown@example.com", "Who", visitor: Other)) with { VisitorId = Other }, origin: "https://blog.example.com");

        Assert.Equal((known.Status, known.Accepted, known.Rejected.Count, known.Problem), (unknown.Status, unknown.Accepted, unknown.Rejected.Count, unknown.Problem));
    }

    [Fact]
    public async Task Without_create_leads_an_unknown_email_waits_and_is_scored_when_a_lead_with_it_appears()
    {
        var noLeads = await SiteAsync(new SiteInput { Name = "Blog", Origins = ["https://blog.example.com"], CreateLeads = false });
        const string blog = "https://blog.example.com";
        await CollectAsync(Body(noLeads.Site.PublishableKey, PageView(1, "/pricing", -5)), origin: blog);
        await CollectAsync(Body(noLeads.Site.PublishableKey, Form(2, "newsletter", "later@example.com", "Later")), origin: blog);
        await CollectAsync(Body(noLeads.Site.PublishableKey, PageView(3, "/pricing", 1)), origin: blog);
        await _database.Get<VisitorLinking>().RunAsync();
        Assert.Equal(0, await LeadCountAsync());

        var lead = await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "Later", Email = "later@example.com" }, LeadAccess.All);

        Assert.Equal(50, lead.BehaviorPoints);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", false, "crawler:googlebot")]
    [InlineData(Browser, true, "webdriver")]
    public async Task A_suspected_bot_is_held_not_scored_and_scored_once_when_released(string userAgent, bool webdriver, string reason)
    {
        await CollectAsync(Body(_site.Site.PublishableKey, PageView(1, "/pricing", -5)) with { Webdriver = webdriver }, userAgent: userAgent);
        await CollectAsync(Body(_site.Site.PublishableKey, Form(2, "contact", "bot@example.com", "Bot")) with { Webdriver = webdriver }, userAgent: userAgent);
        await _database.Get<VisitorLinking>().RunAsync();

        Assert.Equal(0, await LeadCountAsync());
        var visitor = Assert.Single((await _database.Get<SiteService>().VisitorsAsync(_site.Site.Id, heldOnly: true))!);
        Assert.Equal(reason, visitor.HeldReason);
        Assert.Equal(2, (await _database.Get<SiteService>().HeldAsync(_site.Site.Id)).Behaviors);

        Assert.True(await _database.Get<SiteService>().ReleaseAsync(Visitor));
        await _database.Get<VisitorLinking>().RunAsync();
        await _database.Get<SiteService>().ReleaseAsync(Visitor);
        await _database.Get<VisitorLinking>().RunAsync();

        await using var db = await _database.NewContextAsync();
        var lead = await db.Leads.SingleAsync();
        Assert.Equal((40L, "Bot"), (lead.BehaviorPoints, lead.Name)); // the name it gave with its email while held
        Assert.Equal(2, await db.ScoreEntries.CountAsync());
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task Page_views_faster_than_a_person_and_a_form_sent_within_a_second_of_loading_are_held()
    {
        // Five page views 300 ms apart, in two requests.
        object Quick(int sequence) => new { id = $"{Visitor}-{sequence}", behavior = "website.visit", at = Now.AddMilliseconds(sequence * 300).ToString("O"), attributes = new { path = "/p" + sequence } };
        await CollectAsync(Quick(1), Quick(2), Quick(3));
        await CollectAsync(Quick(4), Quick(5));
        await CollectAsync(Body(_site.Site.PublishableKey, Form(1, "contact", "fast@example.com", "Fast", sinceLoad: 300, visitor: Other)) with { VisitorId = Other });

        var held = (await _database.Get<SiteService>().VisitorsAsync(_site.Site.Id, heldOnly: true))!.ToDictionary(v => v.VisitorId, v => v.HeldReason);
        Assert.Equal("fast-page-views:5", held[Visitor]);
        Assert.Equal("fast-form:300", held[Other]);
        Assert.Equal(0, await LeadCountAsync());
    }

    [Fact]
    public async Task A_visitor_found_to_be_a_bot_after_it_identified_has_its_later_behaviors_held_and_shown_on_its_lead()
    {
        await CollectAsync(Form(1, "contact", "ana@example.com", "Ana"));
        await _database.Get<VisitorLinking>().RunAsync();
        object Quick(int sequence) => new { id = $"{Visitor}-{sequence}", behavior = "website.visit", at = Now.AddMinutes(5).AddMilliseconds(sequence * 200).ToString("O"), attributes = new { path = "/pricing" } };
        await CollectAsync(Quick(2), Quick(3), Quick(4));
        await CollectAsync(Quick(5), Quick(6));

        await using var db = await _database.NewContextAsync();
        var lead = await db.Leads.SingleAsync();
        Assert.Equal(50, lead.BehaviorPoints); // the form and two pricing views (the daily limit), before the fifth view in two seconds
        var held = Assert.Single(await _database.Get<SiteService>().HeldForLeadAsync(lead.Id));
        Assert.Equal((2, "fast-page-views:5"), (held.Behaviors, held.Reason));
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task Bad_events_are_named_and_the_rest_are_taken()
    {
        var answer = await CollectAsync(PageView(1, "/", 0), new { id = "someone-else-1", behavior = "website.visit" }, new { id = Visitor + "-3", behavior = "no.such" }, PageView(4, "/", 0));

        Assert.Equal(2, answer.Accepted);
        Assert.Equal(["id must be the visitor id", "behavior 'no.such' is not a known behavior type."], answer.Rejected.Select(r => r.Error.Split(',')[0]));
    }

    private sealed record CollectBody(string Key, string VisitorId, object[] Events, bool Webdriver = false, bool Consent = false);

    private CollectBody Body(string key, params object[] events) => new(key, Visitor, events);

    private Task<CollectAnswer> CollectAsync(params object[] events) => CollectAsync(Body(_site.Site.PublishableKey, events));

    private Task<CollectAnswer> CollectAsync(CollectBody body, string? origin = Origin, string userAgent = Browser, bool doNotTrack = false) =>
        _database.Get<Collector>().CollectAsync(Json(body), new CollectContext(origin, userAgent, doNotTrack));

    private object PageView(int sequence, string path, int minutes) => new
    {
        id = $"{Visitor}-{sequence}",
        behavior = "website.visit",
        at = Now.AddMinutes(minutes).AddSeconds(sequence * 3).ToString("O"),
        attributes = new { url = "https://www.example.com" + path, path },
        sinceLoad = 5000,
    };

    private object Form(int sequence, string formId, string? email, string? name, int minutes = 0, int sinceLoad = 20_000, string visitor = Visitor) => new
    {
        id = $"{visitor}-{sequence}",
        behavior = "form.submit",
        at = Now.AddMinutes(minutes).AddSeconds(sequence * 3).ToString("O"),
        attributes = new { formId },
        identify = email is null ? null : new { email, name },
        sinceLoad,
    };

    private static object Identify(int sequence, string email, string? signature) =>
        new { id = $"{Visitor}-{sequence}", behavior = "identify", identify = new { email, signature } };

    private async Task<SiteWithSecret> SiteAsync(SiteInput input) => await _database.Get<SiteService>().CreateAsync(input);

    private async Task<List<ScoreEntry>> EntriesAsync()
    {
        await using var db = await _database.NewContextAsync();
        return await db.ScoreEntries.ToListAsync();
    }

    private async Task<int> LeadCountAsync()
    {
        await using var db = await _database.NewContextAsync();
        return await db.Leads.CountAsync();
    }

    private async Task<Lead> LeadAsync(long id)
    {
        await using var db = await _database.NewContextAsync();
        return await db.Leads.SingleAsync(l => l.Id == id);
    }

    private async Task<long?> VisitorLeadAsync()
    {
        await using var db = await _database.NewContextAsync();
        return await db.Visitors.Where(v => v.Key == Visitor).Select(v => v.LeadId).SingleAsync();
    }
}
