using System.Net;
using System.Net.Http.Json;
using BehaviorPoints.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace BehaviorPoints.Tests.Web.Api;

/// <summary>The app with a tiny API rate limit, to see the limiter answer.</summary>
public sealed class RateLimitedApiFactory : ApiFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Api:RateLimit:RequestsPerSecond", "1");
        builder.UseSetting("Api:RateLimit:Burst", "3");
    }
}

public sealed class RateLimitTests(RateLimitedApiFactory api) : IClassFixture<RateLimitedApiFactory>
{
    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_retry_after_and_other_keys_are_unaffected()
    {
        var client = api.Ingest();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/events", new { eventId = $"rl-{i}", behavior = "form.submit", contact = new { email = "rl@example.com" } })).StatusCode);
        }
        var refused = await client.PostAsJsonAsync("/api/v1/events", new { eventId = "rl-x", behavior = "form.submit", contact = new { email = "rl@example.com" } });

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await api.Admin().GetAsync("/api/v1/leads")).StatusCode);
    }
}

public sealed class SecurityHeaderTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/healthz")]
    [InlineData("/api/v1/leads")]
    public async Task Responses_carry_the_security_headers(string path)
    {
        var response = await api.ClientWithKey(null).GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
    }
}
