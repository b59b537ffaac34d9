using NSubstitute;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Storage;

namespace RunStrength.Functions.Tests;

public sealed class ProfileFunctionTests
{
    private readonly Api _api = new();

    private Task<Reply> Put(string body, string contentType = "application/json", params (string, string)[] headers)
    {
        var request = TestHttp.Request("PUT /api/me/profile", body: body, contentType: contentType, headers: headers);
        return TestHttp.Execute(request, _api.ProfileFunctions.Put(request, default));
    }

    [Fact]
    public async Task NewProfileIs201WithETagAndTheCurrentWeekIsPlannedAtOnce()
    {
        _api.Profiles.CreateAsync("alice", Arg.Any<Profile>(), Arg.Any<CancellationToken>()).Returns(new WriteResult(WriteOutcome.Created, "e", 1));

        var reply = await Put(Api.ProfileBody);

        Assert.Equal(201, reply.Status);
        Assert.Equal("\"1\"", reply.ETag);
        Assert.Equal("balanced", reply.Json["goal"]!.GetValue<string>());
        await _api.Profiles.Received(1).CreateAsync("alice", Api.Profile(), Arg.Any<CancellationToken>());
        await _api.Plans.Received(1).WriteUsersAsync(
            Arg.Is<IReadOnlyList<UserWeeks>>(u => u.Count == 1 && u[0].UserId == "alice" && u[0].Plans.Count == 1 && u[0].Plans[0].Week == "2026-W49"
                && u[0].Plans[0].Sessions.All(s => s.Date >= new LocalDate(2026, 12, 2))),
            Arg.Any<CancellationToken>());

        // The due index wakes alice for W50 in the day before its 48-hour window: Amsterdam's Monday 7 December is 6 December 23:00 UTC.
        var written = (IReadOnlyList<UserWeeks>)_api.Plans.ReceivedCalls().Single(c => c.GetMethodInfo().Name == nameof(IPlanStore.WriteUsersAsync)).GetArguments()[0]!;
        Assert.InRange(written[0].NextBuild, new DateTimeOffset(2026, 12, 3, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 4, 22, 0, 0, TimeSpan.Zero));
        Assert.Equal(0, written[0].NextBuild.Minute);
    }

