using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.RateLimiting;
using BehaviorPoints.Core.Tracking;
using Microsoft.Net.Http.Headers;

namespace BehaviorPoints.Web.Api;

/// <summary>The collector's limits, from <c>Collector:RateLimit</c> in appsettings (requests per second, sustained and at once).</summary>
internal sealed class CollectorRateLimitOptions
{
    public int PerKeyPerSecond { get; set; } = 2_000;
    public int PerKeyBurst { get; set; } = 4_000;
    public int PerVisitorPerSecond { get; set; } = 5;
    public int PerVisitorBurst { get; set; } = 20;
    public int PerAddressPerSecond { get; set; } = 20;
    public int PerAddressBurst { get; set; } = 60;
}

/// <summary>
/// The website tracker (SPEC §16): <c>GET /t.js</c>, one static script, the same bytes for every site (the key comes
/// from the snippet's <c>data-key</c>), and <c>POST /collect</c>, the public collector it sends to. The collector answers
/// CORS for the allowed origins of the key's site only (never <c>*</c>); its limits are the framework's rate limiters
/// per client address (before the body is read), per key and per visitor (once it is).
/// </summary>
internal static class CollectorEndpoints
{
    public const string AddressPolicy = "collector-address";

    private static readonly Lazy<TrackerScript> s_script = new(TrackerScript.Load);

    public static IServiceCollection AddCollector(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Collector:RateLimit").Get<CollectorRateLimitOptions>() ?? new CollectorRateLimitOptions();
        services.AddSingleton(options);
        services.AddSingleton<CollectorLimits>();
        services.Configure<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>(limiter => limiter.AddPolicy(AddressPolicy, context =>
            RateLimitPartition.GetTokenBucketLimiter("collect:" + context.Connection.RemoteIpAddress,
                _ => ApiRateLimiting.Bucket(options.PerAddressPerSecond, options.PerAddressBurst))));
        return services;
    }

