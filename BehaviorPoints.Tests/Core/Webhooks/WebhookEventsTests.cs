using System.Text.Json;
using BehaviorPoints.Core.Webhooks;

namespace BehaviorPoints.Tests.Core.Webhooks;

/// <summary>One record per webhook event type: its type string spelled once, its JSON the delivered <c>data</c>.</summary>
public sealed class WebhookEventsTests
{
    private static readonly DateTime s_at = new(2026, 12, 7, 9, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void Each_subscribable_type_has_its_own_record_and_its_own_type_string()
    {
        Assert.Equal(WebhookEventTypes.Catalog.Count, WebhookEventTypes.All.Distinct().Count());
        Assert.Equal(WebhookEventTypes.Catalog.Count, WebhookEventTypes.Catalog.Select(c => c.Payload).Distinct().Count());
        Assert.All(WebhookEventTypes.Catalog, c => Assert.True(typeof(IWebhookEvent).IsAssignableFrom(c.Payload), c.Type));
        Assert.DoesNotContain(WebhookTest.TypeName, WebhookEventTypes.All);
    }

    [Fact]
    public void The_intent_level_event_delivers_the_data_spec_section_11_names()
    {
        var body = JsonDocument.Parse(WebhookOutbox.Payload(new LeadIntentLevelChanged(42, "Low", "High", 130, s_at))).RootElement;

        Assert.Equal("lead.intent_level_changed", body.GetProperty("type").GetString());
        Assert.Equal(s_at, body.GetProperty("timestamp").GetDateTime());
        var data = body.GetProperty("data");
        Assert.Equal(["leadId", "from", "to", "total", "at"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal((42L, "Low", "High", 130L), (data.GetProperty("leadId").GetInt64(), data.GetProperty("from").GetString(), data.GetProperty("to").GetString(), data.GetProperty("total").GetInt64()));
    }

    [Fact]
    public void A_payload_carries_neither_the_type_twice_nor_a_lead_id_the_event_does_not_have()
    {
        var assigned = JsonDocument.Parse(WebhookOutbox.Payload(new LeadAssigned(7, "ana@example.com", "Ana", null, "Claimed from the pool by Ana", s_at))).RootElement.GetProperty("data");
        var test = JsonDocument.Parse(WebhookOutbox.Payload(new WebhookTest(3, "A test event", "admin@example.com", s_at))).RootElement.GetProperty("data");

        Assert.Equal(["leadId", "ownerEmail", "ownerName", "rule", "reason", "at"], assigned.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, assigned.GetProperty("rule").ValueKind);
        Assert.Equal(["endpointId", "text", "requestedBy", "at"], test.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void The_fields_listed_for_a_type_are_those_its_payload_delivers()
    {
        var created = new LeadCreated(5, "Li Wei", "li.wei@example.com", "Acme", "North", null, "Low", "New", s_at);
        var delivered = JsonDocument.Parse(WebhookOutbox.Payload(created)).RootElement.GetProperty("data").EnumerateObject().Select(p => p.Name);

        Assert.Equal(delivered, WebhookEventTypes.FieldsOf(LeadCreated.TypeName));
        Assert.Empty(WebhookEventTypes.FieldsOf("lead.unknown"));
    }
}