    [Fact]
    public async Task ExistingProfileIsReplacedWith200AndTheNextVersion()
    {
        _api.WithProfile("alice", version: 4);
        _api.Profiles.ReplaceAsync(Arg.Any<StoredProfile>(), Arg.Any<Profile>(), Arg.Any<CancellationToken>()).Returns(new WriteResult(WriteOutcome.Updated, "e", 5));

        var reply = await Put(Api.ProfileBody.Replace("\"balanced\"", "\"muscle\"", StringComparison.Ordinal), headers: ("If-Match", "\"4\""));

        Assert.Equal(200, reply.Status);
        Assert.Equal("\"5\"", reply.ETag);
        await _api.Profiles.Received(1).ReplaceAsync(Arg.Is<StoredProfile>(p => p.Version == 4), Arg.Is<Profile>(p => p.Goal == Goal.Muscle), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task PuttingTheSameProfileAgainKeepsItsVersionAndPlansNothing()
    {
        _api.WithProfile("alice", version: 4);

        var reply = await Put(Api.ProfileBody);

        Assert.Equal((200, "\"4\""), (reply.Status, reply.ETag));
        await _api.Profiles.DidNotReceiveWithAnyArgs().ReplaceAsync(default!, default!, default);
        await _api.Plans.DidNotReceiveWithAnyArgs().WriteUsersAsync(default!, default);
    }

    [Fact]
    public async Task AChangedProfileReplansInTheSameRequest()
    {
        // Wednesday 2 December: this week's plan came from version 4, so it is planned again from Thursday.
        _api.WithProfile("alice", version: 4);
        _api.Profiles.ReplaceAsync(Arg.Any<StoredProfile>(), Arg.Any<Profile>(), Arg.Any<CancellationToken>()).Returns(new WriteResult(WriteOutcome.Updated, "e", 5));
        var current = Api.Plan(Api.ThisWeek) with { ProfileVersion = 4 };
        _api.Plans.GetMarkerAsync("alice", Arg.Any<CancellationToken>()).Returns(new PlanMarker(UserKey.For("alice"), Api.ThisWeek, 4));
        _api.Plans.GetAsync("alice", Api.ThisWeek, Arg.Any<CancellationToken>()).Returns(current);
        _api.Logs.GetWeekAsync("alice", Arg.Any<Planning.IsoWeek>(), Arg.Any<CancellationToken>()).Returns([]);

        var reply = await Put(Api.ProfileBody.Replace("\"balanced\"", "\"muscle\"", StringComparison.Ordinal));

        Assert.Equal(200, reply.Status);
        var thursday = new LocalDate(2026, 12, 3);
        await _api.Plans.Received(1).WriteUsersAsync(
            Arg.Is<IReadOnlyList<UserWeeks>>(u => u.Count == 1 && u[0].Plans.Count == 1 && u[0].Plans[0].ProfileVersion == 5
                && u[0].Plans[0].Sessions.Where(s => s.Date < thursday).SequenceEqual(current.Sessions.Where(s => s.Date < thursday))),
            Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData("If-Match", "\"3\"")]
    [InlineData("If-None-Match", "*")]
    public async Task ConditionalPutOnAChangedOrExistingProfileIs412(string header, string value)
    {
        _api.WithProfile("alice", version: 4);

        var reply = await Put(Api.ProfileBody, headers: (header, value));

        Assert.Equal(412, reply.Status);
        Assert.Equal("application/problem+json", reply.ContentType);
        await _api.Profiles.DidNotReceiveWithAnyArgs().ReplaceAsync(default!, default!, default);
    }

    [Fact]
    public async Task IfMatchWithoutAProfileIs412()
    {
        var reply = await Put(Api.ProfileBody, headers: ("If-Match", "\"1\""));

        Assert.Equal(412, reply.Status);
        await _api.Profiles.DidNotReceiveWithAnyArgs().CreateAsync(default!, default!, default);
    }

    public static TheoryData<string, string[]> BadBodies() => new()
    {
        { """{ "goal": 5 }""", ["goal", "availableDays", "birthYear", "maxSessionMinutes", "runningExperience", "strengthExperience", "timeZone"] },
        { Api.ProfileBody.Replace("\"units\": \"metric\"", "\"units\": \"metric\", \"favouriteColour\": \"red\"", StringComparison.Ordinal), ["favouriteColour"] },
        { Api.ProfileBody.Replace("60,", "5,", StringComparison.Ordinal), ["maxSessionMinutes"] },
        { Api.ProfileBody.Replace("\"Europe/Amsterdam\"", "\"Mars/Base\"", StringComparison.Ordinal), ["timeZone"] },
        { Api.ProfileBody.Replace("[\"mon\", \"wed\", \"fri\", \"sun\"]", "[\"mon\", 3]", StringComparison.Ordinal), ["availableDays[1]", "longRunDay"] },
        { Api.ProfileBody.Replace("1990", "\"1990\"", StringComparison.Ordinal), ["birthYear"] },
        { "[1, 2]", ["$"] },
        { Api.ProfileBody.Replace("\"units\": \"metric\"", "\"units\": \"metric\", \"excludedExercises\": [\"back-squat\", \"moon-jump\", \"back-squat\"]", StringComparison.Ordinal), ["excludedExercises[1]", "excludedExercises[2]"] },
        { Api.ProfileBody.Replace("\"units\": \"metric\"", "\"units\": \"metric\", \"excludedExercises\": \"back-squat\"", StringComparison.Ordinal), ["excludedExercises"] },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task InvalidProfileIs400NamingEveryBadFieldAndNothingIsStored(string body, string[] fields)
    {
        var reply = await Put(body);

        Assert.Equal(400, reply.Status);
        Assert.Equal("application/problem+json", reply.ContentType);
        Assert.Equal(fields.Order(StringComparer.Ordinal), reply.ErrorFields.Order(StringComparer.Ordinal));
        Assert.Equal("urn:runstrength:problem:validation", reply.Json["type"]!.GetValue<string>());
        Assert.Empty(_api.Profiles.ReceivedCalls());
        Assert.Empty(_api.Plans.ReceivedCalls());
    }

    [Fact]
    public async Task ExcludedExercisesAreStoredSortedAndReturned()
    {
        _api.Profiles.CreateAsync("alice", Arg.Any<Profile>(), Arg.Any<CancellationToken>()).Returns(new WriteResult(WriteOutcome.Created, "e", 1));

        var reply = await Put(Api.ProfileBody.Replace("\"units\": \"metric\"", "\"units\": \"metric\", \"excludedExercises\": [\"romanian-deadlift\", \"back-squat\"]", StringComparison.Ordinal));

        Assert.Equal(201, reply.Status);
        Assert.Equal(["back-squat", "romanian-deadlift"], reply.Json["excludedExercises"]!.AsArray().Select(n => n!.GetValue<string>()));
        await _api.Profiles.Received(1).CreateAsync(
            "alice", Arg.Is<Profile>(p => p.ExcludedExercises.SequenceEqual(new[] { "back-squat", "romanian-deadlift" })), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task MalformedJsonIs400()
    {
        var reply = await Put("{ \"goal\": ");

        Assert.Equal(400, reply.Status);
        Assert.Contains("not valid JSON", reply.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_api.Profiles.ReceivedCalls());
    }

    [Fact]
    public async Task BodyOver64KiBIs413()
    {
        var reply = await Put($$"""{ "goal": "{{new string('x', 70_000)}}" }""");

        Assert.Equal(413, reply.Status);
        Assert.Empty(_api.Profiles.ReceivedCalls());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=latin1")]
    public async Task WrongContentTypeIs415(string contentType)
    {
        var reply = await Put(Api.ProfileBody, contentType);

        Assert.Equal(415, reply.Status);
        Assert.Empty(_api.Profiles.ReceivedCalls());
    }

    [Fact]
    public async Task GetReturnsTheProfileWithItsETagOr304WhenUnchanged()
    {
        _api.WithProfile("alice", version: 7);

        var request = TestHttp.Request("GET /api/me/profile");
        var reply = await TestHttp.Execute(request, _api.ProfileFunctions.Get(request, default));
        var conditional = TestHttp.Request("GET /api/me/profile", headers: ("If-None-Match", "\"7\""));
        var notModified = await TestHttp.Execute(conditional, _api.ProfileFunctions.Get(conditional, default));

        Assert.Equal((200, "\"7\""), (reply.Status, reply.ETag));
        Assert.Equal("Europe/Amsterdam", reply.Json["timeZone"]!.GetValue<string>());
        Assert.Equal(304, notModified.Status);
        Assert.Empty(notModified.Body);
    }

    [Fact]
    public async Task GetWithoutAProfileIs404()
    {
        var request = TestHttp.Request("GET /api/me/profile");

        Assert.Equal(404, (await TestHttp.Execute(request, _api.ProfileFunctions.Get(request, default))).Status);
    }

    private Task<Reply> Patch(string body, string contentType = "application/merge-patch+json", params (string, string)[] headers)
    {
        var request = TestHttp.Request("PATCH /api/me/profile", body: body, contentType: contentType, headers: headers);
        return TestHttp.Execute(request, _api.ProfileFunctions.Patch(request, default));
    }

    [Fact]
    public async Task MergePatchChangesOnlyTheGivenFields()
    {
        _api.WithProfile("alice", version: 2);
        _api.Profiles.ReplaceAsync(Arg.Any<StoredProfile>(), Arg.Any<Profile>(), Arg.Any<CancellationToken>()).Returns(new WriteResult(WriteOutcome.Updated, "e", 3));

        var reply = await Patch("""{ "maxSessionMinutes": 45, "longRunDay": null }""", headers: ("If-Match", "\"2\""));

        Assert.Equal((200, "\"3\""), (reply.Status, reply.ETag));
        await _api.Profiles.Received(1).ReplaceAsync(Arg.Any<StoredProfile>(),
            Arg.Is<Profile>(p => p.MaxSessionMinutes == 45 && p.LongRunDay == null && p.Goal == Goal.Balanced && p.AvailableDays.Count == 4),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RaceTargetsAndDaysOffRoundTripThroughTheApi()
    {
        _api.Profiles.CreateAsync("alice", Arg.Any<Profile>(), Arg.Any<CancellationToken>()).Returns(new WriteResult(WriteOutcome.Created, "e", 1));
        const string extra = """
            "units": "metric", "recentRace": { "distanceKm": 10, "time": "00:50:00", "date": "2026-10-18" },
            "maxHeartRate": 188, "restingHeartRate": 52, "thresholdPaceSecPerKm": 306,
            "race": { "date": "2027-03-07", "distanceKm": 21.0975, "name": "City half" },
            "unavailableDates": ["2026-12-25", "2026-12-24"]
            """;

        var reply = await Put(Api.ProfileBody.Replace("\"units\": \"metric\"", extra, StringComparison.Ordinal));

        Assert.Equal(201, reply.Status);
        Assert.Equal("00:50:00", reply.Json["recentRace"]!["time"]!.GetValue<string>());
        Assert.Equal(21.0975, reply.Json["race"]!["distanceKm"]!.GetValue<double>());
        Assert.Equal(["2026-12-24", "2026-12-25"], reply.Json["unavailableDates"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(188, reply.Json["maxHeartRate"]!.GetValue<int>());
        await _api.Profiles.Received(1).CreateAsync("alice", Arg.Is<Profile>(p => p.Race!.Name == "City half" && p.UnavailableDates.Count == 2), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task NestedRaceFieldsAreCheckedByTypeAndName()
    {
        var reply = await Put(Api.ProfileBody.Replace("\"units\": \"metric\"", "\"units\": \"metric\", \"race\": { \"date\": 20270307, \"distanceKm\": 10, \"pace\": 5 }, \"recentRace\": 3", StringComparison.Ordinal));

        Assert.Equal(400, reply.Status);
        Assert.Equal(["race.date", "race.pace", "recentRace"], reply.ErrorFields.Order(StringComparer.Ordinal));
        Assert.Empty(_api.Profiles.ReceivedCalls());
    }

    [Fact]
    public async Task APatchIsNotRefusedForADayOffThatHasSincePassed()
    {
        _api.WithProfile("alice", version: 2, profile: Api.Profile() with { UnavailableDates = [new LocalDate(2026, 11, 20), new LocalDate(2026, 12, 24)] });
        _api.Profiles.ReplaceAsync(Arg.Any<StoredProfile>(), Arg.Any<Profile>(), Arg.Any<CancellationToken>()).Returns(new WriteResult(WriteOutcome.Updated, "e", 3));

        var reply = await Patch("""{ "maxSessionMinutes": 45 }""");

        Assert.Equal(200, reply.Status);
        Assert.Equal(["2026-12-24"], reply.Json["unavailableDates"]!.AsArray().Select(n => n!.GetValue<string>()));
        await _api.Profiles.Received(1).ReplaceAsync(Arg.Any<StoredProfile>(), Arg.Is<Profile>(p => p.UnavailableDates.Count == 1), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task StaleIfMatchOnPatchIs412()
    {
        _api.WithProfile("alice", version: 5);

        var reply = await Patch("""{ "maxSessionMinutes": 45 }""", headers: ("If-Match", "\"4\""));

        Assert.Equal(412, reply.Status);
        await _api.Profiles.DidNotReceiveWithAnyArgs().ReplaceAsync(default!, default!, default);
    }

    [Fact]
    public async Task PatchThatLosesARaceAfterReadingIs412()
    {
        _api.Profiles.GetAsync("alice", Arg.Any<CancellationToken>()).Returns(Api.Stored("alice", version: 5), Api.Stored("alice", version: 6));
        _api.Profiles.ReplaceAsync(Arg.Any<StoredProfile>(), Arg.Any<Profile>(), Arg.Any<CancellationToken>()).Returns(new WriteResult(WriteOutcome.Stale));

        var reply = await Patch("""{ "maxSessionMinutes": 45 }""", headers: ("If-Match", "\"5\""));

        Assert.Equal(412, reply.Status);
    }

    [Fact]
    public async Task InvalidPatchIs400AndNothingIsStored()
    {
        _api.WithProfile("alice");

        var reply = await Patch("""{ "availableDays": ["mon"], "shoeSize": 44 }""");

        Assert.Equal(400, reply.Status);
        Assert.Equal(["availableDays", "longRunDay", "shoeSize"], reply.ErrorFields.Order(StringComparer.Ordinal));
        await _api.Profiles.DidNotReceiveWithAnyArgs().ReplaceAsync(default!, default!, default);
    }

    [Fact]
    public async Task PatchNeedsTheMergePatchMediaType() => Assert.Equal(415, (await Patch("""{ "maxSessionMinutes": 45 }""", "application/json")).Status);

    [Fact]
    public async Task PatchWithoutAProfileIs404() => Assert.Equal(404, (await Patch("""{ "maxSessionMinutes": 45 }""")).Status);

    [Fact]
    public async Task DeleteErasesTheCallerAndIs204()
    {
        var request = TestHttp.Request("DELETE /api/me");

        var reply = await TestHttp.Execute(request, _api.AccountFunctions.Delete(request, default));

        Assert.Equal(204, reply.Status);
        await _api.Eraser.Received(1).EraseAsync("alice", Arg.Any<CancellationToken>());
    }
}
