using System.Text.RegularExpressions;

namespace RunStrength.Functions.Telemetry;

/// <summary>
/// What must never reach logs or telemetry: the calendar feed token, which is the whole credential
/// of <c>/api/calendar/feed.ics?token=…</c> (and of the deprecated <c>/api/calendar/{token}.ics</c>),
/// and query strings, which carry feed and continuation tokens and whatever else a client puts there.
/// </summary>
public static partial class UrlRedaction
{
    public const string Redacted = "[redacted]";

    /// <summary>
    /// The text with every calendar path segment after <c>/calendar/</c> (except the fixed
    /// <c>feed.ics</c>, which holds no secret and tells the two routes apart) and every URL query
    /// string replaced by <see cref="Redacted"/>.
    /// </summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 1 && text[0] == '?')
        {
            // A bare query string, as ASP.NET Core logs it in its own field.
            return "?" + Redacted;
        }

        return Query().Replace(CalendarPath().Replace(text, "${prefix}" + Redacted), "?" + Redacted);
    }

    /// <summary>
    /// A log value redacted: strings by <see cref="Redact(string)"/>; anything else (a <c>PathString</c>,
    /// a <c>Uri</c>) by its text when that holds something to redact, else as it is.
    /// </summary>
    public static object? RedactValue(object? value) => value switch
    {
        string text => Redact(text),
        null or bool or int or long or double or decimal or DateTimeOffset or DateTime or TimeSpan or Guid or Enum => value,
        _ => value.ToString() is { } text && Redact(text) is var redacted && redacted != text ? redacted : value,
    };

    [GeneratedRegex(@"(?<prefix>/calendar/)(?!feed\.ics(?:[\s/?#""'<>]|$))[^\s/?#""'<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CalendarPath();

    // A '?' right after a URL character, followed by at least one more: "…/plans?from=…", not "Why? Because".
    [GeneratedRegex(@"(?<=[A-Za-z0-9/._~%\-\]])\?[^\s""'#<>]+", RegexOptions.CultureInvariant)]
    private static partial Regex Query();
}
