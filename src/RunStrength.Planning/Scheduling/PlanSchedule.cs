using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Scheduling;

/// <summary>A week that has a plan, and the profile version that plan came from.</summary>
public readonly record struct PlannedWeek(IsoWeek Week, long ProfileVersion);

/// <summary>How a due week is built.</summary>
public enum WeekBuild
{
    /// <summary>No plan yet: plan it from <see cref="DueWeek.StartDate"/> (the whole week when null).</summary>
    New,

    /// <summary>A plan that has not started, from an older profile: build it again, whole.</summary>
    Rebuild,

    /// <summary>
    /// The current week, from an older profile: plan again from <see cref="DueWeek.StartDate"/>
    /// (tomorrow), keeping the days before it and every logged session as they are.
    /// </summary>
    Replan,
}

/// <summary>One week to build now.</summary>
public sealed record DueWeek(IsoWeek Week, WeekBuild Build, LocalDate? StartDate);

/// <summary>What the decision needs to know about one person at one instant.</summary>
public sealed record ScheduleQuery
{
    public required Profile Profile { get; init; }
    public required long ProfileVersion { get; init; }

    /// <summary>
    /// The plans the caller knows of: at least the newest (the weekly run knows only that one),
    /// and the current week's when the caller read it.
    /// </summary>
    public required IReadOnlyList<PlannedWeek> Planned { get; init; }

    public required DateTimeOffset Now { get; init; }

    /// <summary>How long before its local Monday 00:00 a week is built.</summary>
    public required TimeSpan LeadTime { get; init; }
}

/// <summary>
/// The one decision of which weeks are due for a person now, used alike by sign-up, profile
/// changes and the weekly run (the README's "When weeks are built"):
/// - the current week, when nothing is planned for it or later: from today on;
/// - the current week again, from tomorrow on, when its plan came from an older profile;
/// - next week, once its Monday 00:00 (local) is within the lead time; at sign-up also when none
///   of the person's available days is left this week;
/// - next week again, whole, when its plan came from an older profile (it has not started).
/// </summary>
public static class PlanSchedule
{
    public static IReadOnlyList<DueWeek> WeeksDue(ScheduleQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var zone = query.Profile.TimeZone;
        var today = WeekClock.Today(query.Now, zone);
        var current = IsoWeek.Containing(today);
        var next = current.Next();
        var due = new List<DueWeek>(2);

        var currentIsNew = !query.Planned.Any(p => p.Week >= current);
        if (currentIsNew)
        {
            due.Add(new DueWeek(current, WeekBuild.New, today));
        }
        else if (IsStale(query, current) && today.DayOfWeek != IsoDayOfWeek.Sunday)
        {
            due.Add(new DueWeek(current, WeekBuild.Replan, today.PlusDays(1)));
        }

        if (!query.Planned.Any(p => p.Week >= next))
        {
            var withinLeadTime = WeekClock.StartOf(next, zone) - query.Now <= query.LeadTime;
            var firstWeekIsOver = currentIsNew && query.Planned.Count == 0 && !AnyAvailableDayFrom(query.Profile, today);
            if (withinLeadTime || firstWeekIsOver)
            {
                due.Add(new DueWeek(next, WeekBuild.New, null));
            }
        }
        else if (IsStale(query, next))
        {
            due.Add(new DueWeek(next, WeekBuild.Rebuild, null));
        }

        return due;
    }

    /// <summary>
    /// How long before the lead-time window the due index wakes a person: their next week is built
    /// at an hour of the day before the window opens, so a zone's users are spread over 24 ticks.
    /// </summary>
    public static readonly TimeSpan Spread = TimeSpan.FromHours(24);

    /// <summary>
    /// When the week after <paramref name="newestPlanned"/> should be built: in the day before its
    /// lead-time window opens, at <paramref name="spreadHour"/> (0-23) hours into that day, rounded
    /// up to a whole UTC hour so an hourly tick at that hour finds it due. Never later than the
    /// window's opening, so the week is always built at least <paramref name="leadTime"/> ahead
    /// (the weeks then due are those of <see cref="WeeksDue"/> with <c>leadTime + Spread</c>).
    /// </summary>
    public static DateTimeOffset NextBuildAt(IsoWeek newestPlanned, string timeZone, TimeSpan leadTime, int spreadHour)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spreadHour);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spreadHour, 23);
        var windowOpens = WeekClock.StartOf(newestPlanned.Next(), timeZone) - leadTime;
        var at = (windowOpens - Spread + TimeSpan.FromHours(spreadHour)).ToUniversalTime();
        var hour = new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, 0, 0, TimeSpan.Zero);
        return hour == at ? hour : hour.AddHours(1);
    }

    /// <summary>True when one of the person's available days falls on <paramref name="date"/> or later in its week.</summary>
    public static bool AnyAvailableDayFrom(Profile profile, LocalDate date)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.AvailableDays.Any(day => day >= date.DayOfWeek);
    }

    private static bool IsStale(ScheduleQuery query, IsoWeek week) =>
        query.Planned.Any(p => p.Week == week && p.ProfileVersion < query.ProfileVersion);
}
