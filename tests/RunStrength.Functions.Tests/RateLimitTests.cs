using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Auth;
using RunStrength.Functions.RateLimits;

namespace RunStrength.Functions.Tests;

/// <summary>
/// The worker's token buckets, driven through the same authentication the app runs first. Buckets
/// refill once an hour here, so nothing comes back during a test: counts, never timings.
/// </summary>
public sealed class RateLimitTests : IAsyncDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly AuthenticationMiddleware _authentication = new(TestHttp.Authenticator(), Options.Create(TestHttp.AuthOptions()), TestHttp.Production, new AuditLog(NullLoggerFactory.Instance, new FakeTimeProvider()));
    private readonly RateLimitMiddleware _limits = new(Options.Create(new RateLimitOptions
    {
        User = new() { TokenLimit = 5, TokensPerPeriod = 5, Period = Hour },
        Sensitive = new() { TokenLimit = 2, TokensPerPeriod = 2, Period = Hour },
        Channels = new() { TokenLimit = 3, TokensPerPeriod = 3, Period = Hour },
        Anonymous = new() { TokenLimit = 3, TokensPerPeriod = 3, Period = Hour },
    }));

    public ValueTask DisposeAsync() => _limits.DisposeAsync();

    /// <summary>One call as the app makes it: authentication, then the limiter. The status the client would see, 200 standing for "reached the handler".</summary>
    private async Task<(int Status, HttpRequest Request)> Call(string function, string method, string? user, params (string, string)[] headers)
    {
        var route = TestHttp.RouteOf(function);
        Assert.StartsWith(method + " ", route, StringComparison.Ordinal);
        var request = TestHttp.Request(route, user, headers: headers);
        var refusal = await _authentication.GateAsync(function, request.HttpContext) ?? _limits.Admit(function, request.HttpContext);
        if (refusal is null)
        {
            return (200, request);
        }

        var reply = await TestHttp.Execute(request, Task.FromResult(refusal));
        return (reply.Status, request);
    }

    [Fact]
    public async Task CalendarRevocationDrawsOnTheSameBucketAsRotation()
    {
        Assert.Equal(200, (await Call("CreateCalendarFeed", "POST", "alice")).Status);
        Assert.Equal(200, (await Call("CreateCalendarFeed", "POST", "alice")).Status);

        Assert.Equal(429, (await Call("DeleteCalendarFeed", "DELETE", "alice")).Status);
    }

    [Fact]
    public async Task OneUserBurstingPastTheLimitGets429WithRetryAfterWhileAnotherIsServed()
    {
        var alice = new List<int>();
        var bob = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            alice.Add((await Call("GetProfile", "GET", "alice")).Status);
            if (i % 2 == 0)
            {
                bob.Add((await Call("GetProfile", "GET", "bob")).Status);
            }
        }

        Assert.Equal([200, 200, 200, 200, 200, 429, 429, 429], alice);
        Assert.All(bob, status => Assert.Equal(200, status));
        var (status, request) = await Call("GetPlanByWeek", "GET", "alice");
        Assert.Equal(429, status);
        Assert.Equal("3600", request.HttpContext.Response.Headers.RetryAfter.ToString());
        Assert.Equal(Http.Problems.ContentType, request.HttpContext.Response.ContentType);
    }

    [Theory]
    [InlineData("PutProfile", "PUT")]
    [InlineData("DeleteMe", "DELETE")]
    [InlineData("CreateCalendarFeed", "POST")]
    [InlineData("DeleteCalendarFeed", "DELETE")]
    public async Task SignUpEraseAndCalendarRotationHaveATighterBucket(string function, string method)
    {
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await Call(function, method, "alice")).Status);
        }

        Assert.Equal([200, 200, 429], statuses);
        Assert.Equal(200, (await Call("GetProfile", "GET", "alice")).Status);
        Assert.Equal(200, (await Call(function, method, "bob")).Status);
    }

    [Theory]
    [InlineData("PutWebhook", "PUT")]
    [InlineData("TestWebhook", "POST")]
    [InlineData("PutDevice", "PUT")]
    public async Task WebhookAndDeviceRegistrationHaveATighterBucket(string function, string method)
    {
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await Call(function, method, "alice")).Status);
        }

        Assert.Equal([200, 200, 200, 429], statuses);
        Assert.Equal(200, (await Call("GetProfile", "GET", "alice")).Status);
        Assert.Equal(200, (await Call(function, method, "bob")).Status);
    }

    [Fact]
    public async Task WebhookAndDeviceRegistrationShareOneBucketApartFromSignUp()
    {
        Assert.Equal(200, (await Call("PutWebhook", "PUT", "alice")).Status);
        Assert.Equal(200, (await Call("TestWebhook", "POST", "alice")).Status);
        Assert.Equal(200, (await Call("PutDevice", "PUT", "alice")).Status);

        // The fifth call is the last the user bucket holds: a sign-up still gets it.
        Assert.Equal(429, (await Call("PutDevice", "PUT", "alice")).Status);
        Assert.Equal(200, (await Call("PutProfile", "PUT", "alice")).Status);
    }

    [Fact]
    public async Task AnonymousRoutesAreLimitedPerClientAddress()
    {
        var first = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            first.Add((await Call("GetHealth", "GET", null, ("X-Forwarded-For", "203.0.113.7"))).Status);
        }

        Assert.Equal([200, 200, 200, 429], first);
        Assert.Equal(200, (await Call("GetHealth", "GET", null, ("X-Forwarded-For", "198.51.100.2"))).Status);

        // Only the last hop counts: what the client writes in front of it changes nothing.
        Assert.Equal(429, (await Call("ListExercises", "GET", null, ("X-Forwarded-For", "10.9.9.9, 203.0.113.7"))).Status);
    }

    [Fact]
    public async Task BothCalendarFeedRoutesDrawOnTheCallersAnonymousBucket()
    {
        var statuses = new List<int>();
        foreach (var function in new[] { "GetCalendarFeed", "GetCalendarFeedByPath", "GetCalendarFeed", "GetCalendarFeedByPath" })
        {
            statuses.Add((await Call(function, "GET", null, ("X-Forwarded-For", "203.0.113.9"))).Status);
        }

        Assert.Equal([200, 200, 200, 429], statuses);
        Assert.Equal(200, (await Call("GetCalendarFeed", "GET", null, ("X-Forwarded-For", "198.51.100.9"))).Status);
    }

    [Fact]
    public async Task UnauthenticatedCallsAreRefusedBeforeTheyCountAgainstAnyone()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(401, (await Call("GetProfile", "GET", null)).Status);
        }

        Assert.Equal(200, (await Call("GetProfile", "GET", "alice")).Status);
    }

    [Fact]
    public async Task DisabledLimitsAdmitEverything()
    {
        await using var off = new RateLimitMiddleware(Options.Create(new RateLimitOptions { Enabled = false, User = new() { TokenLimit = 1, TokensPerPeriod = 1, Period = Hour } }));
        var request = TestHttp.Request("GET", "alice");
        await _authentication.GateAsync("GetProfile", request.HttpContext);

        Assert.All(Enumerable.Range(0, 5), _ => Assert.Null(off.Admit("GetProfile", request.HttpContext)));
    }

    [Fact]
    public void ABucketWithoutTokensIsRejectedAtStartup()
    {
        var options = new RateLimitOptions { Sensitive = new() { TokenLimit = 0, TokensPerPeriod = 1, Period = Hour } };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(RateLimitOptions.Sensitive)));
    }
}
