using System.Globalization;
using Microsoft.Extensions.Logging;

namespace RunStrength.Functions.Auth;

/// <summary>
/// Rejected bearer tokens, counted instead of logged one line each: a client retrying an expired
/// token, or someone spraying forged ones, would otherwise write a line per request and pay for it
/// in telemetry. Each rejection is a Debug line with its reason; an Information line (a Warning
/// when the identity provider's metadata could not be fetched) sums them up, by reason, at most
/// once per <see cref="SummaryInterval"/>. The first rejection after a quiet interval is summed up at
/// once; the rest wait for the next rejection after the interval. No token or user id is logged.
/// </summary>
public sealed partial class RejectedTokenLog(ILogger logger, TimeProvider clock)
{
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromMinutes(1);

    /// <summary>The reason given when the token could not be judged because the metadata or keys could not be fetched.</summary>
    public const string MetadataUnavailable = "metadata-unavailable";

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, int> _reasons = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastSummary;
    private int _count;

    /// <param name="reason">Short and from a fixed set (an exception type, <c>insufficient-scope</c>...): never token content.</param>
    public void Record(string reason, Exception? detail = null)
    {
        LogRejected(logger, reason, detail);
        (int Count, string Reasons, bool Metadata)? summary = null;
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            _count++;
            _reasons[reason] = _reasons.GetValueOrDefault(reason) + 1;
            if (_lastSummary is not { } last || now - last >= SummaryInterval)
            {
                summary = (_count, string.Join(", ", _reasons.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value}"))), _reasons.ContainsKey(MetadataUnavailable));
                _lastSummary = now;
                _count = 0;
                _reasons.Clear();
            }
        }

        if (summary is { } s)
        {
            LogSummary(logger, s.Metadata ? LogLevel.Warning : LogLevel.Information, s.Count, s.Reasons);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bearer token rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason, Exception? detail);

    [LoggerMessage(Message = "Bearer tokens rejected since the last summary: {Count} ({Reasons})")]
    private static partial void LogSummary(ILogger logger, LogLevel level, int count, string reasons);
}
