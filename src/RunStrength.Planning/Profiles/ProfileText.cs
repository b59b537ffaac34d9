using System.Globalization;
using NodaTime.Text;

namespace RunStrength.Planning.Profiles;

/// <summary>The text forms of dates and durations in the profile contract: ISO dates, "hh:mm:ss".</summary>
public static class ProfileText
{
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    public static string Date(LocalDate date) => DatePattern.Format(date);

    public static bool TryDate(string? text, out LocalDate date)
    {
        var result = text is null ? null : DatePattern.Parse(text);
        date = result is { Success: true } ? result.Value : default;
        return result is { Success: true };
    }

    public static string Duration(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:00}:{time.Minutes:00}:{time.Seconds:00}");

    /// <summary>Parses "hh:mm:ss" (hours may pass 24 for an ultra); nothing else.</summary>
    public static bool TryDuration(string? text, out TimeSpan time)
    {
        time = default;
        var parts = text?.Split(':');
        if (parts is not { Length: 3 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            || parts[1].Length != 2 || parts[2].Length != 2 || parts[0].Length is < 1 or > 2 || m > 59 || s > 59)
        {
            return false;
        }

        time = new TimeSpan(h, m, s);
        return true;
    }
}