    public static void MapCollector(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/t.js", ServeScript).ExcludeFromDescription();

        var collect = endpoints.MapGroup("/collect").DisableAntiforgery().WithTags("Website tracker");
        collect.MapMethods("/", ["OPTIONS"], PreflightAsync).ExcludeFromDescription();
        collect.MapPost("/", CollectAsync)
            .RequireRateLimiting(AddressPolicy)
            .WithName("Collect")
            .WithSummary("Behaviors from the website tracker (t.js)")
            .WithDescription("Public: no API key. The body names a site's publishable key, the visitor id and up to 50 events (64 KiB). "
                + "Only the allowed origins of the key's site may send (CORS answers them alone); other origins, unknown or rotated keys and requests from no browser origin are refused with 403 and nothing is stored. "
                + "With implied consent a browser sending DNT: 1 or Sec-GPC: 1 is answered 202 and nothing is stored. Event ids begin with the visitor id: an id sent again is stored once. "
                + "An anonymous visitor's behaviors wait unscored until it is identified (a form's email, or a signed identify: hex(HMAC-SHA256(identify secret, lowercase email))). "
                + "The answer never says whether an email is known.")
            .Accepts<CollectBody>("text/plain", "application/json")
            .Produces<CollectResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    /// <summary>What t.js sends (documented for the API reference; the collector reads it field by field).</summary>
    public sealed record CollectBody(string Key, string VisitorId, IReadOnlyList<CollectEvent> Events, bool? Webdriver);

    /// <summary>One event: <c>id</c> is the visitor id, '-' and a part that never repeats; <c>sinceLoad</c> the milliseconds since its page loaded.</summary>
    public sealed record CollectEvent(string Id, string Behavior, DateTimeOffset? At, Dictionary<string, JsonElement>? Attributes, CollectIdentify? Identify, long? SinceLoad);

    /// <summary>Who the visitor says it is: on identify calls and forms that carry an email.</summary>
    public sealed record CollectIdentify(string Email, string? Name, string? Signature);

    /// <summary>The answer: how many events were taken, and the ones that were not with the reason.</summary>
    public sealed record CollectResponse(int Accepted, IReadOnlyList<CollectRejection> Rejected);

    private static IResult ServeScript(HttpContext context)
    {
        var script = s_script.Value;
        var headers = context.Response.Headers;
        headers.CacheControl = "public, max-age=3600";
        headers.ETag = script.ETag;
        headers.Vary = HeaderNames.AcceptEncoding;
        // Anyone may load it with Subresource Integrity (crossorigin="anonymous"): the same bytes for everyone.
        headers.AccessControlAllowOrigin = "*";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        if (context.Request.Headers.IfNoneMatch.ToString() == script.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        if (context.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentEncoding = "gzip";
            return Results.Bytes(script.Gzipped, "text/javascript; charset=utf-8");
        }
        return Results.Bytes(script.Bytes, "text/javascript; charset=utf-8");
    }

    // A preflight names no key: an origin some site allows is told it may POST (cached for a day); others are refused.
    private static async Task<IResult> PreflightAsync(HttpContext context, SiteKeys keys, CancellationToken cancellationToken)
    {
        var origin = context.Request.Headers.Origin.ToString();
        context.Response.Headers.Vary = HeaderNames.Origin;
        if (!await keys.AnySiteAllowsAsync(origin, cancellationToken))
        {
            return Forbidden("This origin is not an allowed origin of any site.");
        }
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlAllowMethods = "POST";
        headers.AccessControlAllowHeaders = "Content-Type";
        headers.AccessControlMaxAge = "86400";
        return Results.NoContent();
    }

    private static async Task<IResult> CollectAsync(HttpContext context, Collector collector, CollectorLimits limits, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        context.Response.Headers.Vary = HeaderNames.Origin;
        var (body, error) = await JsonBody.ReadBytesAsync(request, Collector.MaxBodyBytes, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, JsonBody.DocumentOptions);
        }
        catch (JsonException exception)
        {
            return ApiResults.FromJsonException(exception);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && limits.Refuse(Text(root, "key"), Text(root, "visitorId")) is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return ApiResults.TooManyRequests(retryAfter);
            }
            var doNotTrack = request.Headers["DNT"].ToString() == "1" || request.Headers["Sec-GPC"].ToString() == "1";
            var answer = await collector.CollectAsync(root, new CollectContext(origin, request.Headers.UserAgent.ToString(), doNotTrack), cancellationToken);
            if (answer.Status == CollectStatus.Refused)
            {
                return Forbidden(answer.Problem!);
            }
            // Allowed from here on: the page may read the answer.
            context.Response.Headers.AccessControlAllowOrigin = origin;
            return answer.Status == CollectStatus.Invalid
                ? ApiResults.BadRequest("Not a collector body", answer.Problem!)
                : Results.Json(new CollectResponse(answer.Accepted, answer.Rejected), statusCode: StatusCodes.Status202Accepted);
        }
    }

    private static string? Text(JsonElement json, string property) =>
        json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Not allowed to send here");

    /// <summary>The tracker's bytes (the readable source, as customers read it), gzipped once, and their ETag.</summary>
    private sealed record TrackerScript(byte[] Bytes, byte[] Gzipped, string ETag)
    {
        public static TrackerScript Load()
        {
            using var stream = typeof(CollectorEndpoints).Assembly.GetManifestResourceStream("BehaviorPoints.Web.Tracker.t.js")
                ?? throw new InvalidOperationException("The tracker script is not embedded in the web assembly.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            using var gzipped = new MemoryStream();
            using (var gzip = new GZipStream(gzipped, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                gzip.Write(bytes);
            }
            return new TrackerScript(bytes, gzipped.ToArray(), $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"");
        }
    }
}

/// <summary>The collector's per-key and per-visitor token buckets (the framework's rate limiter; the key and visitor are in the body).</summary>
internal sealed class CollectorLimits(CollectorRateLimitOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetTokenBucketLimiter(name, _ => name.StartsWith("k:", StringComparison.Ordinal)
            ? ApiRateLimiting.Bucket(options.PerKeyPerSecond, options.PerKeyBurst)
            : ApiRateLimiting.Bucket(options.PerVisitorPerSecond, options.PerVisitorBurst)));

    /// <summary>Takes one request from the key's and the visitor's buckets; the seconds to wait when either is empty, else null.</summary>
    public int? Refuse(string? key, string? visitorId)
    {
        foreach (var name in new[] { key is null ? null : "k:" + key, visitorId is null ? null : "v:" + key + "/" + visitorId })
        {
            if (name is null)
            {
                continue;
            }
            using var lease = _limiter.AttemptAcquire(name);
            if (!lease.IsAcquired)
            {
                return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
            }
        }
        return null;
    }

    public void Dispose() => _limiter.Dispose();
}
