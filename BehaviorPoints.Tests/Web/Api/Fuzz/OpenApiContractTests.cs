using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Web.Api.Fuzz;

/// <summary>
/// The served OpenAPI document as a contract: it lints clean under Spectral's recommended OpenAPI rules (the version
/// pinned in tools/openapi-lint), it says what the endpoints enforce, and real answers fit the schemas it documents.
/// </summary>
public sealed class OpenApiContractTests(ApiFactory api) : ApiTestBase(api)
{
    private async Task<JsonObject> DocumentAsync() => JsonNode.Parse(await Api.Admin().GetStringAsync("/openapi/v1.json"))!.AsObject();

    [Fact]
    public async Task The_document_lints_clean_under_spectrals_recommended_openapi_rules()
    {
        var tools = Path.Combine(Repository.Root(), "tools", "openapi-lint");
        var spectral = Path.Combine(tools, "node_modules", ".bin", "spectral");
        Assert.True(File.Exists(spectral), $"The linter is not installed: run ./test.sh, or npm ci in {tools}.");
        var file = Path.Combine(Path.GetTempPath(), $"bp-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, (await DocumentAsync()).ToJsonString());
        try
        {
            var run = Process.Start(new ProcessStartInfo(spectral, ["lint", file, "--ruleset", Path.Combine(tools, ".spectral.yaml"), "--format", "json", "--fail-severity", "hint", "--quiet"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = tools,
            })!;
            var output = await run.StandardOutput.ReadToEndAsync();
            var errors = await run.StandardError.ReadToEndAsync();
            await run.WaitForExitAsync();

            var results = output.Trim().Length == 0 ? [] : JsonNode.Parse(output[output.IndexOf('[')..])!.AsArray();
            Assert.True(results.Count == 0, $"Spectral found {results.Count} problems: {string.Join("; ", results.Select(r => $"{r!["code"]} at {string.Join(".", r["path"]!.AsArray())}: {r["message"]}"))}");
            Assert.True(run.ExitCode == 0, $"Spectral exited with {run.ExitCode}: {errors}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Every_operation_has_an_id_a_description_and_its_refusals_and_integers_are_integers()
    {
        var document = await DocumentAsync();
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!.AsObject()))).ToList();

        Assert.Equal(operations.Count, operations.Select(o => o.Operation["operationId"]?.GetValue<string>()).OfType<string>().Distinct().Count());
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o.Operation["description"]?.GetValue<string>()), $"{o.Method} {o.Path} has no description"));
        Assert.All(operations, o =>
        {
            var responses = o.Operation["responses"]!.AsObject();
            Assert.True(responses.ContainsKey("401") && responses.ContainsKey("403") && responses.ContainsKey("429"), $"{o.Method} {o.Path}: {string.Join(",", responses.Select(r => r.Key))}");
            if (o.Operation.ContainsKey("requestBody"))
            {
                Assert.True(responses.ContainsKey("400") && responses.ContainsKey("413") && responses.ContainsKey("415"), $"{o.Method} {o.Path}");
            }
        });
        Assert.True(operations.Single(o => o.Path.EndsWith("/publish", StringComparison.Ordinal)).Operation["responses"]!.AsObject().ContainsKey("409"));
        Assert.DoesNotContain("\"integer\",\"string\"", document.ToJsonString());
        Assert.Equal("/", document["servers"]![0]!["url"]!.GetValue<string>());

        var list = operations.Single(o => o.Path == "/api/v1/leads" && o.Method == "get").Operation["parameters"]!.AsArray();
        JsonNode Schema(string name) => list.Single(p => p!["name"]!.GetValue<string>() == name)!["schema"]!;
        Assert.Equal(["score_desc", "score_asc", "name_asc", "created_desc", "last_activity_desc", "category_score_desc"], Schema("sort")["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("1", Schema("limit")["minimum"]!.ToString());
        Assert.Equal("500", Schema("limit")["maximum"]!.ToString());
        Assert.Equal("0", Schema("offset")["minimum"]!.ToString());

        var schemas = document["components"]!["schemas"]!;
        Assert.Equal(["name"], schemas["LeadInput"]!["required"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["eventId", "behavior"], schemas["EventRequest"]!["required"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(2, schemas["EventRequest"]!["anyOf"]!.AsArray().Count);
    }

    [Fact]
    public async Task Real_answers_fit_the_schemas_the_document_gives_them()
    {
        await Api.SetUpOnceAsync([Build.Rule("Form", "form.submit", 10)]);
        var document = await DocumentAsync();
        var leadId = await Api.CreateLeadAsync(new { name = "Contract", email = $"contract.{Guid.NewGuid():N}@example.com" });
        var admin = Api.Admin();
        var calls = new (string Method, string Path, string Template, HttpResponseMessage Response)[]
        {
            ("post", "", "/api/v1/leads", await admin.PostAsJsonAsync("/api/v1/leads", new { name = "Contract two", team = "Contract" })),
            ("get", "", "/api/v1/leads/{id}", await admin.GetAsync($"/api/v1/leads/{leadId}")),
            ("get", "", "/api/v1/leads", await admin.GetAsync("/api/v1/leads?limit=5")),
            ("post", "", "/api/v1/events", await Api.Ingest().PostAsJsonAsync("/api/v1/events", new { events = new object[] { new { eventId = Unique("contract"), behavior = "form.submit", leadId }, new { eventId = 5 } } })),
            ("get", "", "/api/v1/leads/{id}/score", await admin.GetAsync($"/api/v1/leads/{leadId}/score")),
            ("post", "", "/api/v1/leads/{id}/adjustments", await admin.PostAsJsonAsync($"/api/v1/leads/{leadId}/adjustments", new { points = 3, reason = "Contract check" })),
            ("get", "", "/api/v1/rule-set", await admin.GetAsync("/api/v1/rule-set")),
            ("get", "", "/api/v1/rule-set/versions", await admin.GetAsync("/api/v1/rule-set/versions")),
            ("get", "", "/api/v1/rule-set/versions/{version}", await admin.GetAsync("/api/v1/rule-set/versions/1")),
            ("get", "", "/api/v1/behavior-types", await admin.GetAsync("/api/v1/behavior-types")),
            ("post", "", "/api/v1/leads", await admin.PostAsJsonAsync("/api/v1/leads", new { name = "" })),
            ("get", "", "/api/v1/leads/{id}", await admin.GetAsync("/api/v1/leads/999999999")),
            ("get", "", "/api/v1/leads", await Api.ClientWithKey(null).GetAsync("/api/v1/leads")),
            ("get", "", "/api/v1/leads", await Api.Ingest().GetAsync("/api/v1/leads")),
            ("post", "", "/api/v1/leads", await admin.PostAsync("/api/v1/leads", new StringContent("name=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"))),
        };

        foreach (var (method, _, template, response) in calls)
        {
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var documented = document["paths"]![template]![method]!["responses"]![status];
            Assert.True(documented is not null, $"{method} {template} answered {status}, which the document does not list");
            var mediaType = response.Content.Headers.ContentType?.MediaType!;
            var schema = documented!["content"]?[mediaType]?["schema"] as JsonObject;
            Assert.True(schema is not null, $"{method} {template} {status}: the document has no schema for {mediaType}");
            var problems = SchemaCheck.Problems(JsonNode.Parse(await response.Content.ReadAsStringAsync()), ApiOperations.Resolve(document, schema!));
            Assert.True(problems.Count == 0, $"{method} {template} {status}: {string.Join("; ", problems)}");
        }
    }
}
