using System.Net;
using System.Text;
using BehaviorPoints.Tests.Support;

namespace BehaviorPoints.Tests.Web.Api;

/// <summary>
/// Input that tries to break the API: each case gets a clear 4xx (or a per-event rejection), the server stays healthy,
/// and nothing else in the database changes (every row of every table, with the app's background jobs stopped).
/// </summary>
public sealed class HostileInputTests(QuietApiFactory api) : ApiTestBase<QuietApiFactory>(api)
{
    private static string Deep(int depth) => new string('[', depth) + new string(']', depth);
    private static readonly string s_script = "<script>alert('x')</script>";
    private static readonly string s_sql = "'; DROP TABLE Leads; --";

    /// <summary>method, path, key ("ingest", "admin" or ""), body, expected status, a phrase the answer must contain.</summary>
    public static TheoryData<string, string, string, string, int, string> Cases => new()
    {
        // Bodies that are not what the endpoint reads.
        { "POST", "/api/v1/events", "ingest", "{not json", 400, "not valid JSON" },
        { "POST", "/api/v1/events", "ingest", "", 400, "needs a JSON body" },
        { "POST", "/api/v1/events", "ingest", "null", 400, "Send one event object" },
        { "POST", "/api/v1/events", "ingest", "42", 400, "Send one event object" },
        { "POST", "/api/v1/events", "ingest", "\"text\"", 400, "Send one event object" },
        { "POST", "/api/v1/events", "ingest", "{\"events\": 5}", 400, "must be an array" },
        { "POST", "/api/v1/events", "ingest", "{\"events\": [" + string.Join(",", Enumerable.Repeat("{}", 1001)) + "]}", 413, "at most 1000 events" },
        { "POST", "/api/v1/events", "ingest", "{\"a\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", 413, "1 MiB" },
        { "POST", "/api/v1/events", "ingest", "{\"events\":" + Deep(200) + "}", 400, "not valid JSON" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"a\",\"behavior\":\"form.submit\",\"leadId\":1,\"attributes\":{\"a\":" + Deep(100) + "}}", 400, "not valid JSON" },
        // Events whose fields are wrong: rejected alone, with the reason.
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":123,\"behavior\":\"form.submit\",\"leadId\":1}", 200, "eventId must be a string" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h1\",\"behavior\":\"" + s_script + "\",\"leadId\":1}", 200, "is not a known behavior type" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h2\",\"behavior\":\"" + s_sql + "\",\"leadId\":1}", 200, "is not a known behavior type" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h3\",\"behavior\":\"form.submit\",\"occurredAt\":\"2026-13-45T99:00:00Z\",\"leadId\":1}", 200, "occurredAt must be an ISO 8601" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h4\",\"behavior\":\"form.submit\",\"occurredAt\":\"9999-12-31T00:00:00Z\",\"leadId\":1}", 200, "more than one day in the future" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h5\",\"behavior\":\"form.submit\",\"occurredAt\":12345,\"leadId\":1}", 200, "occurredAt must be an ISO 8601" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h6\",\"behavior\":\"form.submit\",\"leadId\":-5}", 200, "leadId must be a positive whole number" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h7\",\"behavior\":\"form.submit\",\"leadId\":1.5}", 200, "leadId must be a positive whole number" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h8\",\"behavior\":\"form.submit\",\"leadId\":99999999999999999999}", 200, "leadId must be a positive whole number" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h9\",\"behavior\":\"form.submit\",\"contact\":\"me\"}", 200, "contact must be an object" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h10\",\"behavior\":\"form.submit\",\"contact\":{\"email\":\"a\\u0000b@example.com\"}}", 200, "must not contain control characters" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h11\\u0007\",\"behavior\":\"form.submit\",\"leadId\":1}", 200, "eventId must not contain control characters" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h12\",\"behavior\":\"form.submit\",\"leadId\":1,\"attributes\":[1,2]}", 200, "attributes must be an object" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h13\",\"behavior\":\"form.submit\",\"leadId\":1,\"attributes\":{\"x\":[1]}}", 200, "must be text, a number or true/false" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h14\",\"behavior\":\"form.submit\",\"leadId\":1,\"attributes\":{\"Plan\":\"a\",\"plan\":\"b\"}}", 200, "appears more than once" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"\",\"behavior\":\"form.submit\",\"leadId\":1}", 200, "eventId must be 1 to 128 characters" },
        { "POST", "/api/v1/events", "ingest", "{\"eventId\":\"h15\",\"behavior\":\"form.submit\",\"contact\":{\"email\":\"" + new string('e', 400) + "@x.com\"}}", 200, "the limit is 320" },
        // Leads: wrong types, huge and hostile text.
        { "POST", "/api/v1/leads", "admin", "{\"name\": 5}", 400, "At $.name" },
        { "POST", "/api/v1/leads", "admin", "{\"name\": \"" + new string('n', 5000) + "\"}", 400, "the limit is 200" },
        { "POST", "/api/v1/leads", "admin", "{\"name\": \"ok\", \"status\": 99}", 400, "At $.status" },
        { "POST", "/api/v1/leads", "admin", "{\"name\": \"ok\", \"status\": \"Won\"}", 400, "At $.status" },
        { "POST", "/api/v1/leads/1/adjustments", "admin", "{\"points\": \"5\", \"reason\": \"as text\"}", 400, "At $.points" },
        { "POST", "/api/v1/leads", "admin", "{\"name\": \"ok\", \"email\": \"" + s_sql + "\"}", 400, "is not an email address" },
        { "POST", "/api/v1/leads", "admin", "{\"name\": \"bad\\u0001name\"}", 400, "must not contain control characters" },
        { "POST", "/api/v1/leads", "admin", "[]", 400, "Send a JSON object." },
        { "PUT", "/api/v1/leads/abc", "admin", "{}", 404, "\"title\":\"Not Found\"" },
        { "PUT", "/api/v1/leads/999999999", "admin", "{\"name\":\"x\"}", 404, "There is no lead" },
        { "GET", "/api/v1/leads?limit=-1", "admin", "", 400, "limit must be 1 to 500" },
        { "GET", "/api/v1/leads?minScore=abc", "admin", "", 400, "minScore must be a single valid value" },
        { "GET", "/api/v1/leads?sort=" + Uri.EscapeDataString(s_sql), "admin", "", 400, "is not one of" },
        { "GET", "/api/v1/leads/1/score?before=notanumber", "admin", "", 400, "before must be an entry id" },
        // Rule sets: wrong shapes and values.
        { "PUT", "/api/v1/rule-set", "admin", "{\"name\":\"X\",\"apiName\":\"x__c\",\"rules\":[{\"name\":\"R\",\"behavior\":\"form.submit\",\"points\":1e10}]}", 400, "At $.rules[0].points" },
        { "PUT", "/api/v1/rule-set", "admin", "{\"name\":\"" + s_script + "\",\"apiName\":\"" + s_sql + "\",\"rules\":[]}", 400, "API name" },
        { "PUT", "/api/v1/rule-set", "admin", "{\"name\":\"X\",\"apiName\":\"x__c\",\"rules\":[{\"name\":\"R\",\"behavior\":\"form.submit\",\"points\":1,\"conditions\":[{\"attribute\":\"a\",\"operator\":\"gt\",\"value\":\"lots\"}]}]}", 400, "must be a number" },
        { "PUT", "/api/v1/rule-set", "admin", "{\"name\":\"X\",\"apiName\":\"x__c\",\"rules\":[" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $"{{\"name\":\"R{i}\",\"behavior\":\"form.submit\",\"points\":1}}")) + "]}", 400, "at most 1000 rules" },
        { "POST", "/api/v1/behavior-types", "admin", "{\"code\":\"" + s_script + "\"}", 400, "lower-case letters" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_input_gets_a_clear_answer_and_changes_nothing_else(string method, string path, string key, string body, int status, string phrase)
    {
        var before = await SnapshotAsync();
        var client = Api.ClientWithKey(key switch { "ingest" => Api.IngestKey, "admin" => Api.AdminKey, _ => null });
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        if (status == 200)
        {
            Assert.Contains("\"status\":\"rejected\"", text);
        }
        Assert.Contains(phrase, text);
        Assert.Equal(HttpStatusCode.OK, (await Api.ClientWithKey(null).GetAsync("/healthz")).StatusCode);
        Assert.Empty((await SnapshotAsync()).ChangedSince(before));
    }

    private async Task<DatabaseFingerprint> SnapshotAsync()
    {
        await using var db = await Api.NewContextAsync();
        return await DatabaseFingerprint.OfAsync(db, QuietApiFactory.MarkedWhenUsed);
    }
}
