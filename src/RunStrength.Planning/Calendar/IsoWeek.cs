using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NodaTime.Calendars;

namespace RunStrength.Planning;

/// <summary>An ISO 8601 week such as <c>2026-W49</c>: weeks start on Monday.</summary>
public readonly record struct IsoWeek : IComparable<IsoWeek>
{
    /// <summary>
    /// The years a week may be in. Far from the calendar's ends, so that a week's neighbours always
    /// exist, and the same bounds for parsing as for construction: a week that parses never throws.
    /// </summary>
    public const int MinYear = 1900;

    public const int MaxYear = 2999;

    public IsoWeek(int year, int week)
    {
        if (year is < MinYear or > MaxYear || week < 1 || week > ISOWeek.GetWeeksInYear(year))
        {
            throw new ArgumentOutOfRangeException(nameof(week), $"{year}-W{week:00} is not an ISO week.");
        }

        Year = year;
        Week = week;
    }

    public int Year { get; }
    public int Week { get; }

    public LocalDate Monday => LocalDate.FromDateTime(ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday));

    public LocalDate Date(IsoDayOfWeek day) => Monday.PlusDays((int)day - 1);

    public IsoWeek Next() => Containing(Monday.PlusWeeks(1));

    public IsoWeek Previous() => Containing(Monday.PlusWeeks(-1));

    public IsoWeek Plus(int weeks) => Containing(Monday.PlusWeeks(weeks));

    public static IsoWeek Containing(LocalDate date) =>
        new(WeekYearRules.Iso.GetWeekYear(date), WeekYearRules.Iso.GetWeekOfWeekYear(date));

    public static bool TryParse([NotNullWhen(true)] string? text, out IsoWeek week)
    {
        week = default;
        if (text is not { Length: 8 } || text[4] != '-' || text[5] != 'W'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || year is < MinYear or > MaxYear || number < 1 || number > ISOWeek.GetWeeksInYear(year))
        {
            return false;
        }

        week = new IsoWeek(year, number);
        return true;
    }

    public static IsoWeek Parse(string text) =>
        TryParse(text, out var week) ? week : throw new FormatException($"'{text}' is not an ISO week like 2026-W49.");

    public int CompareTo(IsoWeek other) => Year != other.Year ? Year.CompareTo(other.Year) : Week.CompareTo(other.Week);

    public static bool operator <(IsoWeek left, IsoWeek right) => left.CompareTo(right) < 0;
    public static bool operator >(IsoWeek left, IsoWeek right) => left.CompareTo(right) > 0;
    public static bool operator <=(IsoWeek left, IsoWeek right) => left.CompareTo(right) <= 0;
    public static bool operator >=(IsoWeek left, IsoWeek right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:0000}-W{Week:00}");
}
