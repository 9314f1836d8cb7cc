namespace BehaviorPoints.Core.Tracking;

/// <summary>
/// A site's allowed origins (SPEC §16): <c>https://www.example.com</c>, <c>https://*.example.com</c> for its subdomains,
/// <c>http://localhost:5173</c> with a port. Scheme, host and port must match (no port: the scheme's default).
/// </summary>
public static class SiteOrigins
{
    public const int MaxOrigins = 20;

    /// <summary>Checks and normalizes the patterns; returns the problem with the first that is not one, or null.</summary>
    public static string? Check(IReadOnlyList<string> patterns, out List<string> normalized)
    {
        normalized = [];
        if (patterns.Count == 0)
        {
            return "Give at least one origin the tracker runs on, such as https://www.example.com.";
        }
        if (patterns.Count > MaxOrigins)
        {
            return $"A site has at most {MaxOrigins} origins; this one has {patterns.Count}.";
        }
        foreach (var raw in patterns)
        {
            var pattern = raw.Trim().TrimEnd('/').ToLowerInvariant();
            var wildcard = pattern.Contains("://*.", StringComparison.Ordinal);
            var parseable = wildcard ? pattern.Replace("://*.", "://wildcard.", StringComparison.Ordinal) : pattern;
            if (!Uri.TryCreate(parseable, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0 || pattern.Contains('*') != wildcard
                || pattern.Count(c => c == '*') > 1)
            {
                return $"'{Shorten(raw.Trim())}' is not an origin: write the scheme and host, such as https://www.example.com or https://*.example.com, without a path.";
            }
            if (!normalized.Contains(pattern))
            {
                normalized.Add(pattern);
            }
        }
        return null;
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
