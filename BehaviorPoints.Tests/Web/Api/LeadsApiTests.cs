using System.Net.Http.Json;
using System.Net;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Web.Api;

public sealed class LeadsApiTests(ApiFactory api) : ApiTestBase(api), IAsyncLifetime
{
    private const string OwnerEmail = "owner@example.com";

    public Task InitializeAsync() => Api.SetUpOnceAsync([Build.Rule("Submit form", "form.submit", 30)], (OwnerEmail, Roles.Sales, "North"));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Creating_a_lead_answers_201_with_its_id_team_and_owner()
    {
        var response = await Api.Admin().PostAsJsonAsync("/api/v1/leads", new
        {
            name = "Ana García",
            company = "Acme Iberia",
            email = "Ana.Garcia@Example.com",
            ownerEmail = OwnerEmail,
            team = "Iberia " + Guid.NewGuid().ToString("N")[..6],
            industry = "Retail",
            companySize = "51-200",
            jobTitle = "CMO",
            region = "Europe",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var lead = await JsonOf(response);
        var id = lead.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/leads/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("ana.garcia@example.com", lead.GetProperty("email").GetString());
        Assert.Equal(OwnerEmail, lead.GetProperty("ownerEmail").GetString());
        Assert.StartsWith("Iberia ", lead.GetProperty("team").GetString());
        Assert.Equal("open", lead.GetProperty("status").GetString());
        Assert.Equal(0, lead.GetProperty("behaviorPoints").GetInt64());
        Assert.Equal("Low", lead.GetProperty("intentLevel").GetString());
    }

    [Fact]
    public async Task An_owner_email_that_names_no_user_is_a_400_naming_the_field()
    {
        var problem = await AssertProblem(
            await Api.Admin().PostAsJsonAsync("/api/v1/leads", new { name = "Nobody's", ownerEmail = "ghost@example.com" }),
            HttpStatusCode.BadRequest);

        Assert.Equal("No user has the email ghost@example.com.", problem.GetProperty("errors").GetProperty("ownerEmail")[0].GetString());
    }

    [Fact]
    public async Task Invalid_lead_fields_are_each_reported()
    {
        var problem = await AssertProblem(
            await Api.Admin().PostAsJsonAsync("/api/v1/leads", new { name = "", email = "nope", company = new string('c', 201) }),
            HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Equal("Name is required.", errors.GetProperty("name")[0].GetString());
        Assert.Equal("'nope' is not an email address.", errors.GetProperty("email")[0].GetString());
        Assert.Equal("Company is 201 characters long; the limit is 200.", errors.GetProperty("company")[0].GetString());
    }

    [Fact]
    public async Task A_body_with_a_wrong_type_is_a_400_naming_where()
    {
        var problem = await AssertProblem(
            await Api.Admin().PostAsync("/api/v1/leads", Raw("{\"name\":\"X\",\"status\":\"sleeping\"}")),
            HttpStatusCode.BadRequest);

        Assert.StartsWith("At $.status:", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Updating_changes_the_fields_sent_and_keeps_the_others()
    {
        var id = await Api.CreateLeadAsync(new { name = "Jan Kowalski", company = "Polbud", region = "Europe" });

        var response = await Api.Admin().PutAsJsonAsync($"/api/v1/leads/{id}", new { status = "qualified", company = (string?)null });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lead = await JsonOf(response);
        Assert.Equal("Jan Kowalski", lead.GetProperty("name").GetString());
        Assert.Equal("qualified", lead.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, lead.GetProperty("company").ValueKind);
        Assert.Equal("Europe", lead.GetProperty("region").GetString());
    }

    [Fact]
    public async Task Unknown_leads_are_404_problems()
    {
        await AssertProblem(await Api.Admin().PutAsJsonAsync("/api/v1/leads/999999", new { name = "x" }), HttpStatusCode.NotFound);
        await AssertProblem(await Api.Admin().GetAsync("/api/v1/leads/999999/score"), HttpStatusCode.NotFound);
        await AssertProblem(await Api.Admin().GetAsync("/api/v1/leads/999999"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Lead_endpoints_need_an_admin_key()
    {
        var problem = await AssertProblem(await Api.Ingest().GetAsync("/api/v1/leads"), HttpStatusCode.Forbidden);
        await AssertProblem(await Api.Ingest().PostAsJsonAsync("/api/v1/leads", new { name = "x" }), HttpStatusCode.Forbidden);
        await AssertProblem(await Api.ClientWithKey(null).GetAsync("/api/v1/leads"), HttpStatusCode.Unauthorized);

        Assert.Contains("'ingest' scope", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_score_lists_entries_newest_first_and_pages_with_before()
    {
        var id = await Api.CreateLeadAsync(new { name = "Busy Lead" });
        var events = Enumerable.Range(0, 5).Select(i => new { eventId = Unique("page"), behavior = "form.submit", leadId = id, occurredAt = $"2026-11-1{i}T10:00:00Z" });
        await Api.Ingest().PostAsJsonAsync("/api/v1/events", new { events });

        var first = await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads/{id}/score?limit=3"));
        var before = first.GetProperty("nextBefore").GetString();
        var second = await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads/{id}/score?limit=3&before={before}"));

        Assert.Equal(150, first.GetProperty("total").GetInt64());
        Assert.Equal("High", first.GetProperty("intentLevel").GetString());
        var entries = first.GetProperty("entries").EnumerateArray().Concat(second.GetProperty("entries").EnumerateArray()).ToList();
        Assert.Equal(5, entries.Count);
        Assert.Equal(150, entries.Sum(e => e.GetProperty("points").GetInt32()));
        var entry = entries[0];
        foreach (var field in new[] { "id", "points", "ruleName", "behavior", "eventId", "occurredAt", "scoredAt", "ruleSetVersion" })
        {
            Assert.True(entry.TryGetProperty(field, out _), $"entry lacks {field}");
        }
        Assert.Equal("2026-11-14T10:00:00Z", entry.GetProperty("occurredAt").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextBefore").ValueKind);
    }

    [Fact]
    public async Task A_score_page_over_500_is_refused()
    {
        var id = await Api.CreateLeadAsync(new { name = "Paged" });

        var problem = await AssertProblem(await Api.Admin().GetAsync($"/api/v1/leads/{id}/score?limit=501"), HttpStatusCode.BadRequest);

        Assert.Equal("limit must be 1 to 500.", problem.GetProperty("errors").GetProperty("limit")[0].GetString());
    }

    [Fact]
    public async Task The_list_filters_by_intent_level_and_score_and_sorts()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<long>();
        foreach (var forms in new[] { 0, 2, 4, 1 })
        {
            var id = await Api.CreateLeadAsync(new { name = $"Sorted {tag} {forms}" });
            ids.Add(id);
            var events = Enumerable.Range(0, forms).Select(_ => new { eventId = Unique("sort"), behavior = "form.submit", leadId = id });
            if (forms > 0)
            {
                await Api.Ingest().PostAsJsonAsync("/api/v1/events", new { events });
            }
        }

        var high = await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads?intentLevel=High&search={tag}"));
        var range = await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads?minScore=30&maxScore=60&search={tag}&sort=score_asc"));

        Assert.Equal([$"Sorted {tag} 4"], high.GetProperty("leads").EnumerateArray().Select(l => l.GetProperty("name").GetString()));
        Assert.Equal([30L, 60L], range.GetProperty("leads").EnumerateArray().Select(l => l.GetProperty("behaviorPoints").GetInt64()));
        Assert.Equal(2, range.GetProperty("totalCount").GetInt32());
        var bad = await AssertProblem(await Api.Admin().GetAsync("/api/v1/leads?sort=sideways"), HttpStatusCode.BadRequest);
        Assert.StartsWith("sort 'sideways' is not one of", bad.GetProperty("errors").GetProperty("sort")[0].GetString());
    }
}
