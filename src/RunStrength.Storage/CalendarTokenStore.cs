using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace RunStrength.Storage;

public interface ICalendarTokenStore
{
    /// <summary>Issues a new 256-bit token for the user, revoking every earlier one. The token is returned once and stored only as a hash.</summary>
    Task<string> CreateOrRotateAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Revokes every token of the user without issuing a new one; safe to repeat. Returns the tokens revoked.</summary>
    Task<int> RevokeAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The user a token belongs to, or null for an unknown or revoked token.</summary>
    Task<string?> ResolveAsync(string token, CancellationToken cancellationToken = default);

    Task<int> DeleteUserAsync(string userId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Three kinds of rows. <c>tok-xx / hash</c> resolves a token to its user with a point read.
/// In the user's own partition <c>usr-xx</c>: <c>userKey</c>, the pointer to the current token
/// with a generation that every rotation and revocation raises by one under <c>If-Match</c>; and
/// <c>userKey-tok-hash</c>, one index row per token issued, so revoking and erasing read only the
/// user's own rows and never scan the token partitions.
/// </summary>
/// <remarks>
/// A rotation writes its index row and token, then moves the pointer conditionally. Only one of
/// racing rotations can move it from a given generation; the others revoke their own new token
/// (never handed out) and start again from the new pointer. The winner then revokes every token
/// of its generation or older, so whichever rotation moves the pointer last leaves exactly one
/// token, and a crash between the steps leaves an indexed row that the next rotation revokes.
/// </remarks>
internal sealed class CalendarTokenStore(Tables tables, TimeProvider clock) : ICalendarTokenStore
{
    /// <summary>Rotations lost in a row before giving up; each loss means another rotation of the same user won.</summary>
    private const int MaxAttempts = 16;

    private const string IndexInfix = "-tok-";

    public async Task<string> CreateOrRotateAsync(string userId, CancellationToken cancellationToken = default)
    {
        var key = UserKey.For(userId);
        var table = await tables.GetAsync(Tables.Calendars, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var pointer = await ReadPointerAsync(table, key, cancellationToken).ConfigureAwait(false);
            var generation = pointer.Generation + 1;
            var token = Base64Url(RandomNumberGenerator.GetBytes(32));
            var hash = Hash(token);

            // Index first, then the token: whatever a crash leaves behind is listed for revocation.
            await table.UpsertEntityAsync(new TableEntity(UserPartition(key), IndexKey(key, hash)) { ["Generation"] = generation }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            await table.AddEntityAsync(new TableEntity(TokenPartition(hash), hash) { ["UserId"] = userId, ["UserKey"] = key.Value, ["CreatedAt"] = clock.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            if (await TryMovePointerAsync(table, key, pointer, hash, generation, cancellationToken).ConfigureAwait(false))
            {
                await RevokeUpToAsync(table, key, generation, keep: hash, pointer.TokenHash, cancellationToken).ConfigureAwait(false);
                return token;
            }

            await DeleteTokenAsync(table, key, hash, cancellationToken).ConfigureAwait(false);
            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"Calendar rotation lost {MaxAttempts} times in a row to other rotations of the same user.");
            }
        }
    }

    public async Task<int> RevokeAsync(string userId, CancellationToken cancellationToken = default)
    {
        var key = UserKey.For(userId);
        var table = await tables.GetAsync(Tables.Calendars, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var pointer = await ReadPointerAsync(table, key, cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrEmpty(pointer.TokenHash) && (await ReadIndexAsync(table, key, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                // Never had a feed, or already revoked: nothing to do, and nothing is written.
                return 0;
            }

            // Moving the pointer makes any rotation that read the old one lose and revoke its own token.
            if (await TryMovePointerAsync(table, key, pointer, hash: "", pointer.Generation + 1, cancellationToken).ConfigureAwait(false))
            {
                return await RevokeUpToAsync(table, key, pointer.Generation + 1, keep: null, pointer.TokenHash, cancellationToken).ConfigureAwait(false);
            }

            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"Calendar revocation lost {MaxAttempts} times in a row to rotations of the same user.");
            }
        }
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
        var pointer = await ReadPointerAsync(table, key, cancellationToken).ConfigureAwait(false);
        var index = await ReadIndexAsync(table, key, cancellationToken).ConfigureAwait(false);

        // The pointer's token too: one issued before the index existed has no index row.
        var hashes = index.Select(row => row.Hash).Append(pointer.TokenHash).OfType<string>().Where(h => h.Length > 0).Distinct(StringComparer.Ordinal);
        var deleted = 0;
        foreach (var hash in hashes)
        {
            deleted += await DeleteRowAsync(table, TokenPartition(hash), hash, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (hash, _) in index)
        {
            deleted += await DeleteRowAsync(table, UserPartition(key), IndexKey(key, hash), cancellationToken).ConfigureAwait(false);
        }

        return deleted + await DeleteRowAsync(table, UserPartition(key), key.Value, cancellationToken).ConfigureAwait(false);
    }

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Revokes every indexed token of <paramref name="generation"/> or older except <paramref name="keep"/>; newer ones belong to later rotations.</summary>
    private static async Task<int> RevokeUpToAsync(TableClient table, UserKey key, long generation, string? keep, string? previous, CancellationToken cancellationToken)
    {
        var revoked = 0;
        foreach (var (hash, _) in (await ReadIndexAsync(table, key, cancellationToken).ConfigureAwait(false)).Where(row => row.Generation <= generation && row.Hash != keep))
        {
            revoked += await DeleteTokenAsync(table, key, hash, cancellationToken).ConfigureAwait(false);
        }

        // A token issued before the index existed is known only to the pointer.
        if (previous is { Length: > 0 } && previous != keep)
        {
            revoked += await DeleteRowAsync(table, TokenPartition(previous), previous, cancellationToken).ConfigureAwait(false);
        }

        return revoked;
    }

    /// <summary>The token row first, then its index row, so a crash never leaves a token that nothing lists.</summary>
    private static async Task<int> DeleteTokenAsync(TableClient table, UserKey key, string hash, CancellationToken cancellationToken)
    {
        var deleted = await DeleteRowAsync(table, TokenPartition(hash), hash, cancellationToken).ConfigureAwait(false);
        await DeleteRowAsync(table, UserPartition(key), IndexKey(key, hash), cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    private static async Task<int> DeleteRowAsync(TableClient table, string partition, string row, CancellationToken cancellationToken) =>
        (await table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken).ConfigureAwait(false)).Status == 404 ? 0 : 1;

    private static async Task<Pointer> ReadPointerAsync(TableClient table, UserKey key, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition(key), key.Value, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue
            ? new Pointer(true, row.Value!.ETag, row.Value.GetInt64("Generation") ?? 0, row.Value.GetString("TokenHash"))
            : new Pointer(false, default, 0, null);
    }

    /// <summary>Creates the pointer if it was absent, else replaces it only if unchanged since read; false when another writer got there first.</summary>
    private static async Task<bool> TryMovePointerAsync(TableClient table, UserKey key, Pointer pointer, string hash, long generation, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(UserPartition(key), key.Value) { ["TokenHash"] = hash, ["Generation"] = generation };
        try
        {
            if (pointer.Exists)
            {
                await table.UpdateEntityAsync(entity, pointer.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    /// <summary>The user's index rows: one range query in the user's own partition.</summary>
    private static async Task<List<(string Hash, long Generation)>> ReadIndexAsync(TableClient table, UserKey key, CancellationToken cancellationToken)
    {
        var prefix = key.Value + IndexInfix;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {UserPartition(key)} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        var rows = new List<(string, long)>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add((row.RowKey[prefix.Length..], row.GetInt64("Generation") ?? 0));
        }

        return rows;
    }

    private static string TokenPartition(string hash) => $"tok-{hash[..2]}";

    private static string UserPartition(UserKey key) => $"usr-{key.Shard}";

    private static string IndexKey(UserKey key, string hash) => key.Value + IndexInfix + hash;

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private readonly record struct Pointer(bool Exists, ETag ETag, long Generation, string? TokenHash);
}
