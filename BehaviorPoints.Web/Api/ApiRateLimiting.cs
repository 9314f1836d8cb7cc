using System.Globalization;
using System.Threading.RateLimiting;
using BehaviorPoints.Core.Accounts;

namespace BehaviorPoints.Web.Api;

/// <summary>The API's request limits, from <c>Api:RateLimit</c> in appsettings.</summary>
internal sealed class ApiRateLimitOptions
{
    /// <summary>Requests each known API key may make per second, sustained.</summary>
    public int RequestsPerSecond { get; set; } = 1_000;

    /// <summary>How many requests a known key may send at once above the sustained rate.</summary>
    public int Burst { get; set; } = 2_000;

    /// <summary>Requests per second from one client address without a key known to be valid.</summary>
    public int UnauthenticatedPerSecond { get; set; } = 10;

    /// <summary>How many such requests may arrive at once.</summary>
    public int UnauthenticatedBurst { get; set; } = 50;
}

/// <summary>
/// The framework's rate limiter on the API, run before authentication: a key found valid within the last hour (a hash
/// compared in memory, no database) has a token bucket of its own; every other request (no key, an unknown or revoked
/// key, a key's very first request) shares its client address's smaller bucket, so a flood of made-up keys is answered 429
/// instead of costing a look-up each. 429 with Retry-After when a bucket is empty.
/// </summary>
internal static class ApiRateLimiting
{
    public const string Policy = "api";

    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Api:RateLimit").Get<ApiRateLimitOptions>() ?? new ApiRateLimitOptions();
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context =>
            {
                var presented = context.Request.Headers[ApiKeyAuthenticationHandler.HeaderName].ToString().Trim();
                var known = presented.Length > 0 ? context.RequestServices.GetRequiredService<ApiKeyService>().KnownKey(presented) : null;
                return known is not null
                    ? RateLimitPartition.GetTokenBucketLimiter("key:" + known.Id.ToString(CultureInfo.InvariantCulture), _ => Bucket(options.RequestsPerSecond, options.Burst))
                    : RateLimitPartition.GetTokenBucketLimiter("address:" + context.Connection.RemoteIpAddress, _ => Bucket(options.UnauthenticatedPerSecond, options.UnauthenticatedBurst));
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await ApiResults.TooManyRequests(retryAfter).ExecuteAsync(rejected.HttpContext);
            };
        });
    }

    /// <summary>A token bucket: <paramref name="perSecond"/> sustained, <paramref name="burst"/> at once, no queue (the collector's limits too).</summary>
    internal static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = Math.Max(1, burst),
        TokensPerPeriod = Math.Max(1, perSecond),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
