using Microsoft.Extensions.Options;
using NSubstitute;
using RunStrength.Functions.Plans;
using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Storage;

namespace RunStrength.Functions.Tests;

public sealed class PlanFunctionTests
{
    private readonly Api _api = new();

    private Task<Reply> Week(string which, string user = "alice")
    {
        var request = TestHttp.Request($"GET /api/me/plans/{which}", user);
        return TestHttp.Execute(request, _api.PlanFunctions.Week(request, which, default));
    }

    [Theory]
    [InlineData("Europe/Amsterdam", "current", "2026-W49")]
    [InlineData("Europe/Amsterdam", "next", "2026-W50")]
    [InlineData("Pacific/Kiritimati", "current", "2026-W49")]
    public async Task CurrentAndNextFollowTheCallersTimeZone(string zone, string which, string expectedWeek)
    {
        _api.WithProfile("alice", profile: Api.Profile(zone)).WithPlan("alice", IsoWeek.Parse(expectedWeek));

        var reply = await Week(which);

        Assert.Equal(200, reply.Status);
        Assert.Equal(expectedWeek, reply.Json["week"]!.GetValue<string>());
        Assert.Equal("mon", reply.Json["sessions"]![0]!["day"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("9999-W01")]
    [InlineData("9998-W52")]
    [InlineData("0001-W01")]
    public async Task WeeksOutsideTheSupportedYearsAre400NotA500(string week)
    {
        _api.WithProfile("alice");

        var reply = await Week(week);

        Assert.Equal(400, reply.Status);
        Assert.Equal(["week"], reply.ErrorFields);
    }

    [Fact]
    public async Task WeekBoundaryIsTheCallersMidnightNotUtc()
    {
        // Sunday 6 December 2026, 12:00 UTC is already Monday in Kiritimati (UTC+14).
        _api.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        _api.WithProfile("alice", profile: Api.Profile("Pacific/Kiritimati")).WithPlan("alice", IsoWeek.Parse("2026-W50"));

        Assert.Equal("2026-W50", (await Week("current")).Json["week"]!.GetValue<string>());
    }

    [Fact]
    public async Task PlanNotBuiltYetIs404()
    {
        _api.WithProfile("alice");

        Assert.Equal(404, (await Week("next")).Status);
        Assert.Equal(404, (await Week("2026-W30")).Status);
    }

    [Fact]
    public async Task NoProfileIs404ForCurrent() => Assert.Equal(404, (await Week("current")).Status);

    [Theory]
    [InlineData("2026-W54")]
    [InlineData("last")]
    [InlineData("2026W49")]
    public async Task InvalidWeekIs400(string week)
    {
        var reply = await Week(week);

        Assert.Equal(400, reply.Status);
        Assert.Equal(["week"], reply.ErrorFields);
    }

    private static readonly PlanListing Listing = new("2026-W49", new LocalDate(2026, 11, 30), Phase.Build, 1, 1, "1", DateTimeOffset.UnixEpoch, 120, 2, 1, 7);

    private async Task<Reply> List(string query, string user = "alice")
    {
        var request = TestHttp.Request("GET /api/me/plans" + query, user);
        return await TestHttp.Execute(request, _api.PlanFunctions.List(request, default));
    }

    [Fact]
    public async Task ListReturnsAPageAndATokenThatResumesWhereItEnds()
    {
        _api.Plans.ListAsync("alice", IsoWeek.Parse("2026-W40"), IsoWeek.Parse("2026-W49"), 5, null, Arg.Any<CancellationToken>())
            .Returns(new PlanListingPage([Listing], IsoWeek.Parse("2026-W45")));
        _api.Plans.ListAsync("alice", IsoWeek.Parse("2026-W40"), IsoWeek.Parse("2026-W49"), 5, IsoWeek.Parse("2026-W45"), Arg.Any<CancellationToken>())
            .Returns(new PlanListingPage([Listing with { Week = "2026-W45" }], null));

        var first = await List("?from=2026-W40&to=2026-W49&pageSize=5");
        var token = first.Json["continuationToken"]!.GetValue<string>();
        var second = await List($"?from=2026-W40&to=2026-W49&pageSize=5&continuationToken={token}");

        Assert.Equal((200, 200), (first.Status, second.Status));
        Assert.Equal("2026-W49", first.Json["items"]![0]!["week"]!.GetValue<string>());
        Assert.Equal("2026-W45", second.Json["items"]![0]!["week"]!.GetValue<string>());
        Assert.Null(second.Json["continuationToken"]);
        Assert.Matches("^[A-Za-z0-9_-]{44}$", token);
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(token);
        Assert.DoesNotContain(UserKey.For("alice").Value, System.Text.Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
    }

    /// <summary>A token issued to alice for the window 2026-W40..2026-W49, five a page, resuming at 2026-W45.</summary>
    private async Task<string> AlicesToken()
    {
        _api.Plans.ListAsync(default!, default, default, default, default, default).ReturnsForAnyArgs(new PlanListingPage([Listing], IsoWeek.Parse("2026-W45")));
        var reply = await List("?from=2026-W40&to=2026-W49&pageSize=5");
        _api.Plans.ClearReceivedCalls();
        return reply.Json["continuationToken"]!.GetValue<string>();
    }

    [Theory]
    [InlineData("?from=2026-W40&to=2026-W49&pageSize=5", "bob")] // another user
    [InlineData("?from=2026-W40&to=2026-W49&pageSize=6", "alice")] // another page size
    [InlineData("?from=2026-W30&to=2026-W49&pageSize=5", "alice")] // a wider window
    [InlineData("?to=2026-W49&pageSize=5", "alice")] // no lower bound
    [InlineData("", "alice")] // the default query
    public async Task ATokenIsGoodOnlyForTheUserAndTheQueryItWasIssuedFor(string query, string user)
    {
        var token = await AlicesToken();

        var reply = await List($"{query}{(query.Length == 0 ? "?" : "&")}continuationToken={token}", user);

        Assert.Equal(400, reply.Status);
        Assert.Equal(["continuationToken"], reply.ErrorFields);
        Assert.Empty(_api.Plans.ReceivedCalls());
    }

    [Fact]
    public async Task EveryChangedCharacterOfATokenIs400()
    {
        var token = await AlicesToken();
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        for (var i = 0; i < token.Length; i++)
        {
            var changed = alphabet[(alphabet.IndexOf(token[i], StringComparison.Ordinal) + 1 + i) % alphabet.Length];
            var tampered = token[..i] + changed + token[(i + 1)..];

            var reply = await List($"?from=2026-W40&to=2026-W49&pageSize=5&continuationToken={tampered}");

            Assert.True(reply.Status == 400, $"character {i} changed: {reply.Status}");
            Assert.Equal(["continuationToken"], reply.ErrorFields);
        }

        Assert.Equal(400, (await List($"?from=2026-W40&to=2026-W49&pageSize=5&continuationToken={token[..^1]}")).Status);
        Assert.Equal(400, (await List($"?from=2026-W40&to=2026-W49&pageSize=5&continuationToken={token}A")).Status);
        Assert.Empty(_api.Plans.ReceivedCalls());
    }

    [Fact]
    public async Task SeededFuzzedTokensAreAll400NeverAFailure()
    {
        var token = await AlicesToken();
        var random = new Random(17);
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/%.\u00e9";
        for (var i = 0; i < 300; i++)
        {
            var bytes = token.ToCharArray();
            var fuzzed = (i % 3) switch
            {
                // A few characters of a real token changed.
                0 => new string(bytes.Select(c => random.Next(8) == 0 ? alphabet[random.Next(alphabet.Length)] : c).ToArray()),
                // Random bytes of a plausible length, spelled as the API spells tokens.
                1 => System.Buffers.Text.Base64Url.EncodeToString(Enumerable.Range(0, random.Next(1, 70)).Select(_ => (byte)random.Next(256)).ToArray()),
                _ => new string(Enumerable.Range(0, random.Next(1, 120)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()),
            };
            if (fuzzed == token)
            {
                continue;
            }

            var reply = await List($"?from=2026-W40&to=2026-W49&pageSize=5&continuationToken={Uri.EscapeDataString(fuzzed)}");

            Assert.True(reply.Status == 400, $"{fuzzed}: {reply.Status}");
            Assert.Equal(["continuationToken"], reply.ErrorFields);
        }

        Assert.Empty(_api.Plans.ReceivedCalls());
    }

    [Fact]
    public void ATokenSignedUnderAnotherKeyIsRefused()
    {
        var query = new PlanQuery(null, null, 20);
        var other = new PlanCursor(Options.Create(new CursorOptions { SecretKey = Convert.ToBase64String(new byte[32]) }));
        var token = other.Issue(UserKey.For("alice"), query, IsoWeek.Parse("2026-W45"));

        Assert.True(other.TryRead(token, UserKey.For("alice"), query, out var week));
        Assert.Equal(IsoWeek.Parse("2026-W45"), week);
        Assert.False(Api.Cursor.TryRead(token, UserKey.For("alice"), query, out _));
    }

    [Theory]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?from=2026-W49&to=2026-W40", "from")]
    [InlineData("?from=9999-W01", "from")]
    [InlineData("?to=0001-W01", "to")]
    [InlineData("?continuationToken=tok", "continuationToken")]
    [InlineData("?continuationToken=1%210%21MjAyNi1XNDU-", "continuationToken")] // the SDK's own token shape
    [InlineData("?continuationToken=dzE6OTk5OS1XMDE", "continuationToken")] // "w1:9999-W01": a week out of range
    [InlineData("?continuationToken=dzE6MjAyNi1XNDU=", "continuationToken")] // padded: not as the API spells it
    [InlineData("?continuationToken=%F0%9F%92%A9", "continuationToken")]
    [InlineData("?continuationToken=AjIwMjYtVzQ1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "continuationToken")] // the signed shape with a forged MAC
    public async Task InvalidListParametersAre400(string query, string field)
    {
        var request = TestHttp.Request("GET /api/me/plans" + query);

        var reply = await TestHttp.Execute(request, _api.PlanFunctions.List(request, default));

        Assert.Equal(400, reply.Status);
        Assert.Contains(field, reply.ErrorFields);
    }
}

public sealed class SessionLogFunctionTests
{
    private readonly Api _api = new Api().WithPlan("alice", Api.ThisWeek);

    private static WeekPlan Plan => Api.Plan(Api.ThisWeek);

    private Task<Reply> Put(string body, string week = "2026-W49", string? session = null)
    {
        session ??= FirstWorkout.Id;
        var request = TestHttp.Request($"PUT /api/me/plans/{week}/sessions/{session}/log", body: body);
        return TestHttp.Execute(request, _api.LogFunctions.Put(request, week, session, default));
    }

    private static Session FirstWorkout => Plan.Sessions.First(s => s.Kind == SessionKind.Strength);

    [Fact]
    public async Task RepeatedExercisesKeysAre400NamingThemAndNothingIsStored()
    {
        var exercise = FirstWorkout.Exercises[0].Id;
        var sets = $$"""[ { "exerciseId": "{{exercise}}", "sets": [ { "reps": 10, "rir": 2 } ] } ]""";

        var reply = await Put($$"""{ "status": "completed", "exercises": {{sets}}, "exercises": {{sets}} }""");

        Assert.Equal(400, reply.Status);
        Assert.Equal(["exercises"], reply.ErrorFields);
        Assert.Contains("more than once", reply.Json["errors"]!["exercises"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_api.Logs.ReceivedCalls());
    }

    [Theory]
    [InlineData("""{ "status": "completed", "note": "\ud800" }""", "note")]
    [InlineData("""{ "status": "completed", "\udc00": 1 }""", "$")]
    [InlineData("""{ "status": "completed", "exercises": [ { "exerciseId": "a\ud800b", "sets": [] } ] }""", "exercises[0].exerciseId")]
    public async Task LoneSurrogatesAre400NamingTheFieldNotA500(string body, string field)
    {
        var reply = await Put(body);

        Assert.Equal(400, reply.Status);
        Assert.Equal([field], reply.ErrorFields);
        Assert.Empty(_api.Logs.ReceivedCalls());
    }

    [Fact]
    public async Task FirstLogIs201AndLaterOnes200()
    {
        _api.Logs.UpsertAsync("alice", Api.ThisWeek, Arg.Any<SessionLog>(), Arg.Any<CancellationToken>())
            .Returns(new WriteResult(WriteOutcome.Created), new WriteResult(WriteOutcome.Updated));
        var exercise = FirstWorkout.Exercises[0].Id;
        var body = $$"""{ "status": "completed", "actualMinutes": 50, "rpe": 8, "note": "good", "exercises": [ { "exerciseId": "{{exercise}}", "sets": [ { "reps": 10, "rir": 2, "load": 60 } ] } ] }""";

        var first = await Put(body);
        var second = await Put(body);

        Assert.Equal((201, 200), (first.Status, second.Status));
        Assert.Equal("completed", first.Json["status"]!.GetValue<string>());
        await _api.Logs.Received(2).UpsertAsync("alice", Api.ThisWeek,
            Arg.Is<SessionLog>(l => l.SessionId == FirstWorkout.Id && l.Rpe == 8 && l.Exercises[0].Sets[0] == new SetLog(10, 2, 60m)), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task UnknownSessionOrWeekWithoutPlanIs404()
    {
        Assert.Equal(404, (await Put("""{ "status": "completed" }""", session: "s99")).Status);
        Assert.Equal(404, (await Put("""{ "status": "completed" }""", week: "2026-W30")).Status);
        Assert.Empty(_api.Logs.ReceivedCalls());
    }

    public static TheoryData<string, string> BadLogs() => new()
    {
        { """{ "status": "done" }""", "status" },
        { """{ }""", "status" },
        { """{ "status": "completed", "rpe": 11 }""", "rpe" },
        { """{ "status": "completed", "rpe": "hard" }""", "rpe" },
        { """{ "status": "completed", "actualMinutes": -5 }""", "actualMinutes" },
        { $$"""{ "status": "completed", "note": "{{new string('n', 501)}}" }""", "note" },
        { """{ "status": "completed", "mood": "great" }""", "mood" },
        { """{ "status": "completed", "exercises": [ { "exerciseId": "not-in-session", "sets": [] } ] }""", "exercises[0].exerciseId" },
    };

    [Theory]
    [MemberData(nameof(BadLogs))]
    public async Task InvalidLogIs400NamingTheFieldAndNothingIsStored(string body, string field)
    {
        var reply = await Put(body);

        Assert.Equal(400, reply.Status);
        Assert.Contains(field, reply.ErrorFields);
        Assert.Empty(_api.Logs.ReceivedCalls());
    }

    [Fact]
    public async Task RestDaysCannotBeLogged()
    {
        var rest = Plan.Sessions.FirstOrDefault(s => s.Kind == SessionKind.Rest);
        if (rest is null)
        {
            var plan = Api.Plan(Api.ThisWeek, Api.Profile() with { AvailableDays = Enum.GetValues<IsoDayOfWeek>().Skip(1).ToArray() });
            _api.Plans.GetAsync("alice", Api.ThisWeek, Arg.Any<CancellationToken>()).Returns(plan);
            rest = plan.Sessions.First(s => s.Kind == SessionKind.Rest);
        }

        var reply = await Put("""{ "status": "completed" }""", session: rest.Id);

        Assert.Equal(400, reply.Status);
        Assert.Contains("sessionId", reply.ErrorFields);
    }
}
