using BehaviorPoints.Core.Tracking;
using Microsoft.Extensions.DependencyInjection;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Predictive;
using BehaviorPoints.Core.Webhooks;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BehaviorPoints.Tests.Support;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace BehaviorPoints.Tests.Web.Api.Fuzz;

/// <summary>
/// Requests generated from the OpenAPI document the app serves: for every operation a valid body, then one field at a
/// time mutated (wrong type, missing, null, empty, huge, negative, lone surrogates, NUL and control characters, bytes
/// that are not UTF-8, odd Unicode, a key twice, a field too many, an array for an object), and every parameter given
/// hostile values. The properties: never 5xx; every refusal is problem details naming the field or parameter; a refusal
/// changes nothing in the database (every row of every table, hashed, with the app's background jobs stopped so that
/// only the request can change it); an accepted odd, huge or negative value reads back as sent (texts trimmed); in a batch,
/// every event is answered on its own and the valid ones are stored.
/// The cases come from CsCheck generators with a fixed seed (<c>BP_FUZZ_SEED</c>); <c>BP_FUZZ_CASES</c> runs more.
/// </summary>
public sealed class OpenApiFuzzTests(QuietApiFactory api, ITestOutputHelper output) : ApiTestBase<QuietApiFactory>(api), IAsyncLifetime
{
    private static readonly ulong s_seed = ulong.TryParse(Environment.GetEnvironmentVariable("BP_FUZZ_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : 20261130;
    private static readonly int s_scale = int.TryParse(Environment.GetEnvironmentVariable("BP_FUZZ_CASES"), CultureInfo.InvariantCulture, out var cases) ? cases : 0;

    private IReadOnlyList<ApiOperation> _operations = [];
    private ValidRequests _valid = null!;

    public async Task InitializeAsync()
    {
        await Api.SetUpOnceAsync([Build.Rule("Form", "form.submit", 10)]);
        var leadId = await Api.CreateLeadAsync(new { name = "Fuzz target", email = $"fuzz.target.{Guid.NewGuid():N}@example.com" });
        var (siteId, visitorId) = await HeldVisitorAsync();
        _valid = new ValidRequests(leadId, await OpenTaskAsync(leadId), await NewWebhookAsync(), siteId, visitorId);
        await TrainTwiceAsync();
        var document = JsonNode.Parse(await Api.Admin().GetStringAsync("/openapi/v1.json"))!.AsObject();
        _operations = ApiOperations.Read(document);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void The_document_lists_every_operation_of_the_api()
    {
        var listed = _operations.Select(o => $"{o.Method} {o.Path}").ToHashSet();
        Assert.Equal(44, listed.Count);
        Assert.Contains("POST /api/v1/events", listed);
        Assert.Contains("POST /api/v1/leads/{id}/adjustments", listed);
        Assert.Contains("POST /api/v1/predictive/train", listed);
        Assert.Contains("GET /api/v1/rule-insights", listed);
        // Publishing, training, making a model live, releasing a visitor and making a site new keys act on what is stored: they take no body.
        string[] bodiless = ["/publish", "/train", "/make-live", "/release", "/rotate-key", "/identify-secret"];
        Assert.All(_operations.Where(o => o.Method is "POST" or "PUT" && !bodiless.Any(b => o.Path.EndsWith(b, StringComparison.Ordinal))), o => Assert.NotNull(o.Body));
    }

    [Fact]
    public async Task Valid_requests_of_every_operation_succeed()
    {
        foreach (var operation in _operations)
        {
            var body = operation.Body is { } schema ? Encoding.UTF8.GetBytes(_valid.Body(schema).ToJsonString()) : null;
            var (status, text, _, _) = await SendAsync(operation, ValidQuery(operation), body);
            Assert.True(status is >= 200 and < 300, $"{operation} answered {status} to a valid request: {text}");
        }
    }

    [Fact]
    public async Task Mutated_bodies_never_answer_5xx_and_each_refusal_names_the_field_and_changes_nothing()
    {
        var withBodies = _operations.Where(o => o.Body is not null).ToList();
        await RunAsync(ValidRequests.Cases(withBodies.Count), 600, async choice =>
        {
            var operation = withBodies[choice.Operation];
            var valid = _valid.Body(operation.Body!);
            var targets = JsonPathTo.All(valid);
            var target = targets[choice.Target % targets.Count];
            var body = Mutation.Write(valid, target, choice.Kind, Mutation.OddTexts[choice.Odd]);
            var description = $"{operation}, {choice.Kind} at {target}, body {Show(body)}";

            var before = await FingerprintAsync();
            var (status, text, path, location) = await SendAsync(operation, ValidQuery(operation), body);
            await CheckAnswerAsync(description, operation.Method, status, text, choice.Kind is MutationKind.ExtraField ? null : target.Names, before);
            if (operation.Path == "/api/v1/events" && status == 200)
            {
                AssertEveryEventAnswered(description, body, text);
            }
            // An empty text may stand for a documented default (a behavior type's label is its code), so it is left out.
            if (status is >= 200 and < 300 && choice.Kind is MutationKind.OddUnicode or MutationKind.Huge or MutationKind.Negative)
            {
                await AssertReadsBackAsSentAsync(description, operation, body, target, text, path, location);
            }
        });
    }

    [Fact]
    public async Task In_a_batch_with_one_mutated_event_every_event_is_answered_and_the_valid_ones_are_stored()
    {
        var eventSchema = ApiOperations.ObjectSchema(_operations.Single(o => o.Path == "/api/v1/events").Body!)!["properties"]!["events"]!["items"]!.AsObject();
        Assert.NotNull(eventSchema["properties"]);
        await RunAsync(ValidRequests.Cases(1), 250, async choice =>
        {
            var events = new JsonArray([.. Enumerable.Range(0, 4).Select(_ => _valid.ValidEvent())]);
            var poisoned = choice.Position % events.Count;
            var batch = new JsonObject { ["events"] = events };
            var targets = JsonPathTo.All(events[poisoned]).Select(p => new JsonPathTo([(object)"events", poisoned, .. p.Segments])).ToList();
            var target = targets[choice.Target % targets.Count];
            var body = Mutation.Write(batch, target, choice.Kind, Mutation.OddTexts[choice.Odd]);
            var description = $"{choice.Kind} at {target}, body {Show(body)}";

            var before = await FingerprintAsync();
            var (status, text, _, _) = await SendAsync(_operations.Single(o => o.Path == "/api/v1/events"), "", body);
            await CheckAnswerAsync(description, "POST", status, text, target.Names, before);
            if (status != 200)
            {
                // Refusing the whole batch is only right for a body that is not JSON at all.
                Assert.True(!System.Text.Unicode.Utf8.IsValid(body), $"{description} was refused whole ({status}: {text}); a bad event must be rejected alone.");
                return;
            }
            var results = JsonNode.Parse(text)!["results"]!.AsArray();
            Assert.True(results.Count == events.Count, $"{description}: {results.Count} results for {events.Count} events");
            var validIds = Enumerable.Range(0, events.Count).Where(i => i != poisoned).Select(i => events[i]!["eventId"]!.GetValue<string>()).ToList();
            for (var i = 0; i < events.Count; i++)
            {
                if (i != poisoned)
                {
                    Assert.True(results[i]!["status"]!.GetValue<string>() is "scored" or "no_match", $"{description}: valid event {i} answered {results[i]!.ToJsonString()}");
                }
            }
            await using var db = await Api.NewContextAsync();
            Assert.Equal(validIds.Count, await db.Behaviors.CountAsync(b => validIds.Contains(b.EventId)));
        });
    }

    [Fact]
    public async Task Hostile_parameters_never_answer_5xx_and_each_refusal_names_the_parameter_and_changes_nothing()
    {
        var parameters = _operations.SelectMany(o => o.Parameters.Select(p => (Operation: o, Parameter: p))).ToList();
        Assert.NotEmpty(parameters);
        var gen = Gen.Select(Gen.Int[0, parameters.Count - 1], Gen.Int[0, ValidRequests.HostileParameterValues.Length - 1], Gen.Bool);
        await RunAsync(gen, 500, async choice =>
        {
            var (operation, parameter) = parameters[choice.Item1];
            var hostile = ValidRequests.HostileParameterValues[choice.Item2];
            if (parameter.In == "path" && hostile.Contains("%00", StringComparison.Ordinal))
            {
                hostile = "%01"; // The in-memory server refuses a NUL in the path before the app sees it, as Kestrel does.
            }
            // Sometimes the parameter twice, the hostile value second.
            var query = string.Join("&", operation.Parameters.Where(p => p.In == "query" && (p.Name != "before" || p == parameter)).SelectMany(p => p == parameter
                ? (choice.Item3 && _valid.Parameter(p) is { } valid ? [$"{p.Name}={valid}", $"{p.Name}={hostile}"] : new[] { $"{p.Name}={hostile}" })
                : _valid.Parameter(p) is { } value ? [$"{p.Name}={Uri.EscapeDataString(value)}"] : []));
            var pathValue = parameter.In == "path" ? hostile : null;
            var description = $"{operation}, {parameter.Name} = '{Shorten(hostile)}'{(choice.Item3 ? " (twice)" : "")}";
            var body = operation.Body is { } schema ? Encoding.UTF8.GetBytes(_valid.Body(schema).ToJsonString()) : null;

            var before = await FingerprintAsync();
            var (status, text, _, _) = await SendAsync(operation, query, body, pathValue is null ? null : (parameter.Name, pathValue));
            // A path parameter that is not a number is a URL that names nothing (404); a query parameter is named.
            await CheckAnswerAsync(description, operation.Method, status, text, parameter.In == "query" ? [parameter.Name] : null, before);
        });
    }

    private async Task RunAsync<T>(Gen<T> gen, int cases, Func<T, Task> check)
    {
        var count = s_scale > 0 ? s_scale : cases;
        for (var i = 0; i < count; i++)
        {
            var pcg = new PCG(1, s_seed + (ulong)i);
            var choice = gen.Generate(pcg, null, out _);
            try
            {
                await check(choice);
            }
            catch (Exception)
            {
                output.WriteLine($"Case {i} of seed {s_seed} failed (BP_FUZZ_SEED={s_seed + (ulong)i} BP_FUZZ_CASES=1 repeats it): {choice}");
                throw;
            }
        }
        output.WriteLine($"{count} cases from seed {s_seed} passed.");
    }

    private async Task CheckAnswerAsync(string description, string method, int status, string text, IReadOnlyList<string>? names, DatabaseFingerprint before)
    {
        Assert.True(status < 500, $"{description} answered {status}: {text}");
        if (status < 400)
        {
            // What an accepted write stored is no longer what was known; a read leaves it as it was.
            _known = method == "GET" ? before : null;
            return;
        }
        Assert.True(IsProblem(text, status), $"{description} answered {status} without problem details: {text}");
        if (status == 400 && names is { Count: > 0 })
        {
            Assert.True(names.Any(name => text.Contains(name, StringComparison.OrdinalIgnoreCase)), $"{description} answered 400 without naming '{names[0]}': {text}");
        }
        _known = null;
        var after = await FingerprintAsync();
        var changed = after.ChangedSince(before);
        Assert.True(changed.Count == 0, $"{description} was refused ({status}) but changed the database ({string.Join(", ", changed)}): {text}");
    }

    /// <summary>
    /// An accepted value is stored as sent: where the answer, the resource read again (a PUT's GET, a creation's
    /// Location) or both hold the mutated place, it holds the value sent, trimmed (the API trims texts).
    /// </summary>
    private async Task AssertReadsBackAsSentAsync(string description, ApiOperation operation, byte[] body, JsonPathTo target, string text, string path, string? location)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body) || At(JsonNode.Parse(body), target) is not JsonValue sent)
        {
            return;
        }
        var readings = new List<(string Where, JsonNode? Json)> { ("the answer", ParseOrNull(text)) };
        if (operation.Method == "PUT" && _operations.Any(o => o.Method == "GET" && o.Path == operation.Path))
        {
            readings.Add(($"GET {path}", await ReadAsync(path)));
        }
        if (location is not null)
        {
            readings.Add(($"GET {location}", await ReadAsync(location)));
        }
        foreach (var (where, json) in readings)
        {
            if (At(json, target) is JsonValue stored)
            {
                Assert.True(Same(sent, stored), $"{description} was accepted, but {where} holds {Shorten(stored.ToJsonString())} at {target}");
            }
        }
    }

