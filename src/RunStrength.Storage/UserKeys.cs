using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RunStrength.Planning;

namespace RunStrength.Storage;

/// <summary>
/// Table keys for a user. User ids come from tokens and may hold any character, so they never
/// go into a key raw: the key is the SHA-256 of the id in hex, and the shard its first byte.
/// </summary>
public readonly record struct UserKey(string Value)
{
    public const int ShardCount = 256;

    /// <summary>One of 256 partitions, <c>00</c> to <c>ff</c>.</summary>
    public string Shard => Value[..2];

    /// <summary>
    /// An hour of the day (0-23) that spreads builds over a day: the shard's, so a shard's users of
    /// one time zone come due together, and a tick reads fewer shards, each with more users.
    /// </summary>
    public int SpreadHour => int.Parse(Shard, NumberStyles.HexNumber, CultureInfo.InvariantCulture) % 24;

    public static UserKey For(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(userId), hash);
        return new UserKey(Convert.ToHexStringLower(hash));
    }

    public static IEnumerable<string> AllShards() =>
        Enumerable.Range(0, ShardCount).Select(i => i.ToString("x2", CultureInfo.InvariantCulture));

    public override string ToString() => Value;
}

/// <summary>Row-key form of an ISO week that sorts newest first.</summary>
public static class WeekKeys
{
    public static string Descending(IsoWeek week) =>
        string.Create(CultureInfo.InvariantCulture, $"{9999 - week.Year:0000}{99 - week.Week:00}");

    public static IsoWeek FromDescending(string key) =>
        new(9999 - int.Parse(key.AsSpan(0, 4), CultureInfo.InvariantCulture), 99 - int.Parse(key.AsSpan(4, 2), CultureInfo.InvariantCulture));
}
