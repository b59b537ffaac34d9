using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using NSubstitute;
using RunStrength.DevToken;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Auth;
using RunStrength.Planning.Profiles;
using RunStrength.Storage;
using RunStrength.Testing;

namespace RunStrength.Functions.Tests;

/// <summary>The real handlers write each security event once, by user key and invocation, never by user id.</summary>
public sealed class AuditTests
{
    private const string UserId = "runner-7f3c@example.test";
    private const string Invocation = "5b0e1c7a-0f7d-4d51-9d2c-audit-test";
    private readonly Api _api = new();

    private static Microsoft.AspNetCore.Http.HttpRequest Request(string route, string? body = null) =>
        TestHttp.Request(route, UserId, body, headers: (AuditLog.InvocationHeader, Invocation));

    [Fact]
    public async Task ErasingAUserIsAuditedOnceByKeyAndInvocation()
    {
        _api.Eraser.EraseAsync(UserId, Arg.Any<CancellationToken>()).Returns(7);
        var request = Request("DELETE /api/me");

        Assert.Equal(204, (await TestHttp.Execute(request, _api.AccountFunctions.Delete(request, default))).Status);

        var record = AssertOneEvent("UserErased", 1001);
        Assert.Equal("7", record.GetStructuredStateValue("Rows"));
    }

