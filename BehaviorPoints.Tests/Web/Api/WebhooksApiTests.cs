using System.Net;
using System.Net.Http.Json;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Web.Api;

/// <summary>Webhooks through the API (SPEC §11): register with the secret shown once, a delivery verified, the log, delete.</summary>
public sealed class WebhooksApiTests(ApiFactory api) : ApiTestBase(api), IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        await Api.SetUpOnceAsync([Build.Rule("Demo", "form.submit", 60)]);
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_registered_endpoint_receives_a_new_lead_signed_and_its_log_shows_the_delivery()
    {
        var created = await Api.Admin().PostAsJsonAsync("/api/v1/webhooks", new { url = _receiver.Url, events = new[] { "lead.created" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var endpoint = await JsonOf(created);
        var id = endpoint.GetProperty("id").GetInt32();
        var secret = endpoint.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal($"/api/v1/webhooks/{id}", created.Headers.Location!.OriginalString);
        try
        {
            var listed = (await JsonOf(await Api.Admin().GetAsync("/api/v1/webhooks"))).EnumerateArray().Single(e => e.GetProperty("id").GetInt32() == id);
            Assert.False(listed.TryGetProperty("secret", out _));
            Assert.Equal(["lead.created"], listed.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
            // Its Location reads the one endpoint back, without its secret either.
            var read = await JsonOf(await Api.Admin().GetAsync(created.Headers.Location));
            Assert.Equal((id, _receiver.Url), (read.GetProperty("id").GetInt32(), read.GetProperty("url").GetString()));
            Assert.False(read.TryGetProperty("secret", out _));

            var leadId = await Api.CreateLeadAsync(new { name = "Told by webhook", email = $"hook.{Guid.NewGuid():N}@example.com" });
            await _receiver.WaitUntilAsync(r => r.Accepted.Any(w => w.Body.Contains($"\"leadId\":{leadId}", StringComparison.Ordinal)));
            var received = _receiver.Accepted.First(w => w.Body.Contains($"\"leadId\":{leadId}", StringComparison.Ordinal));
            received.VerifyWith(secret);

            // The log has the attempt once the worker wrote its outcome, a moment after the receiver answered.
            System.Text.Json.JsonElement? delivery = null;
            await Poll.UntilAsync(async () =>
            {
                var log = await JsonOf(await Api.Admin().GetAsync($"/api/v1/webhooks/{id}/deliveries?limit=50"));
                delivery = log.EnumerateArray().Where(d => d.GetProperty("messageId").GetString() == received.Id).Select(d => (System.Text.Json.JsonElement?)d).FirstOrDefault();
                return delivery is not null;
            }, "the delivery in the log");
            Assert.NotNull(delivery);
            Assert.Equal(("lead.created", 204, true, "delivered"), (delivery.Value.GetProperty("type").GetString(), delivery.Value.GetProperty("statusCode").GetInt32(), delivery.Value.GetProperty("succeeded").GetBoolean(), delivery.Value.GetProperty("messageStatus").GetString()));
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await Api.Admin().DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Api.Admin().DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.Admin().GetAsync($"/api/v1/webhooks/{id}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.Admin().GetAsync($"/api/v1/webhooks/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_bad_endpoint_is_refused_field_by_field_and_an_ingest_key_may_not_register_one()
    {
        var refused = await Api.Admin().PostAsJsonAsync("/api/v1/webhooks", new { url = "ftp://hooks.example.com/x", events = new[] { "lead.created", "lead.vanished" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.Contains("is not an http:// or https:// URL", problem, StringComparison.Ordinal);
        Assert.Contains("'lead.vanished' is not an event type", problem, StringComparison.Ordinal);

        var empty = await Api.Admin().PostAsJsonAsync("/api/v1/webhooks", new { url = _receiver.Url, events = Array.Empty<string>() });
        Assert.Contains("Choose at least one event type", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await Api.Ingest().PostAsJsonAsync("/api/v1/webhooks", new { url = _receiver.Url, events = new[] { "lead.created" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.Admin().GetAsync("/api/v1/webhooks/1/deliveries?limit=0")).StatusCode);
    }
}
