using System.Net;
using System.Net.Sockets;

namespace BehaviorPoints.Core.Webhooks;

/// <summary>
/// Which addresses a webhook may reach: not loopback, link-local, private, shared (CGNAT), multicast or reserved ones
/// unless <see cref="WebhookOptions.AllowPrivateNetworks"/> is set. Checked when an endpoint is registered and again on
/// every connection (a name may resolve elsewhere by then), so the app cannot be made to call what sits behind its firewall.
/// </summary>
public static class WebhookNetwork
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] is 0 or 10 or 127
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 100 && b[1] is >= 64 and <= 127)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && b[1] is 18 or 19)
                || b[0] >= 224;
        }
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (b[0] & 0xFE) == 0xFC;
    }

    /// <summary>
    /// What is wrong with <paramref name="url"/> as a webhook endpoint, or null when nothing is: an absolute http(s) URL
    /// without user name or password whose host resolves, to public addresses only unless private networks are allowed.
    /// </summary>
    public static async Task<string?> ProblemWithAsync(string? url, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "Give the URL the events are posted to, e.g. https://hooks.example.com/behaviorpoints.";
        }
        if (url.Length > 2000)
        {
            return "The URL is longer than 2,000 characters.";
        }
        if (UserText.HasControlCharacters(url))
        {
            return "The URL holds control characters.";
        }
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
        {
            return $"'{(url.Length <= 100 ? url : url[..97] + "...")}' is not an http:// or https:// URL.";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Leave the user name and password out of the URL: every message is signed with the endpoint's secret instead.";
        }
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, cancellationToken);
        }
        catch (SocketException)
        {
            return $"The host '{uri.Host}' could not be found.";
        }
        if (addresses.Length == 0)
        {
            return $"The host '{uri.Host}' could not be found.";
        }
        if (!allowPrivateNetworks && addresses.FirstOrDefault(IsPrivate) is { } refused)
        {
            return $"'{uri.Host}' is a loopback, link-local or private address ({refused}): webhooks go to public addresses only. "
                + "An installation whose receivers live on its own network sets Webhooks:AllowPrivateNetworks.";
        }
        return null;
    }

    /// <summary>
    /// The connection step of the webhook client: resolves the host and connects to its permitted addresses only, so a
    /// name that resolved to a public address at registration cannot lead to a private one later.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(Func<bool> allowPrivateNetworks) =>
        async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
            var permitted = allowPrivateNetworks() ? addresses : [.. addresses.Where(a => !IsPrivate(a))];
            if (permitted.Length == 0)
            {
                throw new HttpRequestException($"'{host}' resolves to a loopback, link-local or private address only; webhooks go to public addresses.");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(permitted, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}
