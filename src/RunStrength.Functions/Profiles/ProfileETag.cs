using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace RunStrength.Functions.Profiles;

/// <summary>
/// The profile's HTTP ETag is its version, <c>"3"</c>: it changes exactly when the profile does, not
/// when the weekly run records bookkeeping on the same row.
/// </summary>
public static class ProfileETag
{
    public static string For(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    public static bool HasIfMatch(HttpRequest request) => request.Headers.IfMatch.Count > 0;

    public static bool IfNoneMatchIsStar(HttpRequest request) => request.Headers.IfNoneMatch.ToString().Trim() == "*";

    /// <summary>Whether a conditional header lists this version (or <c>*</c>). Weak tags compare by value.</summary>
    public static bool Matches(Microsoft.Extensions.Primitives.StringValues header, long version)
    {
        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        var current = new EntityTagHeaderValue(For(version));
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }
}
