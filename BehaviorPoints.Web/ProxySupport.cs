using System.Net;

namespace BehaviorPoints.Web;

/// <summary>
/// Running behind a load balancer or reverse proxy that terminates TLS (<c>Proxy</c> in appsettings): the forwarded
/// scheme and client address are trusted from the listed proxies only, so request.IsHttps is true there (cookies are
/// Secure, HSTS applies) and rate limits count real clients; <c>Proxy:HttpsRedirect</c> sends plain HTTP to HTTPS.
/// </summary>
internal static class ProxySupport
{
    internal sealed class ProxyOptions
    {
        /// <summary>Read X-Forwarded-For and X-Forwarded-Proto from the proxies below.</summary>
        public bool ForwardedHeaders { get; set; }

        /// <summary>Addresses of the trusted proxies (loopback is always trusted).</summary>
        public string[] KnownProxies { get; set; } = [];

        /// <summary>Networks of trusted proxies, in CIDR notation (10.0.0.0/8).</summary>
        public string[] KnownNetworks { get; set; } = [];

        /// <summary>Redirect plain HTTP to HTTPS and send HSTS.</summary>
        public bool HttpsRedirect { get; set; }
    }

    public static IServiceCollection AddProxySupport(this IServiceCollection services, IConfiguration configuration)
    {
        var proxy = configuration.GetSection("Proxy").Get<ProxyOptions>() ?? new ProxyOptions();
        services.AddSingleton(proxy);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            foreach (var address in proxy.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(address));
            }
            foreach (var network in proxy.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    public static WebApplication UseProxySupport(this WebApplication app)
    {
        var proxy = app.Services.GetRequiredService<ProxyOptions>();
        if (proxy.ForwardedHeaders)
        {
            app.UseForwardedHeaders();
        }
        if (proxy.HttpsRedirect)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        return app;
    }
}
