using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Web.Api;

/// <summary><c>POST /api/v1/leads/{id}/adjustments</c>, and where adjustments stand in the score's entries.</summary>
public sealed class AdjustmentsApiTests(ApiFactory api) : ApiTestBase(api), IAsyncLifetime
{
    private const string AuthorEmail = "ana@example.com";

    public Task InitializeAsync() => Api.SetUpOnceAsync([Build.Rule("Submit form", "form.submit", 30)], (AuthorEmail, Roles.Sales, "North"));

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> AdjustAsync(long leadId, object body) =>
        Api.Admin().PostAsJsonAsync($"/api/v1/leads/{leadId}/adjustments", body);

    private async Task<JsonElement> ScoreAsync(long leadId, string query = "") =>
        await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads/{leadId}/score{query}"));

    [Fact]
    public async Task An_adjustment_answers_201_with_its_entry_the_new_total_and_level()
    {
        var id = await Api.CreateLeadAsync(new { name = "Adjusted" });

        var response = await AdjustAsync(id, new { points = 60, reason = "Met at the trade fair", authorEmail = "ANA@example.com" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await JsonOf(response);
        Assert.Equal(60, body.GetProperty("total").GetInt64());
        Assert.Equal("Medium", body.GetProperty("intentLevel").GetString());
        var entry = body.GetProperty("entry");
        Assert.Equal(("Manual adjustment", 60, "Met at the trade fair", AuthorEmail, 60L),
            (entry.GetProperty("ruleName").GetString(), entry.GetProperty("points").GetInt32(), entry.GetProperty("reason").GetString(),
             entry.GetProperty("createdBy").GetString(), entry.GetProperty("runningTotal").GetInt64()));
        var listed = Assert.Single((await ScoreAsync(id)).GetProperty("entries").EnumerateArray());
        Assert.Equal(entry.GetProperty("id").GetInt64(), listed.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Without_an_author_the_entry_names_the_api_key()
    {
        var id = await Api.CreateLeadAsync(new { name = "Keyed" });

        var body = await JsonOf(await AdjustAsync(id, new { points = -5, reason = "Bounced email" }));

        Assert.Equal("API key 'CRM sync'", body.GetProperty("entry").GetProperty("createdBy").GetString());
        Assert.Equal(-5, body.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("{\"points\": 0, \"reason\": \"x\"}", "points")]
    [InlineData("{\"points\": 10001, \"reason\": \"x\"}", "points")]
    [InlineData("{\"points\": 5}", "reason")]
    [InlineData("{\"points\": 5, \"reason\": \"   \"}", "reason")]
    [InlineData("{\"points\": 5, \"reason\": \"x\", \"authorEmail\": \"ghost@example.com\"}", "authorEmail")]
    public async Task A_refused_adjustment_names_its_field_and_changes_nothing(string body, string field)
    {
        var id = await Api.CreateLeadAsync(new { name = $"Refused {field}" });

        var problem = await AssertProblem(await Api.Admin().PostAsync($"/api/v1/leads/{id}/adjustments", Raw(body)), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var score = await ScoreAsync(id);
        Assert.Equal(0, score.GetProperty("total").GetInt64());
        Assert.Empty(score.GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task An_adjustment_to_a_lead_that_does_not_exist_answers_404()
    {
        await AssertProblem(await AdjustAsync(987654, new { points = 5, reason = "x" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task After_a_re_score_the_adjustment_keeps_its_place_in_time_in_the_entries()
    {
        var id = await Api.CreateLeadAsync(new { name = "Re-scored" });
        var events = Enumerable.Range(1, 3).Select(i => new { eventId = Unique("old"), behavior = "form.submit", leadId = id, occurredAt = $"2026-09-0{i}T10:00:00Z" });
        (await Api.Ingest().PostAsJsonAsync("/api/v1/events", new { events })).EnsureSuccessStatusCode();
        (await AdjustAsync(id, new { points = -15, reason = "Duplicate webinar sign-up" })).EnsureSuccessStatusCode();

        var draft = await JsonOf(await Api.Admin().GetAsync("/api/v1/rule-set"));
        var rules = JsonSerializer.Serialize(draft).Replace("\"points\":30", "\"points\":20");
        (await Api.Admin().PutAsync("/api/v1/rule-set", Raw(rules))).EnsureSuccessStatusCode();
        (await Api.Admin().PostAsync("/api/v1/rule-set/publish?mode=rescore", null)).EnsureSuccessStatusCode();
        var score = await ScoreAsync(id);
        for (var tries = 0; tries < 400 && score.GetProperty("total").GetInt64() != 45; tries++)
        {
            await Task.Delay(50);
            score = await ScoreAsync(id);
        }

        var entries = score.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["Manual adjustment", "Submit form", "Submit form", "Submit form"], entries.Select(e => e.GetProperty("ruleName").GetString()));
        Assert.Equal([45L, 60, 40, 20], entries.Select(e => e.GetProperty("runningTotal").GetInt64()));
        var firstPage = await ScoreAsync(id, "?limit=2");
        var secondPage = await ScoreAsync(id, $"?limit=2&before={firstPage.GetProperty("nextBefore").GetString()}");
        Assert.Equal([40L, 20], secondPage.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("runningTotal").GetInt64()));
        var byEntryId = await ScoreAsync(id, $"?limit=2&before={entries[1].GetProperty("id").GetInt64()}");
        Assert.Equal([40L, 20], byEntryId.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("runningTotal").GetInt64()));
    }

    [Fact]
    public async Task A_before_that_is_no_entry_of_the_lead_is_refused()
    {
        var id = await Api.CreateLeadAsync(new { name = "Cursor" });

        var problem = await AssertProblem(await Api.Admin().GetAsync($"/api/v1/leads/{id}/score?before=999999"), HttpStatusCode.BadRequest);
        var garbled = await AssertProblem(await Api.Admin().GetAsync($"/api/v1/leads/{id}/score?before=12-x"), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("before", out _));
        Assert.True(garbled.GetProperty("errors").TryGetProperty("before", out _));
    }
}
