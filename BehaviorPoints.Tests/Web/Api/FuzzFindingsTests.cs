using System.Net;
using System.Text;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Tests.Web.Api;

/// <summary>
/// One regression test per class of input the OpenAPI fuzz suite found answering 500 (on SQLite, PostgreSQL or both).
/// Each fails against the code before its fix.
/// </summary>
public sealed class FuzzFindingsTests(ApiFactory api) : ApiTestBase(api), IAsyncLifetime
{
    private long _leadId;

    public async Task InitializeAsync()
    {
        await Api.SetUpOnceAsync([Build.Rule("Form", "form.submit", 10)]);
        _leadId = await Api.CreateLeadAsync(new { name = "Findings", email = $"findings.{Guid.NewGuid():N}@example.com" });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private string Event(string eventId, string extra = "") =>
        $"{{\"eventId\":\"{eventId}\",\"behavior\":\"form.submit\",\"leadId\":{_leadId}{extra}}}";

    private static ByteArrayContent Bytes(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    [Fact]
    public async Task A_nul_in_the_rule_sets_object_is_a_400_naming_object_not_a_database_error()
    {
        var response = await Api.Admin().PutAsync("/api/v1/rule-set",
            Raw("""{"name":"Behavior Points","apiName":"behavior_points__c","object":"Leads\u0000","rules":[]}"""));

        var problem = await AssertProblem(response, System.Net.HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("object", out _));
    }

    [Fact]
    public async Task A_lone_surrogate_in_one_event_rejects_that_event_alone_and_the_others_are_stored()
    {
        var good = new[] { Unique("ls-a"), Unique("ls-b") };
        var body = $"{{\"events\":[{Event(good[0])},{Event(Unique("ls-bad"), ",\"attributes\":{\"formName\":\"x\\ud800\"}")},{Event(good[1])}]}}";

        var response = await Api.Ingest().PostAsync("/api/v1/events", Raw(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await JsonOf(response)).GetProperty("results");
        Assert.Equal("scored", results[0].GetProperty("status").GetString());
        Assert.Equal("rejected", results[1].GetProperty("status").GetString());
        Assert.Contains("formName is not valid Unicode text", results[1].GetProperty("error").GetString());
        Assert.Equal("scored", results[2].GetProperty("status").GetString());
        await using var db = await Api.NewContextAsync();
        Assert.Equal(2, await db.Behaviors.CountAsync(b => good.Contains(b.EventId)));
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_in_one_event_reject_that_event_alone()
    {
        var good = Unique("utf-a");
        var before = Encoding.UTF8.GetBytes($"{{\"events\":[{Event(good)},{{\"eventId\":\"{Unique("utf-bad")}\",\"behavior\":\"form.submit\",\"leadId\":{_leadId},\"contact\":{{\"email\":\"a");
        var after = Encoding.UTF8.GetBytes("@example.com\"}}]}");
        var response = await Api.Ingest().PostAsync("/api/v1/events", Bytes([.. before, 0xC3, 0x28, .. after]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await JsonOf(response)).GetProperty("results");
        Assert.Equal("scored", results[0].GetProperty("status").GetString());
        Assert.Contains("email is not valid Unicode text", results[1].GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_property_sent_twice_is_a_400_naming_it()
    {
        var update = await Api.Admin().PutAsync($"/api/v1/leads/{_leadId}", Raw("{\"name\":\"First\",\"name\":\"Second\"}"));
        var problem = await AssertProblem(update, HttpStatusCode.BadRequest);
        Assert.Contains("name appears more than once", problem.GetProperty("detail").GetString());

        var eventTwice = await Api.Ingest().PostAsync("/api/v1/events", Raw($"{{\"eventId\":\"{Unique("twice")}\",\"eventId\":\"{Unique("twice")}\",\"behavior\":\"form.submit\",\"leadId\":{_leadId}}}"));
        var result = (await JsonOf(eventTwice)).GetProperty("results")[0];
        Assert.Equal("rejected", result.GetProperty("status").GetString());
        Assert.Contains("eventId appears more than once", result.GetProperty("error").GetString());

        await using var db = await Api.NewContextAsync();
        Assert.Equal("Findings", (await db.Leads.SingleAsync(l => l.Id == _leadId)).Name);
    }

    [Theory]
    [InlineData("/api/v1/leads?limit=[]", "limit")]
    [InlineData("/api/v1/leads?minScore=abc", "minScore")]
    [InlineData("/api/v1/leads?limit=1&limit=2", "limit")]
    [InlineData("/api/v1/leads/1/score?limit=1.5", "limit")]
    public async Task A_query_parameter_that_does_not_bind_is_a_400_naming_it_without_type_names(string path, string parameter)
    {
        var problem = await AssertProblem(await Api.Admin().GetAsync(path), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
        Assert.DoesNotContain("int?", problem.ToString());
        Assert.DoesNotContain("Int64", problem.ToString());
    }

    [Theory]
    [InlineData("/api/v1/leads?search=a%00b", "search")]
    [InlineData("/api/v1/leads?sort=score%07desc", "sort")]
    [InlineData("/api/v1/leads?intentLevel=%1b%5b31mHigh", "intentLevel")]
    public async Task Control_characters_in_a_query_parameter_are_a_400_naming_it(string path, string parameter)
    {
        var problem = await AssertProblem(await Api.Admin().GetAsync(path), HttpStatusCode.BadRequest);

        Assert.Contains($"{parameter} must not contain control characters", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_nul_in_a_lead_email_an_adjustment_reason_or_its_author_is_a_400_naming_the_field()
    {
        var lead = await Api.Admin().PostAsync("/api/v1/leads", Raw("{\"name\":\"Nul\",\"email\":\"nul\\u0000@example.com\"}"));
        Assert.Contains("email", (await AssertProblem(lead, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().Select(e => e.Name));

        var reason = await Api.Admin().PostAsync($"/api/v1/leads/{_leadId}/adjustments", Raw("{\"points\":5,\"reason\":\"bad\\u0000\"}"));
        Assert.Contains("reason must not contain control characters", (await AssertProblem(reason, HttpStatusCode.BadRequest)).GetProperty("detail").GetString());

        var author = await Api.Admin().PostAsync($"/api/v1/leads/{_leadId}/adjustments", Raw("{\"points\":5,\"reason\":\"ok\",\"authorEmail\":\"x\\u0000\"}"));
        Assert.Contains("authorEmail", (await AssertProblem(author, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().Select(e => e.Name));

        await using var db = await Api.NewContextAsync();
        Assert.Equal(0, await db.ScoreEntries.CountAsync(e => e.LeadId == _leadId && e.Reason != null));
    }

    [Theory]
    [InlineData("[\"ok\", \"ok\"]", "listed more than once")]
    [InlineData("[\"\"]", "cannot be empty or contain commas")]
    [InlineData("[\"bad\\u0000name\"]", "Attribute names are 1 to 64 characters")]
    [InlineData("[\"a,b\"]", "cannot be empty or contain commas")]
    [InlineData("[\"x\", \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]", "Attribute names are 1 to 64 characters")]
    public async Task Behavior_type_attribute_names_are_checked_as_event_attribute_names_are(string attributes, string phrase)
    {
        var response = await Api.Admin().PostAsync("/api/v1/behavior-types", Raw($"{{\"code\":\"fz.t{Guid.NewGuid():N}\",\"attributes\":{attributes}}}"));

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Contains(phrase, problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("attributes", out _));
    }

    [Fact]
    public async Task An_event_from_before_2000_is_rejected_alone()
    {
        var response = await Api.Ingest().PostAsync("/api/v1/events", Raw(Event(Unique("old"), ",\"occurredAt\":\"1999-12-31T23:59:59Z\"")));

        var result = (await JsonOf(response)).GetProperty("results")[0];
        Assert.Equal("rejected", result.GetProperty("status").GetString());
        Assert.Contains("before 2000-01-01", result.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_intent_level_is_checked_against_the_published_levels_ignoring_case()
    {
        await Api.Admin().PutAsync("/api/v1/rule-set", Raw("{\"name\":\"Findings\",\"apiName\":\"findings__c\",\"object\":\"Leads\",\"rules\":[{\"name\":\"Form\",\"behavior\":\"form.submit\",\"points\":10}],\"intentField\":{\"name\":\"Intent Level\",\"options\":[{\"label\":\"Low\",\"min\":null,\"max\":49},{\"label\":\"High\",\"min\":50,\"max\":null}]}}"));
        await Api.Admin().PostAsync("/api/v1/rule-set/publish", null);

        Assert.Equal(HttpStatusCode.OK, (await Api.Admin().GetAsync("/api/v1/leads?intentLevel=high")).StatusCode);
        var problem = await AssertProblem(await Api.Admin().GetAsync("/api/v1/leads?intentLevel=Lukewarm"), HttpStatusCode.BadRequest);
        Assert.Contains("intentLevel 'Lukewarm' is not one of Low, High", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_not_sent_as_json_is_a_415()
    {
        var response = await Api.Admin().PostAsync("/api/v1/leads", new StringContent("name=Form", Encoding.UTF8, "application/x-www-form-urlencoded"));

        // Routing refuses it from the endpoint's declared media type, before the body is read.
        var problem = await AssertProblem(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Unsupported Media Type", problem.GetProperty("title").GetString());
        await using var db = await Api.NewContextAsync();
        Assert.False(await db.Leads.AnyAsync(l => l.Name == "Form"));
    }
}
