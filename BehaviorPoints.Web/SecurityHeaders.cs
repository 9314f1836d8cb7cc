namespace BehaviorPoints.Web;

/// <summary>
/// Response headers that close common holes: no MIME sniffing, no framing, no referrer leaks, and a Content-Security-Policy
/// that Blazor Server (its WebSocket) and MudBlazor (inline style attributes) work under. The API reference page ships
/// its own inline scripts, so it gets no CSP.
/// </summary>
internal static class SecurityHeaders
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Set as the answer starts, so an error page (whose handler clears the headers set so far) carries them too.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (!context.Request.Path.StartsWithSegments("/api/reference"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }
            // API answers carry leads' personal data: no cache keeps them.
            if (context.Request.Path.StartsWithSegments("/api/v1"))
            {
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        await next();
    });
}
