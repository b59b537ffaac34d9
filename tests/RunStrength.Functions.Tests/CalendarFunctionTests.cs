using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using NSubstitute;
using RunStrength.Functions.Calendar;
using RunStrength.Planning;
using RunStrength.Planning.Plans;

namespace RunStrength.Functions.Tests;

public sealed class CalendarFunctionTests
{
    private const string FeedToken = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
    private readonly Api _api = new();

    /// <summary><see cref="FeedToken"/> is alice's, and she has a profile and this week's plan.</summary>
    private void AliceHasAFeedAndAPlan()
    {
        _api.Tokens.ResolveAsync(FeedToken, Arg.Any<CancellationToken>()).Returns("alice");
        _api.WithProfile("alice").WithPlan("alice", Api.ThisWeek);
    }

    [Fact]
    public async Task CreatingAFeedReturnsAUrlWithTheTokenOnlyInTheQuery()
    {
        _api.WithProfile("alice");
        _api.Tokens.CreateOrRotateAsync("alice", Arg.Any<CancellationToken>()).Returns(FeedToken);
        var request = TestHttp.Request("POST /api/me/calendar");

        var reply = await TestHttp.Execute(request, _api.CalendarFunctions.Create(request, default));
        var url = new Uri(reply.Json["url"]!.GetValue<string>());

        Assert.Equal(200, reply.Status);
        Assert.Equal("https://api.test/api/calendar/feed.ics?token=" + FeedToken, url.AbsoluteUri);
        Assert.Equal("/api/calendar/feed.ics", url.AbsolutePath);
        Assert.DoesNotContain(FeedToken, url.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheIssuedUrlUsesThePublicBaseUrlWhenOneIsSet()
    {
        var settings = Api.CalendarSettings();
        settings.PublicBaseUrl = new Uri("https://gateway.example/");
        var functions = new CalendarFunctions(TestHttp.Authenticator(), _api.Audit, _api.Tokens, _api.Profiles, _api.Plans, _api.Clock, Options.Create(settings));
        _api.WithProfile("alice");
        _api.Tokens.CreateOrRotateAsync("alice", Arg.Any<CancellationToken>()).Returns(FeedToken);
        var request = TestHttp.Request("POST /api/me/calendar");

        var reply = await TestHttp.Execute(request, functions.Create(request, default));

        Assert.Equal("https://gateway.example/api/calendar/feed.ics?token=" + FeedToken, reply.Json["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheQueryRouteServesTheFeedOfTheTokenInTheQuery()
    {
        AliceHasAFeedAndAPlan();
        var request = TestHttp.Request($"GET /api/calendar/feed.ics?token={FeedToken}", user: null);

        var reply = await TestHttp.Execute(request, _api.CalendarFunctions.Feed(request, default));

        Assert.Equal(200, reply.Status);
        Assert.StartsWith("text/calendar", reply.ContentType, StringComparison.Ordinal);
        Assert.Equal(Api.Plan(Api.ThisWeek).Sessions.Count(s => s.Kind != SessionKind.Rest), Ical.Net.Calendar.Load(reply.Body)!.Events.Count);
        await _api.Tokens.Received(1).ResolveAsync(FeedToken, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task TheDeprecatedPathRouteStillServesTheSameFeed()
    {
        AliceHasAFeedAndAPlan();
        var byPath = TestHttp.Request($"GET /api/calendar/{FeedToken}.ics", user: null);
        var byQuery = TestHttp.Request($"GET /api/calendar/feed.ics?token={FeedToken}", user: null);

        var old = await TestHttp.Execute(byPath, _api.CalendarFunctions.Feed(byPath, FeedToken, default));
        var current = await TestHttp.Execute(byQuery, _api.CalendarFunctions.Feed(byQuery, default));

        Assert.Equal(200, old.Status);
        Assert.StartsWith("text/calendar", old.ContentType, StringComparison.Ordinal);
        Assert.Equal(current.Body, old.Body);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?token=")]
    [InlineData("?token=%20%20%20")]
    [InlineData("?token=short")]
    [InlineData("?tokens=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    [InlineData("?token=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ&token=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    [InlineData("?token=%00%F0%9F%92%A9%ED%A0%80abcdefghijklmnopqrstuvwxyz")]
    [InlineData("?token=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public async Task AMissingBlankRepeatedOrUnknownQueryTokenIs404AndEchoesNothing(string query)
    {
        AliceHasAFeedAndAPlan();
        var request = TestHttp.Request("GET /api/calendar/feed.ics" + query, user: null);

        var reply = await TestHttp.Execute(request, _api.CalendarFunctions.Feed(request, default));

        Assert.Equal(404, reply.Status);
        Assert.Equal("application/problem+json", reply.ContentType);
        Assert.Contains("Unknown or revoked calendar link.", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdefghijklmnopqrstuvwxyz", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("zzzzzzzz", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("short", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FeedParsesBackIntoTheSameSessionsInTheUsersZone()
    {
        const string token = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
        _api.Tokens.ResolveAsync(token, Arg.Any<CancellationToken>()).Returns("alice");
        _api.WithProfile("alice", version: 3).WithPlan("alice", Api.ThisWeek).WithPlan("alice", Api.ThisWeek.Next());
        var expected = new[] { Api.Plan(Api.ThisWeek), Api.Plan(Api.ThisWeek.Next()) }
            .SelectMany(p => p.Sessions.Where(s => s.Kind != SessionKind.Rest).Select(s => (p.Week, Session: s))).ToList();
        var request = TestHttp.Request($"GET /api/calendar/feed.ics?token={token}", user: null);

        var reply = await TestHttp.Execute(request, _api.CalendarFunctions.Feed(request, default));
        var calendar = Ical.Net.Calendar.Load(reply.Body)!;

        Assert.Equal(200, reply.Status);
        Assert.StartsWith("text/calendar", reply.ContentType, StringComparison.Ordinal);
        Assert.Equal(expected.Count, calendar.Events.Count);
        foreach (var (week, session) in expected)
        {
            var uid = IcsFeed.Uid(IcsFeed.UserTag(Api.CalendarSettings().UidKey(), Storage.UserKey.For("alice")), week, session.Id);
            var e = Assert.Single(calendar.Events, e => e.Uid == uid);
            Assert.Equal(session.Title, e.Summary);
            Assert.Equal("Europe/Amsterdam", e.DtStart!.TzId);
            Assert.Equal(session.Date.ToDateOnly(), DateOnly.FromDateTime(e.DtStart.Value));
            Assert.Equal(Math.Max(session.DurationMinutes, 5), (int)e.Duration!.Value.ToTimeSpanUnspecified().TotalMinutes);
            Assert.Equal(1, e.Sequence);
        }
    }

    [Fact]
    public async Task EventUidsHoldNoHashOfTheUserIdAndStayTheSameFeedAfterFeed()
    {
        const string token = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
        _api.Tokens.ResolveAsync(token, Arg.Any<CancellationToken>()).Returns("alice");
        _api.WithProfile("alice").WithPlan("alice", Api.ThisWeek);

        async Task<List<string>> Uids()
        {
            var request = TestHttp.Request($"GET /api/calendar/feed.ics?token={token}", user: null);
            var reply = await TestHttp.Execute(request, _api.CalendarFunctions.Feed(request, default));
            return [.. Ical.Net.Calendar.Load(reply.Body)!.Events.Select(e => e.Uid!)];
        }

        var first = await Uids();
        var again = await Uids();

        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("alice"u8));
        Assert.NotEmpty(first);
        Assert.Equal(first, again);
        Assert.All(first, uid => Assert.DoesNotContain(sha256[..12], uid, StringComparison.OrdinalIgnoreCase));
        Assert.All(first, uid => Assert.DoesNotContain("alice", uid, StringComparison.Ordinal));
        Assert.Equal(first.Count, first.Distinct().Count());
    }

    [Fact]
    public void TheUserPartOfAUidDependsOnTheServersKey()
    {
        var user = Storage.UserKey.For("alice");
        var other = Convert.ToBase64String(new byte[32]);

        Assert.Equal(32, IcsFeed.UserTag(Api.CalendarSettings().UidKey(), user).Length);
        Assert.Equal(IcsFeed.UserTag(Api.CalendarSettings().UidKey(), user), IcsFeed.UserTag(Api.CalendarSettings().UidKey(), user));
        Assert.NotEqual(IcsFeed.UserTag(Api.CalendarSettings().UidKey(), user), IcsFeed.UserTag(Convert.FromBase64String(other), user));
        Assert.NotEqual(IcsFeed.UserTag(Api.CalendarSettings().UidKey(), user), IcsFeed.UserTag(Api.CalendarSettings().UidKey(), Storage.UserKey.For("bob")));
    }

    [Fact]
    public async Task WithoutAUidKeyFeedsAre503()
    {
        var functions = new CalendarFunctions(TestHttp.Authenticator(), _api.Audit, _api.Tokens, _api.Profiles, _api.Plans, _api.Clock,
            Options.Create(new CalendarOptions { UidSecretKey = "@Microsoft.KeyVault(VaultName=kv;SecretName=calendar-uid-key)" }));
        _api.WithProfile("alice");
        var create = TestHttp.Request("POST /api/me/calendar");
        var feed = TestHttp.Request("GET /api/calendar/feed.ics?token=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ", user: null);

        Assert.Equal(503, (await TestHttp.Execute(create, functions.Create(create, default))).Status);
        Assert.Equal(503, (await TestHttp.Execute(feed, functions.Feed(feed, default))).Status);
        await _api.Tokens.DidNotReceiveWithAnyArgs().CreateOrRotateAsync(default!, default);
    }

    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    public void TheRepositorysUidKeyStartsOnlyInDevelopment(string environment, bool starts)
    {
        var committed = JsonNode.Parse(File.ReadAllText(Path.Combine(RunStrength.Testing.RepositoryPaths.Root, "src", "RunStrength.Functions", "local.settings.json")))!["Values"]!["Calendar__UidSecretKey"]!.GetValue<string>();
        Assert.Equal(CalendarOptions.RepositoryDevelopmentKey, committed);

        CalendarOptions Resolve(string key)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Calendar:UidSecretKey"] = key }).Build();
            using var services = new ServiceCollection()
                .AddSingleton<IConfiguration>(configuration)
                .AddRunStrengthCalendar(new HostingEnvironment { EnvironmentName = environment })
                .BuildServiceProvider();
            return services.GetRequiredService<IOptions<CalendarOptions>>().Value;
        }

        var failure = Record.Exception(() => Resolve(committed));

        Assert.Equal(starts, failure is null);
        Assert.True(starts || failure!.Message.Contains("published development key", StringComparison.Ordinal), failure?.Message);
        Assert.Equal(Api.CalendarSettings().UidSecretKey, Resolve(Api.CalendarSettings().UidSecretKey!).UidSecretKey);
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Resolve("c2hvcnQ="));
    }

    [Fact]
    public async Task SequenceRisesWithTheProfileVersionTheWeekWasBuiltFrom()
    {
        var plan = Api.Plan(Api.ThisWeek);
        var first = IcsFeed.Build("key", "UTC", [plan]);
        var rebuilt = IcsFeed.Build("key", "UTC", [plan with { ProfileVersion = 2 }]);

        Assert.All(Ical.Net.Calendar.Load(first)!.Events, e => Assert.Equal(1, e.Sequence));
        Assert.All(Ical.Net.Calendar.Load(rebuilt)!.Events, e => Assert.Equal(2, e.Sequence));
        Assert.Equal(Ical.Net.Calendar.Load(first)!.Events.Select(e => e.Uid), Ical.Net.Calendar.Load(rebuilt)!.Events.Select(e => e.Uid));
    }

    [Fact]
    public async Task RevokingIs204AndIssuesNothing()
    {
        var request = TestHttp.Request("DELETE /api/me/calendar");

        var reply = await TestHttp.Execute(request, _api.CalendarFunctions.Revoke(request, default));

        Assert.Equal(204, reply.Status);
        await _api.Tokens.Received(1).RevokeAsync("alice", Arg.Any<CancellationToken>());
        await _api.Tokens.DidNotReceiveWithAnyArgs().CreateOrRotateAsync(default!, default);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")]
    public async Task UnknownTokenIs404(string token)
    {
        var request = TestHttp.Request($"GET /api/calendar/{token}.ics", user: null);

        Assert.Equal(404, (await TestHttp.Execute(request, _api.CalendarFunctions.Feed(request, token, default))).Status);
    }
}