    [Fact]
    public async Task IssuingACalendarLinkIsAuditedOnceByKeyAndInvocation()
    {
        _api.WithProfile(UserId);
        _api.Tokens.CreateOrRotateAsync(UserId, Arg.Any<CancellationToken>()).Returns("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ");
        var request = Request("POST /api/me/calendar");

        Assert.Equal(200, (await TestHttp.Execute(request, _api.CalendarFunctions.Create(request, default))).Status);

        var record = AssertOneEvent("CalendarFeedRotated", 1002);
        Assert.DoesNotContain("abcdefghijklmnopqrstuvwxyz", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokingCalendarLinksIsAuditedOnceByKeyAndInvocation()
    {
        var request = Request("DELETE /api/me/calendar");

        Assert.Equal(204, (await TestHttp.Execute(request, _api.CalendarFunctions.Revoke(request, default))).Status);

        AssertOneEvent("CalendarFeedRevoked", 1003);
    }

    [Fact]
    public async Task CreatingAProfileIsAuditedOnce()
    {
        _api.Profiles.CreateAsync(UserId, Arg.Any<Profile>(), Arg.Any<CancellationToken>()).Returns(new WriteResult(WriteOutcome.Created, "e", 1));
        var request = Request("PUT /api/me/profile", Api.ProfileBody);

        Assert.Equal(201, (await TestHttp.Execute(request, _api.ProfileFunctions.Put(request, default))).Status);

        var record = AssertOneEvent("ProfileChanged", 1004);
        Assert.Equal(("created", "1"), (record.GetStructuredStateValue("Change"), record.GetStructuredStateValue("Version")));
    }

    [Fact]
    public async Task ReplacingAProfileIsAuditedOnceAndPuttingTheSameOneIsNot()
    {
        _api.WithProfile(UserId, version: 4);
        _api.Profiles.ReplaceAsync(Arg.Any<StoredProfile>(), Arg.Any<Profile>(), Arg.Any<CancellationToken>()).Returns(new WriteResult(WriteOutcome.Updated, "e", 5));
        var same = Request("PUT /api/me/profile", Api.ProfileBody);
        await TestHttp.Execute(same, _api.ProfileFunctions.Put(same, default));
        Assert.Empty(_api.AuditRecords.GetSnapshot());

        var changed = Request("PUT /api/me/profile", Api.ProfileBody.Replace("\"balanced\"", "\"muscle\"", StringComparison.Ordinal));
        Assert.Equal(200, (await TestHttp.Execute(changed, _api.ProfileFunctions.Put(changed, default))).Status);

        var record = AssertOneEvent("ProfileChanged", 1004);
        Assert.Equal(("replaced", "5"), (record.GetStructuredStateValue("Change"), record.GetStructuredStateValue("Version")));
    }

    [Fact]
    public async Task PatchingAProfileIsAuditedOnce()
    {
        _api.WithProfile(UserId, version: 4);
        _api.Profiles.ReplaceAsync(Arg.Any<StoredProfile>(), Arg.Any<Profile>(), Arg.Any<CancellationToken>()).Returns(new WriteResult(WriteOutcome.Updated, "e", 5));
        var request = Request("PATCH /api/me/profile", """{ "goal": "muscle" }""");
        request.ContentType = "application/merge-patch+json";

        Assert.Equal(200, (await TestHttp.Execute(request, _api.ProfileFunctions.Patch(request, default))).Status);

        var record = AssertOneEvent("ProfileChanged", 1004);
        Assert.Equal(("patched", "5"), (record.GetStructuredStateValue("Change"), record.GetStructuredStateValue("Version")));
    }

    [Fact]
    public async Task RefusedRequestsAreCountedIntoOneEventAMinute()
    {
        var middleware = new AuthenticationMiddleware(TestHttp.Authenticator(), Options.Create(TestHttp.AuthOptions()), TestHttp.Production, _api.Audit);
        var wrongScope = DevTokens.Mint(TestHttp.Settings with { Scope = "other.scope" }, UserId, TimeSpan.FromHours(1));
        async Task Send(string? authorization, string invocation)
        {
            var request = TestHttp.Request("GET /api/me/profile", user: null, headers: (AuditLog.InvocationHeader, invocation));
            if (authorization is not null)
            {
                request.Headers.Authorization = authorization;
            }

            await middleware.GateAsync("GetProfile", request.HttpContext);
        }

        await Send(null, "first");
        await Send("Bearer not-a-token", "second");
        await Send("Bearer not-a-token", "third");
        await Send($"Bearer {wrongScope}", "fourth");
        await Send($"Bearer {TestHttp.Token(UserId)}", "allowed");
        await Send(null, "fifth");
        _api.Clock.Advance(AuditLog.AuthFailureWindow - TimeSpan.FromSeconds(1));
        Assert.Empty(_api.AuditRecords.GetSnapshot());

        _api.Clock.Advance(TimeSpan.FromSeconds(1));

        var record = Assert.Single(_api.AuditRecords.GetSnapshot());
        Assert.Equal((AuditLog.Category, "AuthFailures", 1005, LogLevel.Warning), (record.Category, record.Id.Name, record.Id.Id, record.Level));
        Assert.Equal(("2", "2", "1"), (record.GetStructuredStateValue("Missing"), record.GetStructuredStateValue("Invalid"), record.GetStructuredStateValue("Forbidden")));
        Assert.Equal("first", record.GetStructuredStateValue("FirstInvocationId"));
        Assert.Equal("SecurityTokenMalformed 2, insufficient-scope 1, missing 2", record.GetStructuredStateValue("Reasons"));
        Assert.DoesNotContain(UserId, record.Message, StringComparison.Ordinal);

        // The next failure opens a new window; one still open when the app stops is reported then.
        await Send("Bearer not-a-token", "sixth");
        _api.Audit.Dispose();
        var next = _api.AuditRecords.LatestRecord;
        Assert.Equal(2, _api.AuditRecords.Count);
        Assert.Equal(("0", "1", "0", "sixth"), (next.GetStructuredStateValue("Missing"), next.GetStructuredStateValue("Invalid"), next.GetStructuredStateValue("Forbidden"), next.GetStructuredStateValue("FirstInvocationId")));
    }

    [Fact]
    public void HostJsonKeepsAuditEventsAtInformationAndUnsampled()
    {
        var logging = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!["logging"]!;

        // In Azure the worker's lines reach the host as Function.<name>.User; locally LocalHost filters by the worker's category.
        Assert.Equal("Information", logging["logLevel"]![AuditLog.Category]!.GetValue<string>());
        Assert.Equal("Information", logging["logLevel"]!["Function"]!.GetValue<string>());
        var sampling = logging["applicationInsights"]!["samplingSettings"]!;
        Assert.Contains("Trace", sampling["excludedTypes"]!.GetValue<string>().Split(';'));
    }

    private FakeLogRecord AssertOneEvent(string name, int id)
    {
        var record = Assert.Single(_api.AuditRecords.GetSnapshot());
        Assert.Equal((AuditLog.Category, name, id, LogLevel.Information), (record.Category, record.Id.Name, record.Id.Id, record.Level));
        Assert.Equal(UserKey.For(UserId).Value, record.GetStructuredStateValue("UserKey"));
        Assert.Equal(Invocation, record.GetStructuredStateValue("InvocationId"));
        Assert.DoesNotContain(UserId, record.Message, StringComparison.Ordinal);
        Assert.All(record.StructuredState!, pair => Assert.DoesNotContain(UserId, pair.Value ?? "", StringComparison.Ordinal));
        return record;
    }
}
