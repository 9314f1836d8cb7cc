using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Core.Tracking;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BehaviorPoints.Tests.Support.Build;

namespace BehaviorPoints.Tests.Core.Tracking;

/// <summary>
/// The Segment-compatible source (SPEC §16) with a real Segment-format batch: pages are visits, an identify ties the
/// anonymous id, user id and email to one lead, track names map to behaviors, and an unmapped name is kept, listed and
/// scored once it is mapped; nothing is dropped and a message sent again is stored once.
/// </summary>
public sealed class SegmentSourceTests : IAsyncLifetime
{
    private const string Anonymous = "507f191e-810c-19729-de860ea";
    private CoreDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await CoreDatabase.CreateAsync();
        var ruleSets = _database.Get<RuleSetService>();
        await ruleSets.SaveDraftAsync(RuleSet(Rule("Pricing page", "website.visit", 10, When("path", "contains", "/pricing")), Rule("Whitepaper", "content.download", 20), Rule("Demo", "form.submit", 50)));
        await ruleSets.PublishAsync("tests", PublishMode.NewBehaviorsOnly);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private DateTime Now => _database.Clock.GetUtcNow().UtcDateTime;

    [Fact]
    public async Task A_segment_batch_becomes_a_lead_whose_anonymous_page_views_and_mapped_events_are_scored_in_order()
    {
        var source = _database.Get<SegmentSource>();
        await source.SaveMappingsAsync([new SegmentMapping { Event = "Demo Requested", Behavior = "form.submit" }]);

        var answer = await source.ReceiveAsync(Batch(
            new { type = "page", messageId = "m1", anonymousId = Anonymous, name = "Pricing", properties = new { url = "https://example.com/pricing", path = "/pricing", title = "Pricing", nested = new { a = 1 } }, timestamp = At(-10) },
            new { type = "track", messageId = "m2", anonymousId = Anonymous, @event = "Whitepaper Downloaded", properties = new { whitepaper = "wp-7" }, timestamp = At(-8) },
            new { type = "identify", messageId = "m3", anonymousId = Anonymous, userId = "crm-42", traits = new { email = "Ana@Example.com", name = "Ana Souza" }, timestamp = At(-5) },
            new { type = "track", messageId = "m4", userId = "crm-42", @event = "Demo Requested", properties = new { plan = "pro" }, timestamp = At(-1) }));
        await _database.Get<VisitorLinking>().RunAsync();

        Assert.Equal((4, 0), (answer.Accepted, answer.Rejected.Count));
        await using var db = await _database.NewContextAsync();
        var lead = await db.Leads.SingleAsync();
        Assert.Equal(("Ana Souza", "ana@example.com", "crm-42", "website"), (lead.Name, lead.Email, lead.ExternalId, lead.Source));
        Assert.Equal(60, lead.BehaviorPoints); // the pricing page and the demo; the whitepaper is kept unmapped
        var page = await db.Behaviors.SingleAsync(b => b.EventId == "segment:m1");
        Assert.Equal(("website.visit", lead.Id), (page.Type, page.LeadId));
        Assert.DoesNotContain("nested", page.AttributesJson, StringComparison.Ordinal);

        var unmapped = Assert.Single(await source.UnmappedAsync());
        Assert.Equal(("Whitepaper Downloaded", 1), (unmapped.Event, unmapped.Behaviors));

        // Mapped later: the kept event becomes its behavior and is scored on the lead, once.
        await source.SaveMappingsAsync([new SegmentMapping { Event = "Demo Requested", Behavior = "form.submit" }, new SegmentMapping { Event = "Whitepaper Downloaded", Behavior = "content.download" }]);
        await _database.Get<VisitorLinking>().RunAsync();
        await source.SaveMappingsAsync([new SegmentMapping { Event = "Whitepaper Downloaded", Behavior = "content.download" }]);
        await _database.Get<VisitorLinking>().RunAsync();

        await using var after = await _database.NewContextAsync();
        Assert.Equal(80, (await after.Leads.SingleAsync()).BehaviorPoints);
        Assert.Equal(1, await after.ScoreEntries.CountAsync(e => e.EventId == "segment:m2"));
        Assert.Empty(await source.UnmappedAsync());
        Assert.Empty(await _database.LeadsWhoseTotalIsNotTheSumOfEntriesAsync());
    }

    [Fact]
    public async Task A_message_sent_again_is_stored_once_and_a_bad_one_is_named_while_the_rest_are_taken()
    {
        var source = _database.Get<SegmentSource>();
        await _database.Get<LeadCommands>().CreateAsync(new LeadInput { Name = "Li Wei", Email = "li.wei@example.com" }, LeadAccess.All);
        var page = new { type = "page", messageId = "p1", userId = (string?)null, context = new { traits = new { email = "li.wei@example.com" } }, properties = new { path = "/pricing" }, timestamp = At(-2) };

        var answer = await source.ReceiveAsync(Batch(page, new { type = "track", messageId = "t1", anonymousId = Anonymous }, new { type = "alias", messageId = "a1", userId = "x" }, new { type = "page", properties = new { path = "/" } }));
        await source.ReceiveAsync(Batch(page));

        Assert.Equal(1, answer.Accepted);
        Assert.Equal(["A track message names its event.", "type 'alias' is not one of track, identify, page, screen.", "messageId is required: it is the event id, so a message sent again is stored once."],
            answer.Rejected.Select(r => r.Error));
        await using var db = await _database.NewContextAsync();
        Assert.Equal(10, (await db.Leads.SingleAsync()).BehaviorPoints);
        Assert.Equal(1, await db.Behaviors.CountAsync());
    }

    [Fact]
    public async Task Mappings_name_known_behaviors_once_each()
    {
        var error = await Assert.ThrowsAsync<BehaviorPoints.Core.ValidationFailedException>(() => _database.Get<SegmentSource>().SaveMappingsAsync(
            [new SegmentMapping { Event = "Signed Up", Behavior = "no.such" }, new SegmentMapping { Event = "Signed Up", Behavior = "form.submit" }, new SegmentMapping { Event = " ", Behavior = "form.submit" }]));

        Assert.Equal(["mappings[0].behavior", "mappings[1].event", "mappings[2].event"], error.Errors.Select(e => e.Field));
    }

    private static IReadOnlyList<System.Text.Json.JsonElement> Batch(params object[] messages) => [.. messages.Select(m => Json(m))];

    private string At(int minutes) => Now.AddMinutes(minutes).ToString("O");
}
