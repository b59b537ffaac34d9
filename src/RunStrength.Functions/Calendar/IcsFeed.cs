using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using RunStrength.Planning.Plans;
using RunStrength.Storage;

namespace RunStrength.Functions.Calendar;

/// <summary>
/// An RFC 5545 feed of plan sessions. UIDs are stable per user, week and session, and name the user
/// only by <see cref="UserTag"/>, an HMAC under a server secret; SEQUENCE is the
/// profile version the week was built from, so it rises whenever a rebuilt week may have changed.
/// Sessions start at 07:00 local time, a second session that day at 18:00 (W1: six hours apart).
/// </summary>
public static class IcsFeed
{
    public static readonly LocalTime FirstSessionStart = new(7, 0);
    public static readonly LocalTime SecondSessionStart = new(18, 0);

    public static string Build(string userTag, string timeZone, IEnumerable<WeekPlan> plans)
    {
        ArgumentNullException.ThrowIfNull(userTag);
        var calendar = new Ical.Net.Calendar { ProductId = "-//RunStrength//Training plan//EN" };
        calendar.AddProperty("X-WR-CALNAME", "RunStrength");
        calendar.AddTimeZone(timeZone);
        foreach (var plan in plans)
        {
            foreach (var day in plan.Sessions.Where(s => s.Kind != SessionKind.Rest).GroupBy(s => s.Date))
            {
                var index = 0;
                foreach (var session in day)
                {
                    var start = day.Key.At(index++ == 0 ? FirstSessionStart : SecondSessionStart);
                    calendar.Events.Add(new CalendarEvent
                    {
                        Uid = Uid(userTag, plan.Week, session.Id),
                        Sequence = (int)Math.Min(plan.ProfileVersion, int.MaxValue),
                        DtStamp = new CalDateTime(plan.GeneratedAt.UtcDateTime),
                        DtStart = new CalDateTime(start.ToDateTimeUnspecified(), timeZone),
                        Duration = Ical.Net.DataTypes.Duration.FromMinutes(Math.Max(session.DurationMinutes, 5)),
                        Summary = session.Title,
                        Description = Describe(session),
                        Categories = [session.Kind.ToString().ToLowerInvariant()],
                    });
                }
            }
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    public static string Uid(string userTag, string week, string sessionId) =>
        string.Create(CultureInfo.InvariantCulture, $"{userTag}-{week}-{sessionId}@runstrength");

    /// <summary>
    /// The user part of every UID: 128 bits of HMAC-SHA256 of the user key under the server's key.
    /// The user key is an unsalted hash of the user id, so putting it (or part of it) in a UID would
    /// let anyone holding a feed test guesses of whose it is.
    /// </summary>
    public static string UserTag(byte[] secret, UserKey userKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(userKey.Value)))[..32];

    private static string Describe(Session session)
    {
        var text = new StringBuilder(session.Why);
        foreach (var block in session.Blocks)
        {
            text.Append('\n').Append(block.Name).Append(": ");
            text.Append(block.Repeats is { } repeats ? string.Create(CultureInfo.InvariantCulture, $"{repeats} × {block.Work} / {block.Recovery}") : block.Detail);
            if (block.Minutes is { } minutes)
            {
                text.Append(CultureInfo.InvariantCulture, $" ({minutes} min)");
            }
        }

        foreach (var exercise in session.Exercises)
        {
            text.Append('\n').Append(CultureInfo.InvariantCulture, $"{exercise.Name}: {exercise.Sets} × {exercise.TargetReps} reps, {exercise.TargetRir} in reserve");
        }

        return text.ToString();
    }
}
