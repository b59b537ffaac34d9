using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace RunStrength.Storage;

public interface ICalendarTokenStore
{
    /// <summary>Issues a new 256-bit token for the user, revoking the previous one. The token is returned once and stored only as a hash.</summary>
    Task<string> CreateOrRotateAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The user a token belongs to, or null for an unknown or revoked token.</summary>
    Task<string?> ResolveAsync(string token, CancellationToken cancellationToken = default);

    Task<int> DeleteUserAsync(string userId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Two kinds of rows: <c>tok-xx / hash</c> resolves a token to its user with a point read;
/// <c>usr-xx / userKey</c> remembers the user's current token hash so rotation can revoke it.
/// </summary>
internal sealed class CalendarTokenStore(Tables tables, TimeProvider clock) : ICalendarTokenStore
{
    public async Task<string> CreateOrRotateAsync(string userId, CancellationToken cancellationToken = default)
    {
        var key = UserKey.For(userId);
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var hash = Hash(token);
        var table = await tables.GetAsync(Tables.Calendars, cancellationToken).ConfigureAwait(false);

        // New token first, then the pointer, then revoke the old: a crash in between never leaves
        // the user without a working token, and the old one is gone once the pointer moved.
        await table.AddEntityAsync(new TableEntity(TokenPartition(hash), hash) { ["UserId"] = userId, ["UserKey"] = key.Value, ["CreatedAt"] = clock.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        var pointer = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition(key), key.Value, cancellationToken: cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(UserPartition(key), key.Value) { ["TokenHash"] = hash }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        if (pointer.HasValue && pointer.Value!.GetString("TokenHash") is { } old && old != hash)
        {
            await table.DeleteEntityAsync(TokenPartition(old), old, ETag.All, cancellationToken).ConfigureAwait(false);
        }

        return token;
    }

    public async Task<string?> ResolveAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        var table = await tables.GetAsync(Tables.Calendars, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TokenPartition(hash), hash, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value!.GetString("UserId") : null;
    }

    public async Task<int> DeleteUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        var key = UserKey.For(userId);
        var table = await tables.GetAsync(Tables.Calendars, cancellationToken).ConfigureAwait(false);
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"UserKey eq {key.Value} and PartitionKey ge {"tok-"} and PartitionKey lt {"tok."}");

        // Tokens are found by user, not only through the pointer, so a half-finished rotation leaves nothing behind.
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            deleted++;
        }

        var pointer = await table.DeleteEntityAsync(UserPartition(key), key.Value, ETag.All, cancellationToken).ConfigureAwait(false);
        return deleted + (pointer.Status == 404 ? 0 : 1);
    }

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string TokenPartition(string hash) => $"tok-{hash[..2]}";

    private static string UserPartition(UserKey key) => $"usr-{key.Shard}";

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
