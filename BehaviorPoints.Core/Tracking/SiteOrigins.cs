using System.Text.RegularExpressions;

namespace BehaviorPoints.Core.Tracking;

/// <summary>
/// A site's allowed origins (SPEC §16): <c>https://www.example.com</c>, <c>https://*.example.com</c> for its subdomains,
/// <c>http://localhost:5173</c> with a port. Scheme, host and port must match (no port: the scheme's default).
/// </summary>
public static partial class SiteOrigins
{
    public const int MaxOrigins = 20;

    // A host name (labels of letters, digits and inner hyphens), an IPv4 address, or localhost; "*." before at least two labels.
    [GeneratedRegex(@"^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();

    /// <summary>Checks and normalizes the patterns; returns the problem with the first that is not one, or null.</summary>
    public static FieldError? Check(IReadOnlyList<string> patterns, out List<string> normalized)
    {
        normalized = [];
        if (patterns.Count == 0)
        {
            return FieldError.Of("origins", "Give at least one origin the tracker runs on, such as https://www.example.com.");
        }
        if (patterns.Count > MaxOrigins)
        {
            return FieldError.Of("origins", "A site has at most {0} origins; this one has {1}.", MaxOrigins, patterns.Count);
        }
        foreach (var raw in patterns)
        {
            var pattern = raw.Trim().TrimEnd('/').ToLowerInvariant();
            if (!IsOrigin(pattern))
            {
                return FieldError.Of("origins",
                    "'{0}' is not an origin: write the scheme and host, such as https://www.example.com or https://*.example.com, without a path.", Shorten(raw.Trim()));
            }
            if (!normalized.Contains(pattern))
            {
                normalized.Add(pattern);
            }
        }
        return null;
    }

    private static bool IsOrigin(string pattern)
    {
        var schemeEnd = pattern.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0 || pattern[..schemeEnd] is not ("http" or "https"))
        {
            return false;
        }
        var hostAndPort = pattern[(schemeEnd + 3)..];
        var colon = hostAndPort.LastIndexOf(':');
        var host = colon >= 0 ? hostAndPort[..colon] : hostAndPort;
        if (colon >= 0 && !(int.TryParse(hostAndPort[(colon + 1)..], out var port) && port is > 0 and <= 65535))
        {
            return false;
        }
        var wildcard = host.StartsWith("*.", StringComparison.Ordinal);
        return host.Length <= 253 && HostPattern().IsMatch(host)
            // "*." covers the subdomains of a registrable name, never of a top-level domain alone.
            && (!wildcard || host[2..].Contains('.'));
    }

    /// <summary>Whether <paramref name="origin"/> (the browser's Origin header) is one of <paramref name="patterns"/>.</summary>
    public static bool Allows(IReadOnlyList<string> patterns, string? origin)
    {
        if (string.IsNullOrEmpty(origin) || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return false;
        }
        foreach (var pattern in patterns)
        {
            if (Matches(pattern, uri))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Matches(string pattern, Uri origin)
    {
        var schemeEnd = pattern.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0 || !string.Equals(pattern[..schemeEnd], origin.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var hostAndPort = pattern[(schemeEnd + 3)..];
        var colon = hostAndPort.LastIndexOf(':');
        var host = colon >= 0 ? hostAndPort[..colon] : hostAndPort;
        // An origin without a port is the scheme's default one, as browsers write it.
        if (colon >= 0 ? !int.TryParse(hostAndPort[(colon + 1)..], out var port) || port != origin.Port : !origin.IsDefaultPort)
        {
            return false;
        }
        var originHost = origin.IdnHost.ToLowerInvariant();
        return host.StartsWith("*.", StringComparison.Ordinal)
            ? originHost.EndsWith(host[1..], StringComparison.Ordinal) && originHost.Length > host.Length - 1
            : originHost == host;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
