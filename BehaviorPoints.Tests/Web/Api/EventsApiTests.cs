using System.Net.Http.Json;
using System.Net;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Tests.Web.Api;

public sealed class EventsApiTests(ApiFactory api) : ApiTestBase(api), IAsyncLifetime
{
    public Task InitializeAsync() => Api.SetUpOnceAsync(Build.SeedExample);

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Follow(string eventId, long leadId, string accountId = "sharecrm") => new
    {
        eventId,
        behavior = "official_account.follow",
        occurredAt = "2026-11-20T08:30:00Z",
        leadId,
        attributes = new { accountId, accountName = "ShareCRM" },
    };

    [Fact]
    public async Task A_single_event_answers_the_spec_shape_with_both_entries()
    {
        var leadId = await Api.CreateLeadAsync(new { name = "Li Wei", email = $"{Unique("li")}@example.com" });
        var eventId = Unique("evt");

        var response = await Api.Ingest().PostAsJsonAsync("/api/v1/events", Follow(eventId, leadId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = Assert.Single((await JsonOf(response)).GetProperty("results").EnumerateArray());
        Assert.Equal(eventId, result.GetProperty("eventId").GetString());
        Assert.Equal("scored", result.GetProperty("status").GetString());
        Assert.Equal(leadId, result.GetProperty("leadId").GetInt64());
        Assert.Equal(3, result.GetProperty("points").GetInt32());
        Assert.Equal(3, result.GetProperty("total").GetInt64());
        Assert.Equal("Low", result.GetProperty("intentLevel").GetString());
        Assert.Equal(
            [("Follow any account", 1), ("Follow ShareCRM", 2)],
            result.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("ruleName").GetString(), e.GetProperty("points").GetInt32())));
        Assert.False(result.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task A_batch_answers_every_status_and_a_bad_event_is_rejected_alone()
    {
        var leadId = await Api.CreateLeadAsync(new { name = "Batch Lead" });
        var repeated = Unique("evt");
        var stranger = $"{Unique("stranger")}@example.com";
        var body = new
        {
            events = new object[]
            {
                Follow(repeated, leadId),
                new { eventId = Unique("evt"), behavior = "official_account.follow", leadId, occurredAt = "not a date" },
                Follow(Unique("evt"), leadId, "othercorp"),
                new { eventId = Unique("evt"), behavior = "purchase", leadId, attributes = new { amount = 20 } },
                new { eventId = Unique("evt"), behavior = "form.submit", contact = new { email = stranger } },
                Follow(repeated, leadId),
                new { eventId = Unique("evt"), behavior = "no.such.behavior", leadId },
            },
        };

        var response = await Api.Ingest().PostAsJsonAsync("/api/v1/events", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await JsonOf(response)).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(
            ["scored", "rejected", "scored", "no_match", "unlinked", "duplicate", "rejected"],
            results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("occurredAt must be an ISO 8601 date and time, such as 2026-11-20T08:30:00Z.", results[1].GetProperty("error").GetString());
        Assert.Equal("behavior 'no.such.behavior' is not a known behavior type.", results[6].GetProperty("error").GetString());
        Assert.Equal(4, results[2].GetProperty("total").GetInt64());

        await using var db = await Api.NewContextAsync();
        Assert.Equal(4, await db.Behaviors.CountAsync(b => b.LeadId == leadId || b.ContactEmail == stranger));
        Assert.Equal(4, await db.ScoreEntries.Where(e => e.LeadId == leadId).SumAsync(e => e.Points));
    }

    public static TheoryData<string, string> EventsBreakingALimit => new()
    {
        { "{\"eventId\":\"" + new string('e', 129) + "\",\"behavior\":\"form.submit\",\"leadId\":1}", "eventId must be 1 to 128 characters; it has 129." },
        { "{\"eventId\":\"\",\"behavior\":\"form.submit\",\"leadId\":1}", "eventId must be 1 to 128 characters; it has 0." },
        { "{\"behavior\":\"form.submit\",\"leadId\":1}", "eventId is required." },
        { "{\"eventId\":\"x1\",\"behavior\":\"form.submit\",\"leadId\":1,\"attributes\":{" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"a{i}\":1")) + "}}", "An event carries at most 50 attributes." },
        { "{\"eventId\":\"x2\",\"behavior\":\"form.submit\",\"leadId\":1,\"attributes\":{\"" + new string('n', 65) + "\":1}}", "Attribute names must be 1 to 64 characters;" },
        { "{\"eventId\":\"x3\",\"behavior\":\"form.submit\",\"leadId\":1,\"attributes\":{\"t\":\"" + new string('t', 2001) + "\"}}", "Attribute 't' is 2001 characters long; text values are limited to 2000." },
        { "{\"eventId\":\"x4\",\"behavior\":\"form.submit\",\"leadId\":1,\"occurredAt\":\"2099-01-01T00:00:00Z\"}", "is more than one day in the future." },
        { "{\"eventId\":\"x5\",\"behavior\":\"form.submit\"}", "Say who did it: leadId, or contact with at least one of email, phone or externalId." },
        { "{\"eventId\":\"x6\",\"behavior\":\"form.submit\",\"leadId\":\"12\"}", "leadId must be a positive whole number." },
        { "{\"eventId\":\"x7\",\"behavior\":\"form.submit\",\"leadId\":1,\"attributes\":{\"nested\":{\"a\":1}}}", "Attribute 'nested' must be text, a number or true/false, not an object." },
        { "{\"eventId\":\"x8\",\"behavior\":42,\"leadId\":1}", "behavior must be a string, not a number." },
        { "{\"eventId\":\"x9\",\"behavior\":\"form.submit\",\"contact\":{\"email\":\"not-an-email\"}}", "contact.email 'not-an-email' is not an email address." },
    };

    [Theory]
    [MemberData(nameof(EventsBreakingALimit))]
    public async Task An_event_beyond_a_limit_is_rejected_with_an_error_naming_it(string body, string error)
    {
        var response = await Api.Ingest().PostAsync("/api/v1/events", Raw(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = Assert.Single((await JsonOf(response)).GetProperty("results").EnumerateArray());
        Assert.Equal("rejected", result.GetProperty("status").GetString());
        Assert.Contains(error, result.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_event_at_the_limits_is_accepted()
    {
        var leadId = await Api.CreateLeadAsync(new { name = "Limits Lead" });
        var attributes = Enumerable.Range(0, 50).ToDictionary(i => $"{new string('n', 60)}{i:D4}", i => (object)new string('t', 2000));
        var body = new { eventId = new string('e', 127) + "1", behavior = "form.submit", leadId, occurredAt = DateTimeOffset.UtcNow.AddHours(23), attributes };

        var response = await Api.Ingest().PostAsJsonAsync("/api/v1/events", body);

        Assert.Equal("no_match", (await JsonOf(response)).GetProperty("results")[0].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("{not json", "The body is not valid JSON")]
    [InlineData("[{\"eventId\":\"a\"}]", "Send one event object, or {\"events\": [ ... ]}.")]
    [InlineData("{\"events\": {}}", "\"events\" must be an array of event objects.")]
    public async Task A_body_that_is_not_an_event_or_a_batch_is_refused_whole_with_400(string body, string detail)
    {
        var problem = await AssertProblem(await Api.Ingest().PostAsync("/api/v1/events", Raw(body)), HttpStatusCode.BadRequest);

        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task More_than_1000_events_are_refused_whole_with_413()
    {
        var leadId = await Api.CreateLeadAsync(new { name = "Big Batch" });
        var events = Enumerable.Range(0, 1001).Select(i => new { eventId = Unique("big"), behavior = "form.submit", leadId }).ToList();

        var problem = await AssertProblem(await Api.Ingest().PostAsJsonAsync("/api/v1/events", new { events }), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("A batch holds at most 1000 events; this one has 1001.", problem.GetProperty("detail").GetString());
        await using var db = await Api.NewContextAsync();
        Assert.False(await db.Behaviors.AnyAsync(b => b.LeadId == leadId));
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_refused_whole_with_413()
    {
        var body = "{\"eventId\":\"huge\",\"behavior\":\"form.submit\",\"leadId\":1,\"attributes\":{\"pad\":\"" + new string('x', 1024 * 1024) + "\"}}";

        var problem = await AssertProblem(await Api.Ingest().PostAsync("/api/v1/events", Raw(body)), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("1048576 bytes (1 MiB)", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Exactly_1000_events_are_accepted()
    {
        var leadId = await Api.CreateLeadAsync(new { name = "Full Batch" });
        var events = Enumerable.Range(0, 1000).Select(i => Follow(Unique("full"), leadId, "othercorp")).ToList();

        var response = await Api.Ingest().PostAsJsonAsync("/api/v1/events", new { events });

        var results = (await JsonOf(response)).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(1000, results.Count);
        Assert.All(results, r => Assert.Equal("scored", r.GetProperty("status").GetString()));
        Assert.Equal(1000, results[^1].GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task The_events_endpoint_needs_a_valid_key()
    {
        var body = Follow(Unique("evt"), 1);

        var none = await AssertProblem(await Api.ClientWithKey(null).PostAsJsonAsync("/api/v1/events", body), HttpStatusCode.Unauthorized);
        var unknown = await AssertProblem(await Api.ClientWithKey("bp_not-a-real-key").PostAsJsonAsync("/api/v1/events", body), HttpStatusCode.Unauthorized);
        await AssertProblem(await Api.ClientWithKey(Api.RevokedKey).PostAsJsonAsync("/api/v1/events", body), HttpStatusCode.Unauthorized);

        Assert.Contains("Send an API key in the X-Api-Key header", none.GetProperty("detail").GetString());
        Assert.Contains("unknown or has been revoked", unknown.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_admin_key_may_also_send_events()
    {
        var leadId = await Api.CreateLeadAsync(new { name = "Admin Sender" });

        var response = await Api.Admin().PostAsJsonAsync("/api/v1/events", Follow(Unique("evt"), leadId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Keys_are_stored_hashed()
    {
        await using var db = await Api.NewContextAsync();
        var stored = await db.ApiKeys.Select(k => k.KeyHash).ToListAsync();

        Assert.DoesNotContain(Api.IngestKey, stored);
        Assert.Contains(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Api.IngestKey))).ToLowerInvariant(), stored);
    }
}
