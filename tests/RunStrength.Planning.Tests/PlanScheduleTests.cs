using System.Globalization;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Scheduling;

namespace RunStrength.Planning.Tests;

public sealed class PlanScheduleTests
{
    private static readonly IsoWeek W49 = new(2026, 49);
    private static readonly IsoWeek W50 = new(2026, 50);

    private static IReadOnlyList<DueWeek> Due(string now, string zone, long version = 1, TimeSpan? leadTime = null, params PlannedWeek[] planned) =>
        PlanSchedule.WeeksDue(new ScheduleQuery
        {
            Profile = new ProfileBuilder().Build() with { TimeZone = zone },
            ProfileVersion = version,
            Planned = planned,
            Now = DateTimeOffset.Parse(now, CultureInfo.InvariantCulture),
            LeadTime = leadTime ?? TimeSpan.FromHours(48),
        });

    [Theory]
    [InlineData("2026-12-04T12:00:00Z", "Pacific/Kiritimati", true)]
    [InlineData("2026-12-04T12:00:00Z", "Australia/Sydney", false)]
    [InlineData("2026-12-04T12:00:00Z", "Pacific/Honolulu", false)]
    [InlineData("2026-12-05T12:00:00Z", "Australia/Sydney", true)]
    [InlineData("2026-12-05T12:00:00Z", "Pacific/Honolulu", true)]
    public void NextWeekIsDueFromTheLeadTimeBeforeThePersonsOwnMonday(string now, string zone, bool due)
    {
        var weeks = Due(now, zone, planned: new PlannedWeek(W49, 1));

        Assert.Equal(due ? [new DueWeek(W50, WeekBuild.New, null)] : [], weeks);
    }

    [Fact]
    public void SignUpPlansTheRestOfTheCurrentWeekFromToday()
    {
        // Wednesday 2 December 2026, 10:00 UTC, 11:00 in Amsterdam.
        var weeks = Due("2026-12-02T10:00:00Z", "Europe/Amsterdam");

        Assert.Equal([new DueWeek(W49, WeekBuild.New, new LocalDate(2026, 12, 2))], weeks);
    }

    [Theory]
    [InlineData("2026-12-06T21:00:00Z", true)]
    [InlineData("2026-12-05T21:00:00Z", false)]
    public void SignUpWithNoAvailableDayLeftAlsoPlansNextWeekWhateverTheLeadTime(string now, bool nextToo)
    {
        // Available mon, wed, fri, sat: on Sunday nothing is left; on Saturday the long run is.
        var weeks = Due(now, "UTC", leadTime: TimeSpan.FromHours(1));

        Assert.Equal(nextToo ? [W49, W50] : [W49], weeks.Select(w => w.Week));
    }

    [Fact]
    public void AChangedProfileReplansTheCurrentWeekFromTomorrowAndRebuildsNextWeekWhole()
    {
        var weeks = Due("2026-12-05T12:00:00Z", "Europe/Amsterdam", version: 2, planned: [new PlannedWeek(W50, 1), new PlannedWeek(W49, 1)]);

        Assert.Equal([new DueWeek(W49, WeekBuild.Replan, new LocalDate(2026, 12, 6)), new DueWeek(W50, WeekBuild.Rebuild, null)], weeks);
    }

    [Fact]
    public void OnSundayAChangeHasNothingLeftToReplanThisWeek()
    {
        var weeks = Due("2026-12-06T12:00:00Z", "Europe/Amsterdam", version: 2, planned: [new PlannedWeek(W50, 1), new PlannedWeek(W49, 1)]);

        Assert.Equal([new DueWeek(W50, WeekBuild.Rebuild, null)], weeks);
    }

    [Fact]
    public void AfterAGapTheCurrentWeekIsPlannedFromToday()
    {
        var weeks = Due("2026-12-02T10:00:00Z", "Europe/Amsterdam", planned: new PlannedWeek(new IsoWeek(2026, 40), 1));

        Assert.Equal([new DueWeek(W49, WeekBuild.New, new LocalDate(2026, 12, 2))], weeks);
    }

