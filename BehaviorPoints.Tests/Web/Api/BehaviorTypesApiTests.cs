using System.Net;
using System.Net.Http.Json;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Web.Api;

public sealed class BehaviorTypesApiTests(ApiFactory api) : ApiTestBase(api)
{
    [Fact]
    public async Task The_catalog_lists_every_built_in_with_labels_and_attributes()
    {
        var types = (await JsonOf(await Api.Ingest().GetAsync("/api/v1/behavior-types"))).EnumerateArray().ToList();

        Assert.Equal(19, types.Count(t => t.GetProperty("isBuiltIn").GetBoolean()));
        var follow = types.Single(t => t.GetProperty("code").GetString() == "official_account.follow");
        Assert.Equal("Follows official account", follow.GetProperty("label").GetString());
        Assert.Equal(["accountId", "accountName"], follow.GetProperty("attributes").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_custom_type_can_be_used_by_rules_and_events_once_added()
    {
        var created = await Api.Admin().PostAsJsonAsync("/api/v1/behavior-types", new { code = "trial.start", label = "Starts a trial", channel = "Product", attributes = new[] { "plan" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        // The new type's Location reads it back; a code that names nothing is a 404 that says so.
        var read = await JsonOf(await Api.Ingest().GetAsync(created.Headers.Location));
        Assert.Equal(("trial.start", "Starts a trial", "Product"), (read.GetProperty("code").GetString(), read.GetProperty("label").GetString(), read.GetProperty("channel").GetString()));
        Assert.Contains("no behavior type 'trial.stop'", (await AssertProblem(await Api.Ingest().GetAsync("/api/v1/behavior-types/trial.stop"), HttpStatusCode.NotFound)).GetProperty("detail").GetString());

        var rules = Build.RuleSet(Build.Rule("Trial on the pro plan", "trial.start", 40, Build.When("plan", "equals", "pro")));
        Assert.Equal(HttpStatusCode.OK, (await Api.Admin().PutAsJsonAsync("/api/v1/rule-set", rules)).StatusCode);
        await Api.Admin().PostAsync("/api/v1/rule-set/publish", null);
        var leadId = await Api.CreateLeadAsync(new { name = "Trialist" });

        var response = await Api.Ingest().PostAsJsonAsync("/api/v1/events", new { eventId = Unique("trial"), behavior = "trial.start", leadId, attributes = new { plan = "Pro" } });

        var result = (await JsonOf(response)).GetProperty("results")[0];
        Assert.Equal("scored", result.GetProperty("status").GetString());
        Assert.Equal(40, result.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("official_account.follow", "already exists")]
    [InlineData("Trial Start", "must be 1 to 100 lower-case letters")]
    [InlineData("", "must be 1 to 100 lower-case letters")]
    public async Task A_bad_or_taken_code_is_refused(string code, string message)
    {
        var problem = await AssertProblem(await Api.Admin().PostAsJsonAsync("/api/v1/behavior-types", new { code }), HttpStatusCode.BadRequest);

        Assert.Contains(message, problem.GetProperty("errors").GetProperty("code")[0].GetString());
    }

    [Fact]
    public async Task Adding_types_needs_an_admin_key()
    {
        await AssertProblem(await Api.Ingest().PostAsJsonAsync("/api/v1/behavior-types", new { code = "x.y" }), HttpStatusCode.Forbidden);
    }
}