    private async Task<JsonNode?> ReadAsync(string path)
    {
        var response = await Api.Admin().GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} after the request was accepted answered {(int)response.StatusCode}: {text}");
        return ParseOrNull(text);
    }

    private static JsonNode? ParseOrNull(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonNode? At(JsonNode? node, JsonPathTo path)
    {
        foreach (var segment in path.Segments)
        {
            node = (node, segment) switch
            {
                (JsonObject o, string name) => o[name],
                (JsonArray a, int i) when i < a.Count => a[i],
                _ => null,
            };
        }
        return node;
    }

    private static bool Same(JsonValue sent, JsonValue stored) => (sent.GetValueKind(), stored.GetValueKind()) switch
    {
        (JsonValueKind.String, JsonValueKind.String) => sent.GetValue<string>().Trim() == stored.GetValue<string>().Trim(),
        (JsonValueKind.Number, JsonValueKind.Number) => decimal.Parse(sent.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) == decimal.Parse(stored.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => sent.ToJsonString() == stored.ToJsonString(),
    };

    private static bool IsProblem(string text, int status)
    {
        try
        {
            var problem = JsonNode.Parse(text);
            return problem?["status"]?.GetValue<int>() == status && problem["title"] is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void AssertEveryEventAnswered(string description, byte[] body, string text)
    {
        using var sent = JsonDocument.Parse(body);
        var expected = sent.RootElement.ValueKind == JsonValueKind.Object && sent.RootElement.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array
            ? events.GetArrayLength()
            : 1;
        Assert.True(JsonNode.Parse(text)!["results"]!.AsArray().Count == expected, $"{description}: not every event was answered: {text}");
    }

    // An open follow-up task on the lead, for the complete operation (the first valid completion closes it; later ones are refused with 409).
    private async Task<long> OpenTaskAsync(long leadId)
    {
        await using var db = await Api.NewContextAsync();
        if (!await db.Users.AnyAsync(u => u.Email == "fuzz.rep@example.com"))
        {
            await using var scope = Api.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync("fuzz.rep@example.com", "User!Pass1", Roles.Sales, ["Fuzz"]);
        }
        var rep = await db.Users.Where(u => u.Email == "fuzz.rep@example.com").Select(u => u.Id).SingleAsync();
        var task = new FollowUpTask { LeadId = leadId, AssigneeId = rep, CreatedAt = DateTime.UtcNow, DueAt = DateTime.UtcNow.AddDays(30), ReclaimAt = DateTime.UtcNow.AddDays(31), DueAfterMinutes = 60, TriggeredAt = DateTime.UtcNow };
        db.FollowUpTasks.Add(task);
        await db.SaveChangesAsync();
        return task.Id;
    }

    // A disabled webhook endpoint (it is sent nothing) for the operations on one endpoint.
    /// <summary>
    /// Closed leads enough to train on (won ones mostly in Finance, lost ones in Retail), and two models trained, so
    /// training is a valid request and an earlier version can be made live.
    /// </summary>
    private async Task TrainTwiceAsync()
    {
        var leads = Api.Get<LeadCommands>();
        for (var i = 0; i < 2 * ConversionTrainer.MinimumEach + 10; i++)
        {
            var won = i % 2 == 0;
            await leads.CreateAsync(new LeadInput
            {
                Name = $"Closed {i}",
                Status = won ? LeadStatus.Converted : LeadStatus.Lost,
                Industry = (won ? i % 10 != 0 : i % 10 == 1) ? "Finance" : "Retail",
            }, LeadAccess.All);
        }
        await Api.Get<ConversionModels>().TrainAsync("fuzz");
        await Api.Get<ConversionModels>().TrainAsync("fuzz");
    }

    /// <summary>The newest stored model version that is not live: one that can be made live.</summary>
    private async Task<int> NotLiveVersionAsync() =>
        (await Api.Get<ConversionModels>().VersionsAsync()).First(v => v.Status != ConversionModelStatus.Live).Version;

    private async Task<int> NewWebhookAsync()
    {
        var webhooks = Api.Get<WebhookEndpoints>();
        var created = await webhooks.CreateAsync(new WebhookEndpointInput(ValidRequests.WebhookUrl, [LeadCreated.TypeName]), "fuzz");
        await webhooks.SetEnabledAsync(created.Endpoint.Id, false);
        return created.Endpoint.Id;
    }

    private async Task<int> NewSiteAsync() =>
        (await Api.Get<SiteService>().CreateAsync(new SiteInput { Name = $"Fuzz site {Guid.NewGuid():N}", Origins = ["https://fuzz.example.com"] })).Site.Id;

    // A site with one visitor, held back (a webdriver browser), so releasing it has something to do.
    private async Task<(int SiteId, string VisitorId)> HeldVisitorAsync()
    {
        var site = (await Api.Get<SiteService>().CreateAsync(new SiteInput { Name = $"Fuzz site {Guid.NewGuid():N}", Origins = ["https://fuzz.example.com"] })).Site;
        var visitorId = Guid.NewGuid().ToString("N");
        var body = JsonSerializer.SerializeToElement(new
        {
            key = site.PublishableKey,
            visitorId,
            webdriver = true,
            events = new[] { new { id = visitorId + "-1", behavior = "website.visit", attributes = new { url = "https://fuzz.example.com/" } } },
        });
        await Api.Get<Collector>().CollectAsync(body, new CollectContext("https://fuzz.example.com", "Mozilla/5.0", false));
        return (site.Id, visitorId);
    }

    private string ValidQuery(ApiOperation operation) =>
        string.Join("&", operation.Parameters.Where(p => p.In == "query" && p.Name != "before" && _valid.Parameter(p) is not null)
            .Select(p => $"{p.Name}={Uri.EscapeDataString(_valid.Parameter(p)!)}"));

    // The answer's status and text, the path the request went to, and the Location a creation answered with.
    private async Task<(int Status, string Text, string Path, string? Location)> SendAsync(ApiOperation operation, string query, byte[]? body, (string Name, string Value)? pathOverride = null)
    {
        var path = operation.Path;
        foreach (var parameter in operation.Parameters.Where(p => p.In == "path"))
        {
            var webhook = operation.Path.StartsWith("/api/v1/webhooks/", StringComparison.Ordinal) && parameter.Name == "id";
            var site = operation.Path.StartsWith("/api/v1/sites/", StringComparison.Ordinal) && parameter.Name == "id";
            var value = pathOverride is { } o && o.Name == parameter.Name ? o.Value
                : operation.Path.StartsWith("/api/v1/tasks/", StringComparison.Ordinal) && parameter.Name == "id" ? _valid.TaskId.ToString(CultureInfo.InvariantCulture)
                // A delete takes an endpoint of its own, so the other operations keep theirs.
                : webhook && operation.Method == "DELETE" ? (await NewWebhookAsync()).ToString(CultureInfo.InvariantCulture)
                : webhook ? _valid.WebhookId.ToString(CultureInfo.InvariantCulture)
                : site && operation.Method == "DELETE" ? (await NewSiteAsync()).ToString(CultureInfo.InvariantCulture)
                : site ? _valid.SiteId.ToString(CultureInfo.InvariantCulture)
                : operation.Path.EndsWith("/make-live", StringComparison.Ordinal) && parameter.Name == "version" ? (await NotLiveVersionAsync()).ToString(CultureInfo.InvariantCulture)
                : Uri.EscapeDataString(_valid.Parameter(parameter)!);
            path = path.Replace("{" + parameter.Name + "}", value, StringComparison.Ordinal);
        }
        var request = new HttpRequestMessage(new HttpMethod(operation.Method), new Uri(path + (query.Length > 0 ? "?" + query : ""), UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        var client = Api.ClientWithKey(operation.AdminOnly ? Api.AdminKey : Api.IngestKey);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text, path, response.Headers.Location?.OriginalString);
    }

    // The database as the last refusal or read left it (nothing else writes: the background jobs are stopped), so a run
    // of refusals hashes it once per case rather than twice.
    private DatabaseFingerprint? _known;

    private async Task<DatabaseFingerprint> FingerprintAsync()
    {
        if (_known is { } known)
        {
            return known;
        }
        await using var db = await Api.NewContextAsync();
        return _known = await DatabaseFingerprint.OfAsync(db, QuietApiFactory.MarkedWhenUsed);
    }

    private static string Show(byte[] body) => Shorten(Encoding.UTF8.GetString(body));

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + $"… ({text.Length} characters)";
}
