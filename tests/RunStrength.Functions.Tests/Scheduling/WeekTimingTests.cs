using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Plans;
using RunStrength.Functions.Profiles;
using RunStrength.Functions.Scheduling;
using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Testing;

namespace RunStrength.Functions.Tests.Scheduling;

/// <summary>
/// Sign-up, profile changes and timer ticks through the real handlers, runner and stores on
/// Azurite, with the clock pinned to every day of a week, late and early, in zones from UTC−10 to
/// UTC+14 and across Berlin's DST weekends: each plans exactly what the README promises.
/// </summary>
public sealed class WeekTimingTests(AzuriteFixture fixture) : RunnerTest(fixture)
{
    private const string User = "alice";

    public static TheoryData<string, int, string> EveryDayLateAndEarly()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var zone in (string[])["Etc/GMT+10", "UTC", "Asia/Kathmandu", "Pacific/Kiritimati"])
        {
            for (var day = 1; day <= 7; day++)
            {
                data.Add(zone, day, "00:30");
                data.Add(zone, day, "23:30");
            }
        }

        return data;
    }

    public static TheoryData<string, int, string> BerlinDstWeekends() => new()
    {
        // Summer time starts on Sunday 29 March 2026 at 02:00, and ends on Sunday 25 October 2026 at 03:00.
        { "Europe/Berlin|2026-03-23", 6, "00:30" }, { "Europe/Berlin|2026-03-23", 6, "23:30" },
        { "Europe/Berlin|2026-03-23", 7, "00:30" }, { "Europe/Berlin|2026-03-23", 7, "02:30" }, { "Europe/Berlin|2026-03-23", 7, "23:30" },
        { "Europe/Berlin|2026-10-19", 6, "00:30" }, { "Europe/Berlin|2026-10-19", 6, "23:30" },
        { "Europe/Berlin|2026-10-19", 7, "00:30" }, { "Europe/Berlin|2026-10-19", 7, "02:30" }, { "Europe/Berlin|2026-10-19", 7, "23:30" },
    };

    [Theory]
    [MemberData(nameof(EveryDayLateAndEarly))]
    [MemberData(nameof(BerlinDstWeekends))]
    public async Task SignUpTicksAndChangesPlanWhatTheReadmeSays(string zoneAndWeek, int day, string localTime)
    {
        var (zone, monday) = Parse(zoneAndWeek);
        var today = monday.PlusDays(day - 1);
        var now = At(today, localTime, zone);
        StartClockAt(now);
        var current = IsoWeek.Containing(today);
        var next = current.Next();
        var nextIsDue = WeekClock.StartOf(next, zone) - now <= TimeSpan.FromHours(48);

        // Sign-up: the rest of this week at once, and next week when it is within the lead time.
        var created = await Execute("PUT", Body(zone, "\"mon\", \"wed\", \"fri\", \"sat\""), (f, r) => f.Put(r, default));
        Assert.Equal(201, created.Status);
        var first = (await Plans.GetAsync(User, current))!;
        Assert.All(first.Sessions, s => Assert.True(s.Date >= today, $"{s.Date} is before today {today}"));
        Assert.Equal(nextIsDue, await Plans.GetAsync(User, next) is not null);
        Assert.Equal(nextIsDue ? 200 : 404, (await GetNext()).Status);
        if (!first.Sessions.Any(s => s.Kind != SessionKind.Rest))
        {
            Assert.Equal((0, 0), (first.BlockWeek, first.Progress.WeekIndex));
        }

        // A tick at the same moment has nothing left to do.
        Assert.Equal(0, (await TickAsync()).PlansBuilt);

        // A change: today and the days before stay; from tomorrow the week follows the new days.
        var before = (await Plans.GetAsync(User, current))!;
        var patched = await Execute("PATCH", """{ "availableDays": ["tue", "thu", "sat", "sun"] }""", (f, r) => f.Patch(r, default), "application/merge-patch+json");
        Assert.Equal(200, patched.Status);
        var after = (await Plans.GetAsync(User, current))!;
        Assert.Equal(Dated(before, d => d <= today), Dated(after, d => d <= today));
        Assert.All(after.Sessions.Where(s => s.Date > today && s.Kind != SessionKind.Rest),
            s => Assert.Contains(s.Day, (IsoDayOfWeek[])[IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday]));
        Assert.Equal(today.DayOfWeek == IsoDayOfWeek.Sunday ? 1 : 2, after.ProfileVersion);
        if (nextIsDue)
        {
            Assert.Equal(2, (await Plans.GetAsync(User, next))!.ProfileVersion);
        }

        // The first tick within the lead time of next Monday builds next week, once.
        Clock.SetUtcNow(Max(now, WeekClock.StartOf(next, zone) - TimeSpan.FromHours(48)) + TimeSpan.FromMinutes(1));
        Assert.Equal(nextIsDue ? 0 : 1, (await TickAsync()).PlansBuilt);
        var built = (await Plans.GetAsync(User, next))!;
        Assert.Equal((2L, after.BlockWeek + 1), (built.ProfileVersion, built.BlockWeek));
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await TickAsync()).PlansBuilt);
    }

    [Fact]
    public async Task SignUpLateOnSundayInNewYorkGivesNextWeekAtOnce()
    {
        // Sunday 6 December 2026, 21:30 in New York; Monday is 2.5 hours away and Sunday is not available.
        StartClockAt(new DateTimeOffset(2026, 12, 7, 2, 30, 0, TimeSpan.Zero));

        var created = await Execute("PUT", Body("America/New_York", "\"mon\", \"tue\", \"thu\", \"fri\", \"sat\""), (f, r) => f.Put(r, default));
        var next = await GetNext();

        Assert.Equal(201, created.Status);
        Assert.Equal(200, next.Status);
        Assert.Equal(("2026-W50", 1, "start"), (next.Json["week"]!.GetValue<string>(), next.Json["blockWeek"]!.GetValue<int>(), next.Json["adjustment"]!.GetValue<string>()));
        var leadIn = (await Plans.GetAsync(User, new IsoWeek(2026, 49)))!;
        Assert.Equal((0, 0), (leadIn.BlockWeek, leadIn.Progress.WeekIndex));
    }

    [Theory]
    [InlineData("2026-12-05T23:30", "\"mon\", \"tue\", \"wed\"", true)]
    [InlineData("2026-12-05T00:30", "\"mon\", \"sat\"", false)]
    [InlineData("2026-12-04T12:00", "\"tue\", \"thu\"", true)]
    public async Task WithAShortLeadTimeNextWeekComesAtSignUpOnlyWhenNoAvailableDayIsLeft(string local, string days, bool nextAtOnce)
    {
        var time = LocalDateTime.FromDateTime(DateTime.Parse(local, CultureInfo.InvariantCulture));
        StartClockAt(At(time.Date, time.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture), "Europe/Amsterdam"));

        await Execute("PUT", Body("Europe/Amsterdam", days), (f, r) => f.Put(r, default), leadTime: TimeSpan.FromHours(1));

        Assert.Equal(nextAtOnce, await Plans.GetAsync(User, new IsoWeek(2026, 50)) is not null);
    }

    [Fact]
    public async Task TheNotBuiltYetAnswerStatesTheConfiguredLeadTime()
    {
        StartClockAt(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        await Execute("PUT", Body("UTC", "\"mon\", \"wed\", \"fri\""), (f, r) => f.Put(r, default), leadTime: TimeSpan.FromHours(36));

        var next = await GetNext(TimeSpan.FromHours(36));

        Assert.Equal(404, next.Status);
        Assert.Contains("2026-W50", next.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("36 hours before it starts", next.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static (string Zone, LocalDate Monday) Parse(string zoneAndWeek)
    {
        var parts = zoneAndWeek.Split('|');
        return (parts[0], parts.Length > 1 ? LocalDate.FromDateOnly(DateOnly.Parse(parts[1], CultureInfo.InvariantCulture)) : new LocalDate(2026, 12, 7));
    }

    /// <summary>The instant a local wall time happens; in a DST gap, the first instant after it.</summary>
    private static DateTimeOffset At(LocalDate date, string time, string zone)
    {
        var local = date + LocalTime.FromTimeOnly(TimeOnly.Parse(time, CultureInfo.InvariantCulture));
        return WeekClock.Zone(zone).ResolveLocal(local, NodaTime.TimeZones.Resolvers.LenientResolver).ToDateTimeOffset();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string Body(string zone, string days) => $$"""
        { "goal": "balanced", "runningExperience": "intermediate", "strengthExperience": "beginner",
          "availableDays": [{{days}}], "maxSessionMinutes": 60, "weeklyRunMinutes": 120, "equipment": ["gym"],
          "terrain": ["flat"], "birthYear": 1988, "timeZone": "{{zone}}" }
        """;

    private static List<string> Dated(WeekPlan plan, Func<LocalDate, bool> keep) =>
        plan.Sessions.Where(s => keep(s.Date)).Select(s => $"{s.Id} {s.Date} {s.Kind} {s.Type} {s.DurationMinutes}").ToList();

    private WeekPlanner Planner(TimeSpan leadTime) => new(Plans, Logs, Clock, Options.Create(new WeeklyPlanOptions { LeadTime = leadTime }));

    private Task<Reply> Execute(string method, string body, Func<ProfileFunctions, Microsoft.AspNetCore.Http.HttpRequest, Task<Microsoft.AspNetCore.Http.IResult>> handler, string contentType = "application/json", TimeSpan? leadTime = null)
    {
        var functions = new ProfileFunctions(TestHttp.Authenticator(), Profiles, Planner(leadTime ?? TimeSpan.FromHours(48)), Clock, NullLogger<ProfileFunctions>.Instance);
        var request = TestHttp.Request($"{method} /api/me/profile", User, body, contentType);
        return TestHttp.Execute(request, handler(functions, request));
    }

    private Task<Reply> GetNext(TimeSpan? leadTime = null)
    {
        var functions = new PlanFunctions(TestHttp.Authenticator(), Profiles, Plans, Clock, Options.Create(new WeeklyPlanOptions { LeadTime = leadTime ?? TimeSpan.FromHours(48) }), Api.Cursor);
        var request = TestHttp.Request("GET /api/me/plans/next", User);
        return TestHttp.Execute(request, functions.Week(request, "next", default));
    }
}
