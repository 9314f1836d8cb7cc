using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BehaviorPoints.Core.RuleSets;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Web.Api;

/// <summary>Categories and stages through the API (SPEC §12): the score answer, entries, the lead list, stage moves, adjustments.</summary>
public sealed class CategoriesAndStagesApiTests(ApiFactory api) : ApiTestBase(api), IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var ruleSets = Api.Get<RuleSetService>();
        if (await ruleSets.GetPublishedVersionAsync() is not null)
        {
            return;
        }
        await ruleSets.SaveDraftAsync(Build.RuleSet(Build.Rule("Pricing", "website.visit", 15).In("CRM"), Build.Rule("Form", "form.submit", 10))
            .WithFunnel(["CRM", "Marketing Cloud"], "New:20", "Engaged", "Sales qualified"));
        await ruleSets.PublishAsync("tests");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonElement> SendAsync(long leadId, string behavior, string eventId) =>
        (await JsonOf(await Api.Admin().PostAsJsonAsync("/api/v1/events", new { eventId, behavior, leadId, occurredAt = DateTime.UtcNow.AddMinutes(-1), attributes = new { url = "/pricing" } })))
            .GetProperty("results")[0];

    [Fact]
    public async Task The_score_answer_and_the_entries_carry_categories_and_the_stage()
    {
        var id = await Api.CreateLeadAsync(new { name = "Categorized" });

        var first = await SendAsync(id, "website.visit", $"cat-{id}-1");
        Assert.Equal(15, first.GetProperty("categories").GetProperty("CRM").GetInt64());
        Assert.Equal(0, first.GetProperty("categories").GetProperty("Marketing Cloud").GetInt64());
        Assert.Equal(("New", 15L), (first.GetProperty("stage").GetString(), first.GetProperty("stageScore").GetInt64()));
        Assert.Equal("CRM", first.GetProperty("entries")[0].GetProperty("category").GetString());
        var second = await SendAsync(id, "form.submit", $"cat-{id}-2");
        Assert.Equal(("Engaged", 0L), (second.GetProperty("stage").GetString(), second.GetProperty("stageScore").GetInt64()));

        var score = await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads/{id}/score"));
        Assert.Equal(15, score.GetProperty("categories").GetProperty("CRM").GetInt64());
        Assert.Equal(0, score.GetProperty("categories").GetProperty("Marketing Cloud").GetInt64()); // as the event's answer has it
        Assert.Equal("Engaged", score.GetProperty("stage").GetString());
        Assert.Equal([null, "CRM"], score.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("category").GetString()));
        var crm = await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads/{id}/score?category=crm"));
        Assert.Equal([15L], crm.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("runningTotal").GetInt64()));
    }

    [Fact]
    public async Task The_list_filters_by_category_score_and_stage_and_refuses_names_the_rule_set_does_not_have()
    {
        var hot = await Api.CreateLeadAsync(new { name = "List hot" });
        await SendAsync(hot, "website.visit", $"list-{hot}-1");
        await SendAsync(hot, "website.visit", $"list-{hot}-2");

        var page = await JsonOf(await Api.Admin().GetAsync("/api/v1/leads?category=CRM&minCategoryScore=30&sort=category_score_desc"));
        var lead = Assert.Single(page.GetProperty("leads").EnumerateArray(), l => l.GetProperty("id").GetInt64() == hot);
        Assert.Equal(30, lead.GetProperty("categoryScore").GetInt64());
        Assert.All(page.GetProperty("leads").EnumerateArray(), l => Assert.True(l.GetProperty("categoryScore").GetInt64() >= 30));
        var engaged = await JsonOf(await Api.Admin().GetAsync("/api/v1/leads?stage=engaged&limit=500"));
        Assert.Contains(engaged.GetProperty("leads").EnumerateArray(), l => l.GetProperty("id").GetInt64() == hot);
        Assert.All(engaged.GetProperty("leads").EnumerateArray(), l => Assert.Equal("Engaged", l.GetProperty("stage").GetString()));

        await AssertInvalidAsync(await Api.Admin().GetAsync("/api/v1/leads?category=ERP"), "category");
        await AssertInvalidAsync(await Api.Admin().GetAsync("/api/v1/leads?minCategoryScore=5"), "minCategoryScore");
        await AssertInvalidAsync(await Api.Admin().GetAsync("/api/v1/leads?stage=Won"), "stage");
    }

    [Fact]
    public async Task A_stage_sent_with_an_update_moves_the_lead_by_hand_and_an_adjustment_may_name_a_category()
    {
        var id = await Api.CreateLeadAsync(new { name = "Moved" });

        var moved = await Api.Admin().PutAsJsonAsync($"/api/v1/leads/{id}", new { stage = "Sales qualified" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("Sales qualified", (await JsonOf(moved)).GetProperty("stage").GetString());
        await AssertInvalidAsync(await Api.Admin().PutAsJsonAsync($"/api/v1/leads/{id}", new { stage = "Won" }), "stage");

        var adjusted = await Api.Admin().PostAsJsonAsync($"/api/v1/leads/{id}/adjustments", new { points = 12, reason = "Asked for a CRM demo", category = "CRM" });
        Assert.Equal(HttpStatusCode.Created, adjusted.StatusCode);
        var score = await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads/{id}/score"));
        Assert.Equal((12L, "Sales qualified", 12L), (score.GetProperty("categories").GetProperty("CRM").GetInt64(), score.GetProperty("stage").GetString(), score.GetProperty("stageScore").GetInt64()));
        await AssertInvalidAsync(await Api.Admin().PostAsJsonAsync($"/api/v1/leads/{id}/adjustments", new { points = 1, reason = "x", category = "ERP" }), "category");
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonOf(response)).GetProperty("errors").TryGetProperty(field, out _), $"the problem should name {field}");
    }
}
