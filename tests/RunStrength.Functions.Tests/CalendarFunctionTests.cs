using NSubstitute;
using RunStrength.Planning;
using RunStrength.Planning.Plans;

namespace RunStrength.Functions.Tests;

public sealed class CalendarFunctionTests
{
    private readonly Api _api = new();

    [Fact]
    public async Task CreatingAFeedReturnsAnUnguessableUrl()
    {
        _api.WithProfile("alice");
        _api.Tokens.CreateOrRotateAsync("alice", Arg.Any<CancellationToken>()).Returns("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ");
        var request = TestHttp.Request("POST /api/me/calendar");

        var reply = await TestHttp.Execute(request, _api.CalendarFunctions.Create(request, default));

        Assert.Equal(200, reply.Status);
        Assert.Equal("https://api.test/api/calendar/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ.ics", reply.Json["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task FeedParsesBackIntoTheSameSessionsInTheUsersZone()
    {
        const string token = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
        _api.Tokens.ResolveAsync(token, Arg.Any<CancellationToken>()).Returns("alice");
        _api.WithProfile("alice", version: 3).WithPlan("alice", Api.ThisWeek).WithPlan("alice", Api.ThisWeek.Next());
        var expected = new[] { Api.Plan(Api.ThisWeek), Api.Plan(Api.ThisWeek.Next()) }
            .SelectMany(p => p.Sessions.Where(s => s.Kind != SessionKind.Rest).Select(s => (p.Week, Session: s))).ToList();
        var request = TestHttp.Request($"GET /api/calendar/{token}.ics", user: null);

        var reply = await TestHttp.Execute(request, _api.CalendarFunctions.Feed(request, token, default));
        var calendar = Ical.Net.Calendar.Load(reply.Body)!;

        Assert.Equal(200, reply.Status);
        Assert.StartsWith("text/calendar", reply.ContentType, StringComparison.Ordinal);
        Assert.Equal(expected.Count, calendar.Events.Count);
        foreach (var (week, session) in expected)
        {
            var uid = Calendar.IcsFeed.Uid(Storage.UserKey.For("alice").Value, week, session.Id);
            var e = Assert.Single(calendar.Events, e => e.Uid == uid);
            Assert.Equal(session.Title, e.Summary);
            Assert.Equal("Europe/Amsterdam", e.DtStart!.TzId);
            Assert.Equal(session.Date.ToDateOnly(), DateOnly.FromDateTime(e.DtStart.Value));
            Assert.Equal(Math.Max(session.DurationMinutes, 5), (int)e.Duration!.Value.ToTimeSpanUnspecified().TotalMinutes);
            Assert.Equal(1, e.Sequence);
        }
    }

    [Fact]
    public async Task SequenceRisesWithTheProfileVersionTheWeekWasBuiltFrom()
    {
        var plan = Api.Plan(Api.ThisWeek);
        var first = Calendar.IcsFeed.Build("key", "UTC", [plan]);
        var rebuilt = Calendar.IcsFeed.Build("key", "UTC", [plan with { ProfileVersion = 2 }]);

        Assert.All(Ical.Net.Calendar.Load(first)!.Events, e => Assert.Equal(1, e.Sequence));
        Assert.All(Ical.Net.Calendar.Load(rebuilt)!.Events, e => Assert.Equal(2, e.Sequence));
        Assert.Equal(Ical.Net.Calendar.Load(first)!.Events.Select(e => e.Uid), Ical.Net.Calendar.Load(rebuilt)!.Events.Select(e => e.Uid));
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
