using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RunStrength.Planning;
using RunStrength.Storage;

namespace RunStrength.Functions.Plans;

/// <summary>What a plan listing was asked for: a token is good only for the query it was issued for.</summary>
public readonly record struct PlanQuery(IsoWeek? From, IsoWeek? To, int PageSize);

/// <summary>
/// The continuation token of a plan listing: opaque (Base64url) and tamper-evident. It holds a
/// version, the ISO week the next page starts from and an HMAC-SHA256 (its first 24 bytes) under
/// <see cref="CursorOptions.SecretKey"/> over those and the caller's user key and query. So a token
/// another user got, one for another window or page size, or one with any byte changed is refused,
/// and the token carries no storage key or user hash: it is safe in a URL and in telemetry.
/// </summary>
public sealed class PlanCursor(IOptions<CursorOptions> options)
{
    private const byte Version = 2;
    private const int WeekLength = 8;
    private const int MacLength = 24;

    /// <summary>33 bytes, a multiple of 3: every Base64url character carries data, so each token has exactly one spelling.</summary>
    private const int TokenBytes = 1 + WeekLength + MacLength;

    /// <summary>Separates this key's MACs from any other use the same key might be put to.</summary>
    private const string Purpose = "runstrength:plans-cursor";

    private readonly Lazy<byte[]> _key = new(() => CursorOptions.Secret.Read(options.Value.SecretKey));

    public string Issue(UserKey user, PlanQuery query, IsoWeek next)
    {
        Span<byte> token = stackalloc byte[TokenBytes];
        token[0] = Version;
        Encoding.ASCII.GetBytes(next.ToString(), token.Slice(1, WeekLength));
        Mac(user, query, token[..(1 + WeekLength)], token[(1 + WeekLength)..]);
        return Base64Url.EncodeToString(token);
    }

    /// <summary>True for a token <see cref="Issue"/> made for this user and this query, spelled exactly as it made it.</summary>
    public bool TryRead(string? token, UserKey user, PlanQuery query, out IsoWeek next)
    {
        next = default;
        Span<byte> bytes = stackalloc byte[TokenBytes];
        if (token is null || token.Length != Base64Url.GetEncodedLength(TokenBytes)
            || Base64Url.DecodeFromChars(token, bytes, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != TokenBytes || bytes[0] != Version)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        Mac(user, query, bytes[..(1 + WeekLength)], expected);
        return CryptographicOperations.FixedTimeEquals(expected, bytes[(1 + WeekLength)..])
            && IsoWeek.TryParse(Encoding.ASCII.GetString(bytes.Slice(1, WeekLength)), out next);
    }

    private void Mac(UserKey user, PlanQuery query, ReadOnlySpan<byte> payload, Span<byte> mac)
    {
        // Every field is fixed in form and none holds a newline, so the lines cannot be confused.
        var context = string.Create(CultureInfo.InvariantCulture, $"{Purpose}\n{user.Value}\n{query.From}\n{query.To}\n{query.PageSize}\n");
        var input = new byte[Encoding.ASCII.GetByteCount(context) + payload.Length];
        var written = Encoding.ASCII.GetBytes(context, input);
        payload.CopyTo(input.AsSpan(written));
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key.Value, input, full);
        full[..MacLength].CopyTo(mac);
    }
}
