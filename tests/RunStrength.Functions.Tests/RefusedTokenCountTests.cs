using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Auth;

namespace RunStrength.Functions.Tests;

/// <summary>
/// A refused token is counted in one place, the audit log's <c>AuthFailures</c> event, by outcome
/// and reason; the authenticator writes only a Debug line per token, never a line of its own above Debug.
/// </summary>
public sealed class RefusedTokenCountTests
{
    private readonly Api _api = new();
    private readonly FakeLogger<JwtAuthenticator> _authenticatorLog = new();

    /// <summary>A real token for alice with one signature character changed.</summary>
    private static readonly string Forged = Tamper(TestHttp.Token("alice"));

    private static string Tamper(string token) => token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];

    private AuthenticationMiddleware Middleware() =>
        new(new JwtAuthenticator(Options.Create(TestHttp.AuthOptions()), _authenticatorLog), Options.Create(TestHttp.AuthOptions()), TestHttp.Production, _api.Audit);

    private static async Task Send(AuthenticationMiddleware middleware, string authorization)
    {
        var request = TestHttp.Request("GET /api/me/profile", user: null);
        request.Headers.Authorization = authorization;
        Assert.NotNull(await middleware.GateAsync("GetProfile", request.HttpContext));

        // A handler asking again (as the calendar and profile handlers do) reuses the result and counts nothing more.
        Assert.Null(await TestHttp.Authenticator().AuthenticateAsync(request));
    }

    [Fact]
    public async Task AHundredForgedTokensAreOneDebugLineEachAndOneCountInOneAuditEvent()
    {
        var middleware = Middleware();

        for (var i = 0; i < 100; i++)
        {
            await Send(middleware, "Bearer " + Forged);
            _api.Clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        _api.Clock.Advance(AuditLog.AuthFailureWindow);

        var lines = _authenticatorLog.Collector.GetSnapshot();
        Assert.Equal(100, lines.Count);
        Assert.All(lines, line => Assert.Equal(LogLevel.Debug, line.Level));
        Assert.All(lines, line => Assert.Equal("SecurityTokenSignatureKeyNotFound", line.GetStructuredStateValue("Reason")));
        var audit = Assert.Single(_api.AuditRecords.GetSnapshot());
        Assert.Equal(("AuthFailures", LogLevel.Warning), (audit.Id.Name, audit.Level));
        Assert.Equal(("0", "100", "0"), (audit.GetStructuredStateValue("Missing"), audit.GetStructuredStateValue("Invalid"), audit.GetStructuredStateValue("Forbidden")));
        Assert.Equal("SecurityTokenSignatureKeyNotFound 100", audit.GetStructuredStateValue("Reasons"));
        Assert.All(lines.Append(audit), r => Assert.DoesNotContain(Forged.Split('.')[2][..20], r.Message + r.Exception, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidTokensAreNeitherLoggedNorCounted()
    {
        var request = TestHttp.Request("GET /api/me/profile");

        Assert.Null(await Middleware().GateAsync("GetProfile", request.HttpContext));
        _api.Clock.Advance(AuditLog.AuthFailureWindow);

        Assert.Empty(_authenticatorLog.Collector.GetSnapshot());
        Assert.Empty(_api.AuditRecords.GetSnapshot());
    }

    [Fact]
    public void KeysThatCannotBeFetchedShowAsTheirOwnReason()
    {
        var request = TestHttp.Request("GET /api/me/profile", user: null);

        _api.Audit.AuthFailed(request, AuthResult.Invalid(JwtAuthenticator.MetadataUnavailable));
        _api.Audit.AuthFailed(request, AuthResult.Invalid("SecurityTokenExpired"));
        _api.Audit.AuthFailed(request, AuthResult.Invalid(JwtAuthenticator.MetadataUnavailable));
        _api.Clock.Advance(AuditLog.AuthFailureWindow);

        var record = Assert.Single(_api.AuditRecords.GetSnapshot());
        Assert.Equal(("3", "SecurityTokenExpired 1, metadata-unavailable 2"), (record.GetStructuredStateValue("Invalid"), record.GetStructuredStateValue("Reasons")));
    }

}
