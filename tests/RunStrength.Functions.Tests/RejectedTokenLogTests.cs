using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RunStrength.Functions.Auth;

namespace RunStrength.Functions.Tests;

/// <summary>Rejected tokens are Debug lines and a summary per interval, never an Information line each.</summary>
public sealed class RejectedTokenLogTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<JwtAuthenticator> _logger = new();

    /// <summary>A real token for alice with one signature character changed.</summary>
    private static readonly string Forged = Tamper(TestHttp.Token("alice"));

    private static string Tamper(string token) => token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

    private static async Task<AuthOutcome> Check(JwtAuthenticator authenticator, string token)
    {
        var request = TestHttp.Request("GET /api/me/profile", user: null);
        request.Headers.Authorization = "Bearer " + token;
        return (await authenticator.CheckAsync(request)).Outcome;
    }

    private List<FakeLogRecord> Loud => _logger.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Information).ToList();

    [Fact]
    public async Task AHundredRejectedTokensWriteDebugLinesAndOneSummaryPerInterval()
    {
        var authenticator = new JwtAuthenticator(Options.Create(TestHttp.AuthOptions()), _logger, clock: _clock);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(AuthOutcome.Invalid, await Check(authenticator, Forged));
            _clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal(100, _logger.Collector.GetSnapshot().Count(r => r.Level == LogLevel.Debug));
        var first = Assert.Single(Loud);
        Assert.Equal(LogLevel.Information, first.Level);
        Assert.Equal("1", first.GetStructuredStateValue("Count"));

        // Past the interval, the next rejection sums up the 99 held back and itself.
        _clock.Advance(RejectedTokenLog.SummaryInterval);
        Assert.Equal(AuthOutcome.Invalid, await Check(authenticator, Forged));

        Assert.Equal(2, Loud.Count);
        Assert.Equal("100", Loud[1].GetStructuredStateValue("Count"));
        Assert.Equal("SecurityTokenSignatureKeyNotFound 100", Loud[1].GetStructuredStateValue("Reasons"));
        Assert.All(_logger.Collector.GetSnapshot(), r => Assert.DoesNotContain(Forged.Split('.')[2][..20], r.Message + r.Exception, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidTokensAreNotCounted()
    {
        var authenticator = new JwtAuthenticator(Options.Create(TestHttp.AuthOptions()), _logger, clock: _clock);

        Assert.Equal(AuthOutcome.Authenticated, await Check(authenticator, TestHttp.Token("alice")));

        Assert.Empty(_logger.Collector.GetSnapshot());
    }

    [Fact]
    public void KeysThatCannotBeFetchedAreSummedUpAsAWarning()
    {
        var log = new RejectedTokenLog(_logger, _clock);

        log.Record(RejectedTokenLog.MetadataUnavailable);
        log.Record("SecurityTokenExpired");
        _clock.Advance(RejectedTokenLog.SummaryInterval);
        log.Record("SecurityTokenExpired");

        Assert.Equal([LogLevel.Warning, LogLevel.Information], Loud.Select(r => r.Level));
        Assert.Equal("SecurityTokenExpired 2", Loud[1].GetStructuredStateValue("Reasons"));
    }
}