    [Fact]
    public void UpToDateWeeksAreNotDue() =>
        Assert.Empty(Due("2026-12-05T12:00:00Z", "Europe/Amsterdam", planned: new PlannedWeek(W50, 1)));
}

public sealed class ReplanAndLeadInTests
{
    private static readonly IsoWeek W49 = new(2026, 49);

    private static PlanRequest Request(Plans.WeekPlan? previous = null, LocalDate? start = null, Profiles.Profile? profile = null) => new()
    {
        Profile = profile ?? new ProfileBuilder().Build(),
        ProfileVersion = 1,
        Week = W49,
        GeneratedAt = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero),
        StartDate = start,
        Previous = previous,
    };

    [Fact]
    public void AFirstWeekWithNoSessionLeftIsALeadInAndTheNextWeekIsWeekOne()
    {
        // Sunday, and the profile has no Sunday.
        var leadIn = PlanGenerator.Generate(Request(start: new LocalDate(2026, 12, 6)));
        var next = PlanGenerator.Generate(Request(previous: leadIn) with { Week = W49.Next() });
        var fresh = PlanGenerator.Generate(Request() with { Week = W49.Next() });

        Assert.True(PlanGenerator.IsLeadIn(leadIn));
        Assert.Equal((0, 0, Adjustment.Start), (leadIn.BlockWeek, leadIn.Progress.WeekIndex, leadIn.Adjustment));
        Assert.Equal((1, 1, Adjustment.Start), (next.BlockWeek, next.Progress.WeekIndex, next.Adjustment));
        Assert.Equal(Serialization.PlanJson.Serialize(fresh.Sessions), Serialization.PlanJson.Serialize(next.Sessions));
    }

    [Fact]
    public void APartialFirstWeekWithASessionLeftIsWeekOne()
    {
        var first = PlanGenerator.Generate(Request(start: new LocalDate(2026, 12, 5)));

        Assert.Equal((1, 1), (first.BlockWeek, first.Progress.WeekIndex));
    }

    [Fact]
    public void ReplanKeepsPastDaysAndLoggedSessionsWithTheirIdsAndPlansTheRestFromTheNewProfile()
    {
        var current = PlanGenerator.Generate(Request());
        var saturday = current.Sessions.First(s => s.Day == IsoDayOfWeek.Saturday && s.Kind != SessionKind.Rest);
        var changed = new ProfileBuilder().Days(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Sunday).Build();
        var thursday = new LocalDate(2026, 12, 3);

        var replanned = PlanGenerator.Replan(Request(profile: changed) with { ProfileVersion = 2 }, current, [saturday.Id], thursday);

        Assert.Equal(current.Sessions.Where(s => s.Date < thursday), replanned.Sessions.Where(s => s.Date < thursday));
        Assert.Contains(saturday, replanned.Sessions);
        Assert.All(replanned.Sessions.Where(s => s.Date >= thursday && s.Kind != SessionKind.Rest && s != saturday),
            s => Assert.Contains(s.Day, (IsoDayOfWeek[])[IsoDayOfWeek.Thursday, IsoDayOfWeek.Sunday]));
        Assert.Contains(replanned.Sessions, s => s.Day == IsoDayOfWeek.Thursday && s.Kind != SessionKind.Rest);
        Assert.Equal(replanned.Sessions.Count, replanned.Sessions.Select(s => s.Id).Distinct().Count());
        var reused = replanned.Sessions.Where(s => s.Date >= thursday && s != saturday).Select(s => s.Id).Intersect(current.Sessions.Select(s => s.Id));
        Assert.Empty(reused);
        Assert.Equal(2, replanned.ProfileVersion);
        Assert.Equal(replanned.Sessions.Where(s => s.Kind == SessionKind.Run).Sum(s => s.DurationMinutes), replanned.Summary.RunMinutes);
    }
}
