using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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
        Assert.Contains("connect-src 'self';", csp);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Api_answers_are_not_cached_and_a_500_carries_the_headers_too()
    {
        var list = await api.Admin().GetAsync("/api/v1/leads");
        Assert.True(list.Headers.CacheControl?.NoStore);

        var failing = api.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, FailingEndpoint>()));
        var answer = await failing.CreateClient().GetAsync("/api/v1/failing");

        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", answer.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(answer.Headers.CacheControl?.NoStore);
        Assert.DoesNotContain("Exception", await answer.Content.ReadAsStringAsync());
    }

    /// <summary>An endpoint that throws, behind the app's own middleware.</summary>
    private sealed class FailingEndpoint : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map("/api/v1/failing", failing => failing.Run(_ => throw new InvalidOperationException("A failure inside the app.")));
        };
    }
}
