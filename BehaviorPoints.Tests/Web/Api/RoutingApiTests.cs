using System.Net;
using System.Net.Http.Json;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Web.Api;

/// <summary>Routing through the API (SPEC §10): the rule list, a lead routed by an event, its tasks and completing one.</summary>
public sealed class RoutingApiTests(ApiFactory api) : ApiTestBase(api), IAsyncLifetime
{
    public async Task InitializeAsync() =>
        await Api.SetUpOnceAsync([Build.Rule("Demo", "form.submit", 60)], ("ana@routing.test", Roles.Sales, "North"), ("bo@routing.test", Roles.Sales, "North"));

    public Task DisposeAsync() => Task.CompletedTask;

    private static object HotNorth => new
    {
        rules = new object[]
        {
            new
            {
                name = "Hot leads North",
                trigger = new { intentLevel = "high" },
                conditions = new[] { new { field = "team", @operator = "equals", value = "North" } },
                assign = new { mode = "round_robin", team = "north", capacity = 20 },
                reassignOwned = false,
                task = new { dueAfterMinutes = 240, graceMinutes = 60, maxReclaims = 2 },
                minIntervalDays = 7,
            },
        },
    };

    [Fact]
    public async Task A_lead_made_High_by_events_is_routed_and_its_task_can_be_listed_and_completed()
    {
        var put = await JsonOf(await Api.Admin().PutAsJsonAsync("/api/v1/routing-rules", HotNorth));
        var saved = put.GetProperty("rules")[0];
        Assert.Equal(("High", "North"), (saved.GetProperty("trigger").GetProperty("intentLevel").GetString(), saved.GetProperty("assign").GetProperty("team").GetString()));
        Assert.Equal("Hot leads North", (await JsonOf(await Api.Admin().GetAsync("/api/v1/routing-rules"))).GetProperty("rules")[0].GetProperty("name").GetString());

        var id = await Api.CreateLeadAsync(new { name = "Routed by the API", team = "North" });
        Assert.True((await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads/{id}"))).GetProperty("inPool").GetBoolean());
        foreach (var n in new[] { 1, 2 })
        {
            await Api.Admin().PostAsJsonAsync("/api/v1/events", new { eventId = $"route-{id}-{n}", behavior = "form.submit", leadId = id, occurredAt = DateTime.UtcNow.AddMinutes(-1) });
        }

        var lead = await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads/{id}"));
        Assert.False(lead.GetProperty("inPool").GetBoolean());
        var owner = lead.GetProperty("ownerEmail").GetString();
        Assert.Contains(owner, new[] { "ana@routing.test", "bo@routing.test" });

        var tasks = await JsonOf(await Api.Admin().GetAsync($"/api/v1/tasks?leadId={id}&status=open&assigneeEmail={owner}"));
        var task = Assert.Single(tasks.EnumerateArray());
        Assert.Equal(("open", "Hot leads North", owner), (task.GetProperty("status").GetString(), task.GetProperty("ruleName").GetString(), task.GetProperty("assigneeEmail").GetString()));
        var due = task.GetProperty("dueAt").GetDateTime();
        Assert.InRange(due, DateTime.UtcNow.AddMinutes(235), DateTime.UtcNow.AddMinutes(241));

        var taskId = task.GetProperty("id").GetInt64();
        var done = await JsonOf(await Api.Admin().PostAsJsonAsync($"/api/v1/tasks/{taskId}/complete", new { outcome = "not_reached", note = "Voicemail" }));
        Assert.Equal(("done", "not_reached", "Voicemail"), (done.GetProperty("status").GetString(), done.GetProperty("outcome").GetString(), done.GetProperty("note").GetString()));
        await AssertProblem(await Api.Admin().PostAsJsonAsync($"/api/v1/tasks/{taskId}/complete", new { outcome = "contacted" }), HttpStatusCode.Conflict);

        var pool = await JsonOf(await Api.Admin().GetAsync("/api/v1/leads?inPool=true&limit=500"));
        Assert.DoesNotContain(pool.GetProperty("leads").EnumerateArray(), l => l.GetProperty("id").GetInt64() == id);
        var mine = await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads?ownerEmail={owner}&limit=500"));
        Assert.Contains(mine.GetProperty("leads").EnumerateArray(), l => l.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task An_invalid_list_is_refused_with_a_problem_per_field_and_nothing_is_saved()
    {
        var before = await JsonOf(await Api.Admin().GetAsync("/api/v1/routing-rules"));
        var problem = await AssertProblem(await Api.Admin().PutAsJsonAsync("/api/v1/routing-rules", new
        {
            rules = new[] { new { name = "Bad", trigger = new { intentLevel = "Scorching" }, assign = new { mode = "user", userEmail = "nobody@routing.test" }, task = new { dueAfterMinutes = 50_000, graceMinutes = 0, maxReclaims = 0 } } },
        }), HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["rules[0].trigger.intentLevel", "rules[0].assign.userEmail", "rules[0].task.dueAfterMinutes"], fields);
        Assert.Equal(before.ToString(), (await JsonOf(await Api.Admin().GetAsync("/api/v1/routing-rules"))).ToString());

        await AssertProblem(await Api.Admin().GetAsync("/api/v1/tasks?status=later"), HttpStatusCode.BadRequest);
        await AssertProblem(await Api.Admin().PostAsJsonAsync("/api/v1/tasks/999999/complete", new { outcome = "contacted" }), HttpStatusCode.NotFound);
        var outcome = await AssertProblem(await Api.Admin().PostAsJsonAsync("/api/v1/tasks/999999/complete", new { outcome = "won" }), HttpStatusCode.BadRequest);
        Assert.True(outcome.GetProperty("errors").TryGetProperty("outcome", out _));
    }
}
