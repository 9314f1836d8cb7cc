using System.Security.Claims;
using System.Text.Encodings.Web;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace BehaviorPoints.Web.Api;

/// <summary>Authenticates API calls by the <c>X-Api-Key</c> header; answers 401 and 403 as problem details.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService apiKeys,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string ScopeClaim = "scope";

    /// <summary>
    /// The key as HTTP Basic's user name with no password, the way Segment and the tools that speak its API send their
    /// write key (the Segment-compatible source).
    /// </summary>
    internal static string? BasicUserName(string authorization)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            var user = decoded.Split(':', 2)[0].Trim();
            return user.Length > 0 ? user : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers.TryGetValue(HeaderName, out var values) && !string.IsNullOrWhiteSpace(values.ToString())
            ? values.ToString().Trim()
            : BasicUserName(Request.Headers.Authorization.ToString());
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }
        var key = await apiKeys.AuthenticateAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, key.Name),
                new Claim(ClaimTypes.NameIdentifier, key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(ScopeClaim, ScopeCode(key.Scope)),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Request.Headers.ContainsKey(HeaderName) || BasicUserName(Request.Headers.Authorization.ToString()) is not null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "API key required",
                Detail = presented
                    ? "The API key in the X-Api-Key header is unknown or has been revoked."
                    : "Send an API key in the X-Api-Key header. Administrators create keys in BehaviorPoints.",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var scope = Context.User.FindFirst(ScopeClaim)?.Value ?? "none";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "API key scope too narrow",
                Detail = $"This key has the '{scope}' scope, which does not allow {Request.Method} {Request.Path}; it needs an 'admin' key.",
            },
        });
    }

    public static string ScopeCode(ApiKeyScope scope) => scope == ApiKeyScope.Admin ? "admin" : "ingest";
}

/// <summary>Policy names for the API, by key scope. An admin key may do everything an ingest key may.</summary>
internal static class ApiPolicies
{
    public const string Ingest = "api:ingest";
    public const string Admin = "api:admin";

    public static AuthorizationBuilder AddApiPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(Ingest, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, "ingest", "admin"))
        .AddPolicy(Admin, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, "admin"));
}
