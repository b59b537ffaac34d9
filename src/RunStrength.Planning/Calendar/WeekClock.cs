namespace RunStrength.Planning;

/// <summary>
/// Weeks in a person's own time zone. A week starts at Monday 00:00 local time; where a DST change
/// skips midnight, it starts at the first instant that exists that day.
/// </summary>
public static class WeekClock
{
    private static readonly IDateTimeZoneProvider Zones = DateTimeZoneProviders.Tzdb;

    public static bool IsKnownZone(string id) => Zones.GetZoneOrNull(id) is not null;

    public static DateTimeZone Zone(string id) =>
        Zones.GetZoneOrNull(id) ?? throw new ArgumentException($"'{id}' is not an IANA time zone.", nameof(id));

    public static LocalDate Today(DateTimeOffset now, string timeZone) =>
        Instant.FromDateTimeOffset(now).InZone(Zone(timeZone)).Date;

    public static IsoWeek WeekContaining(DateTimeOffset now, string timeZone) =>
        IsoWeek.Containing(Today(now, timeZone));

    /// <summary>The instant the week starts for someone in <paramref name="timeZone"/>.</summary>
    public static DateTimeOffset StartOf(IsoWeek week, string timeZone) =>
        Zone(timeZone).AtStartOfDay(week.Monday).ToDateTimeOffset();

    /// <summary>The instant a local day starts (DST-safe), used for session start times.</summary>
    public static DateTimeOffset StartOf(LocalDate date, string timeZone) =>
        Zone(timeZone).AtStartOfDay(date).ToDateTimeOffset();
}
