using System.Globalization;
using System.Threading.RateLimiting;

namespace BehaviorPoints.Web.Api;

/// <summary>The API's request limits, from <c>Api:RateLimit</c> in appsettings.</summary>
internal sealed class ApiRateLimitOptions
{
    /// <summary>Requests each API key (or, without one, each client address) may make per second, sustained.</summary>
    public int RequestsPerSecond { get; set; } = 1_000;

    /// <summary>How many requests may arrive at once above the sustained rate.</summary>
    public int Burst { get; set; } = 2_000;
}

/// <summary>The framework's rate limiter on the API: a token bucket per API key; 429 with Retry-After when it is empty.</summary>
internal static class ApiRateLimiting
{
    public const string Policy = "api";

    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Api:RateLimit").Get<ApiRateLimitOptions>() ?? new ApiRateLimitOptions();
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context => RateLimitPartition.GetTokenBucketLimiter(
                // Keyed by the presented key (its hash is not needed: the value only picks a bucket) or the client address.
                context.Request.Headers[ApiKeyAuthenticationHandler.HeaderName].ToString() is { Length: > 0 } key ? "key:" + key : "ip:" + context.Connection.RemoteIpAddress,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, options.Burst),
                    TokensPerPeriod = Math.Max(1, options.RequestsPerSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await ApiResults.TooManyRequests(retryAfter).ExecuteAsync(rejected.HttpContext);
            };
        });
    }
}
