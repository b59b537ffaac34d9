using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace RunStrength.Testing;

/// <summary>One request a <see cref="LoopbackReceiver"/> got, and the status it answered.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, int Answered)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}

/// <summary>
/// An HTTP server on 127.0.0.1 for webhook receivers and a fake Notification Hubs endpoint: it
/// records every request and answers the status <see cref="Answer"/> picks for it (200 by default).
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    public LoopbackReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Url => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    /// <summary>The status for the n-th request (0-based) to a path.</summary>
    public Func<int, string, int> Answer { get; set; } = (_, _) => 200;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Waits until <paramref name="count"/> requests have come, or fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_requests.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} requests, got {_requests.Count}.");
            }

            await Task.Delay(50);
        }

        return Requests;
    }

    /// <summary>
    /// Verifies a delivery the way a Standard Webhooks receiver does: HMAC-SHA256, keyed with the
    /// base64 after <c>whsec_</c>, of <c>{webhook-id}.{webhook-timestamp}.{body}</c>, against each
    /// <c>v1,</c> signature in <c>webhook-signature</c>.
    /// </summary>
    public static bool Verify(ReceivedRequest request, string secret)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secret);
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.{request.Body}");
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return request.Header("webhook-signature").Split(' ')
            .Where(s => s.StartsWith("v1,", StringComparison.Ordinal))
            .Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task LoopAsync()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Url!.AbsolutePath;
            var n = counts.TryGetValue(path, out var c) ? c : 0;
            counts[path] = n + 1;
            var status = Answer(n, path);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers[k]!, StringComparer.Ordinal);
            _requests.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url.PathAndQuery, headers, body, status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }
}
