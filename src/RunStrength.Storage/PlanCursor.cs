using System.Buffers.Text;
using System.Text;
using RunStrength.Planning;

namespace RunStrength.Storage;

/// <summary>
/// The continuation token of a plan listing: opaque to clients (Base64url), and holding nothing but
/// the ISO week the next page starts from. It carries no storage key, no user hash and no SDK
/// state, so it is safe in a URL and in telemetry; a tampered token that still decodes names only
/// another week of the caller's own plans (the partition comes from the signed-in user).
/// </summary>
public static class PlanCursor
{
    private const string Prefix = "w1:";
    private const int MaxLength = 64;

    public static string Encode(IsoWeek week) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + week));

    /// <summary>True for a token <see cref="Encode"/> made, spelled exactly as it made it.</summary>
    public static bool TryDecode(string? token, out IsoWeek week)
    {
        week = default;
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength || !Base64Url.IsValid(token))
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
        return text.StartsWith(Prefix, StringComparison.Ordinal)
            && IsoWeek.TryParse(text[Prefix.Length..], out week)
            && string.Equals(Encode(week), token, StringComparison.Ordinal);
    }
}
