using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RunStrength.Functions.Auth;
using RunStrength.Storage;

namespace RunStrength.Functions.Audit;

/// <summary>
/// Security events, one method each, under one logger category and stable event ids so an
/// operator can select them in the audit trail (<c>FunctionAppLogs</c>, <c>traces</c>) without
/// parsing messages. Each names the user by <see cref="UserKey"/>, the SHA-256 the tables already
/// key them by, never by the id from the token, and carries the function invocation id so the
/// request's own telemetry can be found. Failed sign-ins are counted here and nowhere else (the
/// authenticator only writes a Debug line per refused token), not logged one by one: a client
/// hammering the API with a bad token yields one line a minute, not one per request.
/// </summary>
public sealed partial class AuditLog : IDisposable
{
    public const string Category = "RunStrength.Audit";

    /// <summary>The header by which the worker pairs an HTTP request with its invocation, so in a running function it is the invocation id.</summary>
    public const string InvocationHeader = "x-ms-invocation-id";

    /// <summary>How long failed sign-ins are counted before one event reports them.</summary>
    public static readonly TimeSpan AuthFailureWindow = TimeSpan.FromMinutes(1);

    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, int> _reasons = new(StringComparer.Ordinal);
    private AuthFailureTally _tally;
    private ITimer? _window;

    public AuditLog(ILoggerFactory loggers, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _logger = loggers.CreateLogger(Category);
        _clock = clock;
    }

    /// <summary><c>DELETE /api/me</c> erased everything stored about the user.</summary>
    public void UserErased(HttpRequest request, string userId, int rows)
    {
        var (userKey, invocationId) = Subject(request, userId);
        LogUserErased(_logger, rows, userKey, invocationId);
    }

    /// <summary>A calendar feed link was issued; any earlier link of the user stops working.</summary>
    public void CalendarFeedRotated(HttpRequest request, string userId)
    {
        var (userKey, invocationId) = Subject(request, userId);
        LogCalendarFeedRotated(_logger, userKey, invocationId);
    }

    /// <summary>The user's calendar feed links were revoked and no new one issued.</summary>
    public void CalendarFeedRevoked(HttpRequest request, string userId)
    {
        var (userKey, invocationId) = Subject(request, userId);
        LogCalendarFeedRevoked(_logger, userKey, invocationId);
    }

    /// <summary>The profile was stored anew (<paramref name="change"/>: created, replaced or patched).</summary>
    public void ProfileChanged(HttpRequest request, string userId, string change, long version)
    {
        var (userKey, invocationId) = Subject(request, userId);
        LogProfileChanged(_logger, change, version, userKey, invocationId);
    }

    /// <summary>Counts a refused request by outcome and reason; the first one opens a window that ends in one <c>AuthFailures</c> event.</summary>
    public void AuthFailed(HttpRequest request, AuthResult refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        lock (_gate)
        {
            _tally = _tally.Add(refusal.Outcome);
            var reason = refusal.Reason ?? refusal.Outcome.ToString().ToLowerInvariant();
            _reasons[reason] = _reasons.GetValueOrDefault(reason) + 1;
            if (_window is null)
            {
                _tally = _tally with { Since = _clock.GetUtcNow(), FirstInvocationId = InvocationId(request) };
                _window = _clock.CreateTimer(_ => Flush(), null, AuthFailureWindow, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Reports failures still being counted, so shutting down loses none.</summary>
    public void Dispose() => Flush();

    private void Flush()
    {
        AuthFailureTally tally;
        string reasons;
        lock (_gate)
        {
            (tally, _tally) = (_tally, default);
            reasons = string.Join(", ", _reasons.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value}")));
            _reasons.Clear();
            _window?.Dispose();
            _window = null;
        }

        if (tally.Total > 0)
        {
            LogAuthFailures(_logger, tally.Missing, tally.Invalid, tally.Forbidden, reasons, tally.Since, tally.FirstInvocationId ?? "");
        }
    }

    /// <summary>Who and which invocation: the user's key, never the id from the token.</summary>
    private static (string UserKey, string InvocationId) Subject(HttpRequest request, string userId) =>
        (UserKey.For(userId).Value, InvocationId(request));

    private static string InvocationId(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers[InvocationHeader].ToString();
    }

    [LoggerMessage(EventId = 1001, EventName = "UserErased", Level = LogLevel.Information,
        Message = "User erased: {Rows} rows deleted (user {UserKey}, invocation {InvocationId})")]
    private static partial void LogUserErased(ILogger logger, int rows, string userKey, string invocationId);

    [LoggerMessage(EventId = 1002, EventName = "CalendarFeedRotated", Level = LogLevel.Information,
        Message = "Calendar feed link issued, earlier links revoked (user {UserKey}, invocation {InvocationId})")]
    private static partial void LogCalendarFeedRotated(ILogger logger, string userKey, string invocationId);

    [LoggerMessage(EventId = 1003, EventName = "CalendarFeedRevoked", Level = LogLevel.Information,
        Message = "Calendar feed links revoked (user {UserKey}, invocation {InvocationId})")]
    private static partial void LogCalendarFeedRevoked(ILogger logger, string userKey, string invocationId);

    [LoggerMessage(EventId = 1004, EventName = "ProfileChanged", Level = LogLevel.Information,
        Message = "Profile {Change} (version {Version}) (user {UserKey}, invocation {InvocationId})")]
    private static partial void LogProfileChanged(ILogger logger, string change, long version, string userKey, string invocationId);

    [LoggerMessage(EventId = 1005, EventName = "AuthFailures", Level = LogLevel.Warning,
        Message = "Requests refused since {Since:O}: {Missing} without credentials, {Invalid} with invalid tokens, {Forbidden} with tokens not allowed to use the API; by reason: {Reasons} (first invocation {FirstInvocationId})")]
    private static partial void LogAuthFailures(ILogger logger, int missing, int invalid, int forbidden, string reasons, DateTimeOffset since, string firstInvocationId);

    private readonly record struct AuthFailureTally(int Missing, int Invalid, int Forbidden, DateTimeOffset Since, string? FirstInvocationId)
    {
        public int Total => Missing + Invalid + Forbidden;

        public AuthFailureTally Add(AuthOutcome outcome) => outcome switch
        {
            AuthOutcome.Missing => this with { Missing = Missing + 1 },
            AuthOutcome.Invalid => this with { Invalid = Invalid + 1 },
            AuthOutcome.Forbidden => this with { Forbidden = Forbidden + 1 },
            _ => this,
        };
    }
}
