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
        // A key's first request counts to its address until the key is verified; from then on it has its own bucket.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/behavior-types")).StatusCode);
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

/// <summary>The app with a small limit for requests without a known key.</summary>
public sealed class UnauthenticatedLimitApiFactory : ApiFactory
{
    public const int Burst = 5;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Api:RateLimit:UnauthenticatedPerSecond", "1");
        builder.UseSetting("Api:RateLimit:UnauthenticatedBurst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class UnauthenticatedLimitTests(UnauthenticatedLimitApiFactory api) : IClassFixture<UnauthenticatedLimitApiFactory>
{
    [Fact]
    public async Task A_flood_of_made_up_keys_is_limited_per_address_before_any_key_is_looked_up()
    {
        var admin = api.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/leads")).StatusCode);
        var lookups = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            lookups.Add((await api.ClientWithKey($"bp_made-up-{i}").GetAsync("/api/v1/leads")).StatusCode);
        }

        // At most the address's burst is answered 401 (each of those was looked up); the rest is 429, unlooked.
        Assert.InRange(lookups.Count(s => s == HttpStatusCode.Unauthorized), 1, UnauthenticatedLimitApiFactory.Burst);
        Assert.True(lookups.Count(s => s == HttpStatusCode.TooManyRequests) >= 40 - UnauthenticatedLimitApiFactory.Burst);
        Assert.All(lookups.SkipWhile(s => s == HttpStatusCode.Unauthorized), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        // A key known to be valid has its own bucket, even from the same address.
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3 * UnauthenticatedLimitApiFactory.Burst; i++)
        {
            answers.Add((await admin.GetAsync("/api/v1/leads")).StatusCode);
        }
        Assert.All(answers, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_on_the_next_request_though_it_was_just_verified()
    {
        var keys = api.Get<BehaviorPoints.Core.Accounts.ApiKeyService>();
        var created = await keys.CreateAsync("Soon revoked", BehaviorPoints.Core.Domain.ApiKeyScope.Admin);
        var client = api.ClientWithKey(created.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/rule-set/versions")).StatusCode);
        Assert.NotNull(keys.KnownKey(created.Key));

        await keys.RevokeAsync(created.Id);

        Assert.Null(keys.KnownKey(created.Key));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/rule-set/versions")).StatusCode);
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
        // The Server header is checked against a real Kestrel below: the in-memory server never sends one.
    }

    /// <summary>The in-memory test server never sends a Server header: only a real Kestrel shows whether the app turned it off.</summary>
    [Fact]
    public async Task A_real_kestrel_sends_no_server_header()
    {
        await using var app = new ApiFactory();
        app.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Server"), $"Server: {string.Join(", ", response.Headers.TryGetValues("Server", out var server) ? server : [])}");
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
