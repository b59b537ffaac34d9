using System.Net;
using System.Net.Sockets;

namespace RunStrength.Functions.Notifications;

/// <summary>
/// The SSRF guard for webhooks: a webhook may reach only public addresses. Private (RFC 1918, ULA),
/// loopback, link-local (and so the cloud metadata endpoints 169.254.169.254 and fd00:ec2::254),
/// carrier-grade NAT, multicast and unspecified addresses are refused; in Development, loopback
/// is allowed so a receiver on the same machine can be tested. It is applied to the addresses DNS
/// returns, at connect time, so a name that resolves (or is rebound) to an inside address is refused.
/// </summary>
public sealed class AddressGuard(bool allowLoopback)
{
    public bool AllowsLoopback => allowLoopback;

    public bool Allows(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && b[1] is 18 or 19));
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xfe) == 0xfc);
        }

        return false;
    }

    /// <summary>Why a webhook URL is refused before any request, or null: the scheme, credentials, and a literal inside address.</summary>
    public string? CheckUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http"))
        {
            return "must be an absolute https URL.";
        }

        if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Fragment))
        {
            return "must not carry credentials or a fragment.";
        }

        var literal = IPAddress.TryParse(url.IdnHost, out var address) ? address : null;
        var loopback = url.IsLoopback || (literal is not null && IPAddress.IsLoopback(literal));
        if (url.Scheme == "http" && !(allowLoopback && loopback))
        {
            return allowLoopback ? "must be https (plain http only for a loopback address)." : "must be https.";
        }

        if (literal is not null && !Allows(literal))
        {
            return "must not point at a private, loopback, link-local or metadata address.";
        }

        if (loopback && !allowLoopback)
        {
            return "must not point at a private, loopback, link-local or metadata address.";
        }

        return null;
    }

    /// <summary>Resolves the host and connects only to an allowed address; for <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(Allows).ToList();
        if (allowed.Count == 0 || allowed.Count != addresses.Length)
        {
            throw new WebhookRefusedException($"The webhook host resolves to an address that is not allowed.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A webhook the guard refused: never retried, it would be refused again.</summary>
public sealed class WebhookRefusedException : Exception
{
    public WebhookRefusedException()
    {
    }

    public WebhookRefusedException(string message) : base(message)
    {
    }

    public WebhookRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
