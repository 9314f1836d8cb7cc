using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Web.Api;

/// <summary>
/// The prediction through the API (SPEC §13): training refused with what is missing, then trained from leads closed
/// through <c>PUT /api/v1/leads/{id}</c>, the model's measurements, rule insights, and an open lead's
/// conversionProbability refreshed after a retrain and after a new behavior.
/// </summary>
public sealed class PredictiveApiTests(ApiFactory api) : ApiTestBase(api), IAsyncLifetime
{
    public async Task InitializeAsync() => await Api.SetUpOnceAsync([Build.Rule("Form", "form.submit", 10), Build.Rule("Email open", "email.open", 1)]);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task From_too_few_closed_leads_to_a_live_model_whose_likelihoods_follow_the_leads()
    {
        var refused = await AssertProblem(await Api.Admin().PostAsync("/api/v1/predictive/train", null), HttpStatusCode.Conflict);
        var missing = refused.GetProperty("missing");
        Assert.Equal((40, 40), (missing.GetProperty("won").GetInt32(), missing.GetProperty("lost").GetInt32()));
        Assert.Contains("40 more won and 40 more lost are missing", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertProblem(await Api.Admin().GetAsync("/api/v1/predictive/model"), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.Ingest().PostAsync("/api/v1/predictive/train", null)).StatusCode);

        // 45 won leads that submitted forms in the days before they closed; 45 lost ones that only opened an email weeks before.
        var now = DateTime.UtcNow;
        for (var i = 0; i < 90; i++)
        {
            var won = i % 2 == 0;
            var id = await Api.CreateLeadAsync(new { name = Unique("closed"), email = $"{Unique("closed")}@example.com" });
            var keen = won == (i % 9 != 0);
            await SendAsync(id, keen ? [("form.submit", now.AddDays(-2)), ("form.submit", now.AddDays(-1))] : [("email.open", now.AddDays(-30))]);
            var closed = await Api.Admin().PutAsJsonAsync($"/api/v1/leads/{id}", new { status = won ? "converted" : "lost" });
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        }
        var open = await Api.CreateLeadAsync(new { name = Unique("open"), email = $"{Unique("open")}@example.com" });
        await SendAsync(open, [("email.open", now.AddDays(-20))]);

        var trained = await JsonOf(await Api.Admin().PostAsync("/api/v1/predictive/train", null));
        Assert.Equal(1, trained.GetProperty("version").GetInt32());
        Assert.InRange(trained.GetProperty("auc").GetDouble(), 0.7, 1.0);
        // The oldest 72 of the 90 closed leads trained it; the newest 18 measured it.
        var trainedOn = trained.GetProperty("trainedOn");
        Assert.Equal(72, trainedOn.GetProperty("won").GetInt32() + trainedOn.GetProperty("lost").GetInt32());
        Assert.True(trained.GetProperty("live").GetBoolean());

        var model = await JsonOf(await Api.Admin().GetAsync("/api/v1/predictive/model"));
        Assert.Equal(("live", 18), (model.GetProperty("status").GetString(), model.GetProperty("heldOut").GetProperty("won").GetInt32() + model.GetProperty("heldOut").GetProperty("lost").GetInt32()));
        Assert.Equal(19, model.GetProperty("thresholds").GetArrayLength());
        Assert.Equal(10, model.GetProperty("calibration").GetArrayLength());
        Assert.Equal(18, model.GetProperty("calibration").EnumerateArray().Sum(b => b.GetProperty("leads").GetInt32()));

        // Every open lead is predicted in the background after a model goes live.
        var quiet = await ProbabilityAsync(open, p => p is not null);
        Assert.InRange(quiet!.Value, 0.0, 1.0);
        // A closed lead never has one.
        Assert.Equal(JsonValueKind.Null, (await LeadAsync(await ClosedLeadAsync())).GetProperty("conversionProbability").ValueKind);

        // A lead's new behaviors refresh it within the minute: forms submitted look like the leads that were won.
        await SendAsync(open, [("form.submit", DateTime.UtcNow.AddMinutes(-10)), ("form.submit", DateTime.UtcNow.AddMinutes(-5))]);
        // The refresh looks every few seconds by itself; asked now, the test need not wait for its next look.
        Api.Get<BehaviorPoints.Core.Predictive.LikelihoodRefresh>().Request();
        var keenNow = await ProbabilityAsync(open, p => p > quiet);
        Assert.True(keenNow > quiet);

        var insights = await JsonOf(await Api.Admin().GetAsync("/api/v1/rule-insights"));
        var form = insights.EnumerateArray().Single(r => r.GetProperty("ruleName").GetString() == "Form");
        Assert.Equal(45, form.GetProperty("closedLeadsScored").GetInt32());
        Assert.True(form.GetProperty("lift").GetDouble() > 1);
        Assert.True(form.GetProperty("low").GetDouble() <= form.GetProperty("conversionRate").GetDouble());
        Assert.True(form.GetProperty("high").GetDouble() >= form.GetProperty("conversionRate").GetDouble());
        foreach (var field in new[] { "ruleName", "closedLeadsScored", "conversionRate", "conversionRateWithout", "lift", "low", "high" })
        {
            Assert.True(form.TryGetProperty(field, out _), field);
        }

        // A version made live again, and the refusals around it.
        await JsonOf(await Api.Admin().PostAsync("/api/v1/predictive/train", null));
        var reverted = await JsonOf(await Api.Admin().PostAsync("/api/v1/predictive/models/1/make-live", null));
        Assert.Equal(("live", 1), (reverted.GetProperty("status").GetString(), reverted.GetProperty("version").GetInt32()));
        await AssertProblem(await Api.Admin().PostAsync("/api/v1/predictive/models/1/make-live", null), HttpStatusCode.Conflict);
        await AssertProblem(await Api.Admin().PostAsync("/api/v1/predictive/models/99/make-live", null), HttpStatusCode.NotFound);
        Assert.Equal(["retired", "live"], (await JsonOf(await Api.Admin().GetAsync("/api/v1/predictive/models"))).EnumerateArray().Select(m => m.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task The_lead_list_sorts_and_filters_by_likelihood_and_refuses_one_outside_zero_to_one()
    {
        var problem = await AssertProblem(await Api.Admin().GetAsync("/api/v1/leads?minConversionProbability=1.5"), HttpStatusCode.BadRequest);
        Assert.Contains("minConversionProbability", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Api.Admin().GetAsync("/api/v1/leads?sort=conversion_probability_desc&minConversionProbability=0.2")).StatusCode);
    }

    private async Task SendAsync(long leadId, (string Behavior, DateTime At)[] events)
    {
        var response = await Api.Ingest().PostAsJsonAsync("/api/v1/events", new
        {
            events = events.Select(e => new { eventId = Unique("event"), behavior = e.Behavior, leadId, occurredAt = e.At }).ToArray(),
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonElement> LeadAsync(long id) => await JsonOf(await Api.Admin().GetAsync($"/api/v1/leads/{id}"));

    private async Task<long> ClosedLeadAsync()
    {
        var page = await JsonOf(await Api.Admin().GetAsync("/api/v1/leads?limit=200"));
        return page.GetProperty("leads").EnumerateArray().First(l => l.GetProperty("status").GetString() is "Converted" or "converted").GetProperty("id").GetInt64();
    }

    private async Task<double?> ProbabilityAsync(long id, Func<double?, bool> until)
    {
        double? probability = null;
        await Poll.UntilAsync(async () =>
        {
            var lead = await LeadAsync(id);
            probability = lead.GetProperty("conversionProbability") is { ValueKind: JsonValueKind.Number } p ? p.GetDouble() : null;
            return until(probability);
        }, "the lead's conversionProbability");
        return probability;
    }
}
