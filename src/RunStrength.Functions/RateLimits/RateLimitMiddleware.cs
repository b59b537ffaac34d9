using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Account;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Calendar;
using RunStrength.Functions.Http;
using RunStrength.Functions.Notifications;
using RunStrength.Functions.Profiles;

namespace RunStrength.Functions.RateLimits;

/// <summary>
/// Token buckets in this worker instance: per user for authenticated calls (tighter ones on top
/// for sign-up, erase and calendar rotation, and for webhook and device registration), per client
/// IP for anonymous routes. Runs after
/// <see cref="AuthenticationMiddleware"/>, so the user is known. A refusal is 429 with
/// <c>Retry-After</c>. Each instance counts alone: see the README for what that promises.
/// </summary>
public sealed class RateLimitMiddleware : IFunctionsWorkerMiddleware, IAsyncDisposable
{
    /// <summary>Functions that also draw on the <see cref="RateLimitOptions.Sensitive"/> bucket.</summary>
    public static readonly FrozenSet<string> Sensitive = FrozenSet.ToFrozenSet(
        [nameof(ProfileFunctions.PutProfile), nameof(AccountFunctions.DeleteMe), nameof(CalendarFunctions.CreateCalendarFeed)],
        StringComparer.Ordinal);

    /// <summary>
    /// Functions that also draw on the <see cref="RateLimitOptions.Channels"/> bucket: each one reaches
    /// outside the app (a webhook test POSTs to the caller's URL, a device goes to the notification
    /// hub), so a looping client would spend the hub's quota or aim the app at someone else's server.
    /// </summary>
    public static readonly FrozenSet<string> Channels = FrozenSet.ToFrozenSet(
        [nameof(NotificationFunctions.PutWebhook), nameof(NotificationFunctions.TestWebhook), nameof(NotificationFunctions.PutDevice)],
        StringComparer.Ordinal);

    private readonly bool _enabled;
    private readonly PartitionedRateLimiter<string> _users;
    private readonly PartitionedRateLimiter<string> _sensitive;
    private readonly PartitionedRateLimiter<string> _channels;
    private readonly PartitionedRateLimiter<string> _anonymous;

    public RateLimitMiddleware(IOptions<RateLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _enabled = settings.Enabled;
        _users = Limiter(settings.User);
        _sensitive = Limiter(settings.Sensitive);
        _channels = Limiter(settings.Channels);
        _anonymous = Limiter(settings.Anonymous);
    }

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is { } http && Admit(context.FunctionDefinition.Name, http) is { } refusal)
        {
            context.GetInvocationResult().Value = new ResultAction(refusal);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>Null when the call may go ahead; otherwise the 429 to answer, its <c>Retry-After</c> already set.</summary>
    public IResult? Admit(string functionName, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!_enabled)
        {
            return null;
        }

        if (http.Items.TryGetValue(typeof(AuthResult), out var known) && known is AuthResult { UserId: { } userId })
        {
            return Refusal(http, _users, userId)
                ?? (Sensitive.Contains(functionName) ? Refusal(http, _sensitive, userId) : null)
                ?? (Channels.Contains(functionName) ? Refusal(http, _channels, userId) : null);
        }

        return Refusal(http, _anonymous, ClientAddress(http));
    }

    public async ValueTask DisposeAsync()
    {
        await _users.DisposeAsync().ConfigureAwait(false);
        await _sensitive.DisposeAsync().ConfigureAwait(false);
        await _channels.DisposeAsync().ConfigureAwait(false);
        await _anonymous.DisposeAsync().ConfigureAwait(false);
    }

    private static ProblemHttpResult? Refusal(HttpContext http, PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        http.Response.Headers.RetryAfter = Problems.RetryAfterSeconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        return Problems.TooManyRequests(retryAfter);
    }

    /// <summary>
    /// The caller's address: the last <c>X-Forwarded-For</c> hop, the one Azure's front end appends
    /// (earlier entries are whatever the client sent), else the connection's own address.
    /// </summary>
    private static string ClientAddress(HttpContext http)
    {
        var forwarded = http.Request.Headers["X-Forwarded-For"].ToString();
        var last = forwarded.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (last is not null && (IPAddress.TryParse(last, out var address) || IPEndPoint.TryParse(last, out _)))
        {
            return address?.ToString() ?? IPEndPoint.Parse(last).Address.ToString();
        }

        return http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    private static PartitionedRateLimiter<string> Limiter(RateLimitOptions.Bucket bucket) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = bucket.TokenLimit,
            TokensPerPeriod = bucket.TokensPerPeriod,
            ReplenishmentPeriod = bucket.Period,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);
}
