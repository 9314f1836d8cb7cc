using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using BehaviorPoints.Core.Tracking;
using BehaviorPoints.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Tests.Web.Api;

/// <summary>
/// <c>POST /collect</c> and <c>GET /t.js</c> over HTTP (SPEC §16): CORS answers the key's allowed origins only, refusals
/// are 403 problem details that store nothing, Do Not Track is honoured, a flood is answered 429 with Retry-After, and the
/// script is served the same to every site, cacheable and gzipped.
/// </summary>
public sealed class CollectorApiTests(ApiFactory api) : ApiTestBase(api), IAsyncLifetime
{
    private const string Origin = "https://www.collector.example";
    private SiteView _site = null!;

    public async Task InitializeAsync()
    {
        await Api.SetUpOnceAsync([Build.Rule("Form", "form.submit", 10)]);
        _site = (await Api.Get<SiteService>().CreateAsync(new SiteInput { Name = Unique("Collector site"), Origins = [Origin] })).Site;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_allowed_origin_gets_202_and_its_own_origin_back_never_a_wildcard()
    {
        var visitor = NewVisitor();
        var response = await PostAsync(Body(_site.PublishableKey, visitor, 2), Origin);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(Origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Origin", response.Headers.Vary);
        Assert.Equal(2, (await JsonOf(response)).GetProperty("accepted").GetInt32());
        Assert.Equal(2, await StoredAsync(visitor));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData(null)]
    public async Task Another_origin_or_none_is_refused_with_403_and_no_cors_answer_and_nothing_stored(string? origin)
    {
        var visitor = NewVisitor();
        var response = await PostAsync(Body(_site.PublishableKey, visitor, 1), origin);

        var problem = await AssertProblem(response, HttpStatusCode.Forbidden);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Contains(origin is null ? "no origin" : "not one of the site's allowed origins", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await StoredAsync(visitor));
    }

    [Fact]
    public async Task An_unknown_key_is_refused_and_a_rotated_one_stops_at_once()
    {
        var site = (await Api.Get<SiteService>().CreateAsync(new SiteInput { Name = Unique("Rotated site"), Origins = [Origin] })).Site;
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(Body(site.PublishableKey, NewVisitor(), 1), Origin)).StatusCode);
        await Api.Get<SiteService>().RotateKeyAsync(site.Id);

        await AssertProblem(await PostAsync(Body(site.PublishableKey, NewVisitor(), 1), Origin), HttpStatusCode.Forbidden);
        await AssertProblem(await PostAsync(Body("pk_made_up", NewVisitor(), 1), Origin), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_answered_and_cached_others_are_refused()
    {
        var allowed = await SendPreflightAsync(Origin);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(Origin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("86400", allowed.Headers.GetValues("Access-Control-Max-Age").Single());

        var refused = await SendPreflightAsync("https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("DNT")]
    [InlineData("Sec-GPC")]
    public async Task A_browser_asking_not_to_be_tracked_is_answered_202_and_nothing_is_stored(string header)
    {
        var visitor = NewVisitor();
        var request = Request(Body(_site.PublishableKey, visitor, 1), Origin);
        request.Headers.Add(header, "1");

        var response = await Api.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(0, (await JsonOf(response)).GetProperty("accepted").GetInt32());
        Assert.Equal(0, await StoredAsync(visitor));
    }

    [Fact]
    public async Task A_flood_from_one_visitor_is_answered_429_with_retry_after_and_its_events_sent_again_are_stored_once()
    {
        var visitor = NewVisitor();
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 40; i++)
        {
            // The same three events each time, as a tracker retrying its beacon would send them.
            statuses.Add(await PostAsync(Body(_site.PublishableKey, visitor, 3), Origin));
        }

        var refused = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.True(int.Parse(r.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1));
        Assert.Equal(3, await StoredAsync(visitor));
    }

    [Fact]
    public async Task A_body_over_64_KiB_or_not_json_is_refused_with_the_reason()
    {
        var huge = JsonSerializer.Serialize(new { key = _site.PublishableKey, visitorId = NewVisitor(), events = Array.Empty<object>(), pad = new string('x', 70_000) });
        await AssertProblem(await PostAsync(huge, Origin), HttpStatusCode.RequestEntityTooLarge);
        await AssertProblem(await PostAsync("{not json", Origin), HttpStatusCode.BadRequest);
        var tooMany = await AssertProblem(await PostAsync(Body(_site.PublishableKey, NewVisitor(), 51), Origin), HttpStatusCode.BadRequest);
        Assert.Contains("at most 50 events", tooMany.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tracker_is_one_cacheable_script_for_every_site_gzipped_and_loadable_with_integrity()
    {
        var client = Api.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var plain = await client.GetAsync("/t.js");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("text/javascript", plain.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=3600", plain.Headers.CacheControl?.ToString());
        Assert.Equal("*", plain.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var source = await plain.Content.ReadAsStringAsync();
        Assert.Contains("data-key", source, StringComparison.Ordinal);
        Assert.DoesNotContain(_site.PublishableKey, source, StringComparison.Ordinal);

        var request = new HttpRequestMessage(HttpMethod.Get, "/t.js");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var gzipped = await client.SendAsync(request);
        Assert.Equal("gzip", gzipped.Content.Headers.ContentEncoding.Single());
        var bytes = await gzipped.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length <= 6 * 1024, $"{bytes.Length} bytes gzipped");
        using var unzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        Assert.Equal(source, await new StreamReader(unzip).ReadToEndAsync());

        var again = new HttpRequestMessage(HttpMethod.Get, "/t.js");
        again.Headers.IfNoneMatch.ParseAdd(plain.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task A_segment_destination_sends_a_batch_with_the_ingest_key_as_its_basic_auth_user()
    {
        var anonymous = Guid.NewGuid().ToString();
        var batch = $$"""
            {"batch": [
              {"type": "page", "messageId": "{{anonymous}}-1", "anonymousId": "{{anonymous}}", "name": "Pricing",
               "properties": {"url": "https://www.example.com/pricing", "path": "/pricing"}, "context": {"library": {"name": "analytics.js", "version": "2.11.1"} },
               "timestamp": "{{DateTime.UtcNow.AddMinutes(-2):O}}"},
              {"type": "identify", "messageId": "{{anonymous}}-2", "anonymousId": "{{anonymous}}", "userId": "u-{{anonymous}}",
               "traits": {"email": "{{anonymous}}@example.com", "name": "Segment Person"}, "timestamp": "{{DateTime.UtcNow.AddMinutes(-1):O}}"}
            ], "sentAt": "{{DateTime.UtcNow:O}}"}
            """;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sources/segment/v1/batch") { Content = new StringContent(batch, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Api.IngestKey + ":")));

        var response = await Api.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await JsonOf(response)).GetProperty("accepted").GetInt32());
        var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sources/segment/v1/batch") { Content = new StringContent(batch, Encoding.UTF8, "application/json") };
        wrong.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("bp_made_up:")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.CreateClient().SendAsync(wrong)).StatusCode);
        await using var db = await Api.NewContextAsync();
        var lead = await db.Leads.SingleAsync(l => l.ExternalId == "u-" + anonymous);
        Assert.Equal(anonymous + "@example.com", lead.Email);
    }

    private static string NewVisitor() => Guid.NewGuid().ToString("N");

    private static string Body(string key, string visitor, int events) => JsonSerializer.Serialize(new
    {
        key,
        visitorId = visitor,
        events = Enumerable.Range(1, events).Select(i => new { id = $"{visitor}-{i}", behavior = "website.visit", attributes = new { url = $"{Origin}/page/{i}" }, sinceLoad = 5000 }),
    });

    private static HttpRequestMessage Request(string body, string? origin)
    {
        // As t.js sends it: text/plain, so the browser makes no preflight.
        var request = new HttpRequestMessage(HttpMethod.Post, "/collect") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0");
        return request;
    }

    private Task<HttpResponseMessage> PostAsync(string body, string? origin) => Api.CreateClient().SendAsync(Request(body, origin));

    private Task<HttpResponseMessage> SendPreflightAsync(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/collect");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        return Api.CreateClient().SendAsync(request);
    }

    private async Task<int> StoredAsync(string visitor)
    {
        await using var db = await Api.NewContextAsync();
        return await db.Behaviors.CountAsync(b => db.Visitors.Any(v => v.Id == b.VisitorId && v.Key == visitor));
    }
}
