using System.Net;
using System.Net.Http.Json;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Web.Api;

public sealed class RuleSetApiTests(ApiFactory api) : ApiTestBase(api)
{
    private static object SpecExample(int sharePoints = 2, string description = "") => new
    {
        name = "Behavior Points",
        apiName = "behavior_points__c",
        @object = "Leads",
        description,
        rules = new object[]
        {
            new { name = "Follow any account", behavior = "official_account.follow", conditions = Array.Empty<object>(), points = 1, limit = (object?)null },
            new
            {
                name = "Follow ShareCRM", behavior = "official_account.follow",
                conditions = new[] { new { attribute = "accountId", @operator = "equals", value = "sharecrm" } },
                points = sharePoints, limit = new { times = 1, per = "ever" },
            },
        },
        intentField = new
        {
            name = "Intent Level",
            options = new object[]
            {
                new { label = "Low", min = (int?)null, max = 49 },
                new { label = "Medium", min = 50, max = 100 },
                new { label = "High", min = 101, max = (int?)null },
            },
        },
    };

    [Fact]
    public async Task Publishing_with_mode_rescore_starts_a_re_score_and_an_unknown_mode_is_refused()
    {
        await Api.Admin().PutAsJsonAsync("/api/v1/rule-set", SpecExample());

        var bad = await AssertProblem(await Api.Admin().PostAsync("/api/v1/rule-set/publish?mode=everything", null), HttpStatusCode.BadRequest);
        Assert.Contains("not one of new_behaviors_only, rescore", bad.ToString());

        var published = await Api.Admin().PostAsync("/api/v1/rule-set/publish?mode=rescore", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var version = (await JsonOf(published)).GetProperty("version").GetInt32();
        var rescoring = Api.Get<BehaviorPoints.Core.Scoring.Rescoring>();
        await WaitUntilAsync(() => rescoring.Progress is { Running: false } progress && progress.Version == version);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(condition(), "the background re-score did not finish in 10 seconds");
    }

    [Fact]
    public async Task The_draft_round_trips_and_publishing_answers_the_next_version()
    {
        // Other tests of this class publish too: a description of its own makes this draft new.
        var put = await Api.Admin().PutAsJsonAsync("/api/v1/rule-set", SpecExample(description: Unique("round trip")));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var draft = await JsonOf(await Api.Admin().GetAsync("/api/v1/rule-set"));
        Assert.Equal("behavior_points__c", draft.GetProperty("apiName").GetString());
        Assert.Equal("Leads", draft.GetProperty("object").GetString());
        var rule = draft.GetProperty("rules")[1];
        Assert.Equal("equals", rule.GetProperty("conditions")[0].GetProperty("operator").GetString());
        Assert.Equal("sharecrm", rule.GetProperty("conditions")[0].GetProperty("value").GetString());
        Assert.Equal("ever", rule.GetProperty("limit").GetProperty("per").GetString());
        Assert.Equal(101, draft.GetProperty("intentField").GetProperty("options")[2].GetProperty("min").GetInt32());

        var first = (await JsonOf(await Api.Admin().PostAsync("/api/v1/rule-set/publish", null))).GetProperty("version").GetInt32();
        await Api.Admin().PutAsJsonAsync("/api/v1/rule-set", SpecExample(sharePoints: 5));
        var second = (await JsonOf(await Api.Admin().PostAsync("/api/v1/rule-set/publish", null))).GetProperty("version").GetInt32();

        Assert.Equal(first + 1, second);
        var old = await JsonOf(await Api.Admin().GetAsync($"/api/v1/rule-set/versions/{first}"));
        Assert.Equal(2, old.GetProperty("rules")[1].GetProperty("points").GetInt32());
    }

    [Fact]
    public async Task Publishing_a_draft_identical_to_the_published_version_is_a_409_and_writes_no_version()
    {
        await Api.Admin().PutAsJsonAsync("/api/v1/rule-set", SpecExample(description: Unique("identical")));
        var published = (await JsonOf(await Api.Admin().PostAsync("/api/v1/rule-set/publish", null))).GetProperty("version").GetInt32();

        var again = await Api.Admin().PostAsync("/api/v1/rule-set/publish?mode=rescore", null);

        var problem = await AssertProblem(again, HttpStatusCode.Conflict);
        Assert.Contains($"identical to published version {published}", problem.GetProperty("detail").GetString());
        var versions = await JsonOf(await Api.Admin().GetAsync("/api/v1/rule-set/versions"));
        Assert.Equal(published, versions.EnumerateArray().Max(v => v.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task An_invalid_rule_set_is_refused_with_a_problem_per_field_and_the_draft_is_kept()
    {
        await Api.Admin().PutAsJsonAsync("/api/v1/rule-set", SpecExample());
        var invalid = new
        {
            name = "",
            apiName = "Bad Name",
            @object = "Leads",
            rules = new[] { new { name = "Zero", behavior = "form.submit", points = 0 } },
            intentField = new { name = "Intent Level", options = new[] { new { label = "Low", min = (int?)null, max = (int?)40 }, new { label = "High", min = (int?)50, max = (int?)null } } },
        };

        var problem = await AssertProblem(await Api.Admin().PutAsJsonAsync("/api/v1/rule-set", invalid), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Equal("Name is required.", errors.GetProperty("name")[0].GetString());
        Assert.Contains("must start with a letter", errors.GetProperty("apiName")[0].GetString());
        Assert.Contains("must not be zero", errors.GetProperty("rules[0].points")[0].GetString());
        Assert.Equal("Gap: totals 41 to 49 fall in no option (between 'Low' and 'High').", errors.GetProperty("intentField.options")[0].GetString());
        var draft = await JsonOf(await Api.Admin().GetAsync("/api/v1/rule-set"));
        Assert.Equal("Behavior Points", draft.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_rule_set_body_of_the_wrong_shape_names_the_path()
    {
        var problem = await AssertProblem(
            await Api.Admin().PutAsync("/api/v1/rule-set", Raw("{\"name\":\"X\",\"rules\":[{\"name\":\"R\",\"points\":\"many\"}]}")),
            HttpStatusCode.BadRequest);

        Assert.StartsWith("At $.rules[0].points:", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_rule_set_needs_an_admin_key()
    {
        await AssertProblem(await Api.Ingest().GetAsync("/api/v1/rule-set"), HttpStatusCode.Forbidden);
        await AssertProblem(await Api.Ingest().PostAsync("/api/v1/rule-set/publish", null), HttpStatusCode.Forbidden);
        await AssertProblem(await Api.ClientWithKey(null).PutAsJsonAsync("/api/v1/rule-set", SpecExample()), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Health_the_openapi_document_and_the_reference_page_are_served()
    {
        var client = Api.ClientWithKey(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var openApi = await JsonOf(await client.GetAsync("/openapi/v1.json"));
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/v1/events", out _));
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/v1/leads/{id}/score", out _));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/reference")).StatusCode);
    }

    private static object FadingRuleSet(params object[] steps) => new
    {
        name = "Behavior Points",
        apiName = "behavior_points__c",
        rules = new object[] { new { name = "Visit", behavior = "website.visit", points = 5, decay = new { steps } } },
    };

    [Fact]
    public async Task A_fading_schedule_travels_through_the_api_and_every_entry_says_its_kind()
    {
        var refused = await AssertProblem(
            await Api.Admin().PutAsJsonAsync("/api/v1/rule-set", FadingRuleSet(new { afterDays = 30, keepPercent = 50 }, new { afterDays = 20, keepPercent = 0 })),
            HttpStatusCode.BadRequest);
        Assert.Contains("Step 2 comes after 20 days, not later than step 1 (30 days)", refused.GetProperty("errors").GetProperty("rules[0].decay.steps[1].afterDays")[0].GetString());

        var put = await Api.Admin().PutAsJsonAsync("/api/v1/rule-set", FadingRuleSet(new { afterDays = 30, keepPercent = 50 }, new { afterDays = 90, keepPercent = 0 }));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var decay = (await JsonOf(await Api.Admin().GetAsync("/api/v1/rule-set"))).GetProperty("rules")[0].GetProperty("decay");
        Assert.Equal("""{"steps":[{"afterDays":30,"keepPercent":50},{"afterDays":90,"keepPercent":0}]}""", decay.GetRawText());
        Assert.Equal(HttpStatusCode.OK, (await Api.Admin().PostAsync("/api/v1/rule-set/publish", null)).StatusCode);

        var leadId = await Api.CreateLeadAsync(new { name = "Faded Lead" });
        var occurredAt = DateTime.UtcNow.AddDays(-40);
        var answer = await JsonOf(await Api.Ingest().PostAsJsonAsync("/api/v1/events", new { eventId = Unique("visit"), behavior = "website.visit", leadId, occurredAt }));
        var result = answer.GetProperty("results")[0];
        Assert.Equal((3, 3), (result.GetProperty("points").GetInt32(), result.GetProperty("total").GetInt32()));
        Assert.Equal(
            ["rule 5", "decay -2"],
            result.GetProperty("entries").EnumerateArray().Select(e => $"{e.GetProperty("kind").GetString()} {e.GetProperty("points").GetInt32()}"));

        var entries = (await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads/{leadId}/score"))).GetProperty("entries").EnumerateArray().ToList();
        var rule = Assert.Single(entries, e => e.GetProperty("kind").GetString() == "rule");
        var faded = Assert.Single(entries, e => e.GetProperty("kind").GetString() == "decay");
        Assert.Equal(rule.GetProperty("id").GetInt64(), faded.GetProperty("decaysEntryId").GetInt64());
        Assert.Equal(3, rule.GetProperty("fading").GetProperty("today").GetInt32());
        Assert.Equal(0, rule.GetProperty("fading").GetProperty("upcoming")[0].GetProperty("kept").GetInt32());
    }
}
