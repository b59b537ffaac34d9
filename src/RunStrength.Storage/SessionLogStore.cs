using Azure;
using Azure.Data.Tables;
using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Serialization;

namespace RunStrength.Storage;

public interface ISessionLogStore
{
    /// <summary>Records what was done for one session; <see cref="WriteOutcome.Created"/> the first time, then Updated.</summary>
    Task<WriteResult> UpsertAsync(string userId, IsoWeek week, SessionLog log, CancellationToken cancellationToken = default);

    /// <summary>One user's logs for a week (a single-partition range query).</summary>
    Task<IReadOnlyList<SessionLog>> GetWeekAsync(string userId, IsoWeek week, CancellationToken cancellationToken = default);

    /// <summary>Every user's logs of one shard for a week, keyed by user key: one range query for the weekly run.</summary>
    Task<IReadOnlyDictionary<UserKey, IReadOnlyList<SessionLog>>> GetShardWeekAsync(string shard, IsoWeek week, CancellationToken cancellationToken = default);

    Task<int> DeleteUserAsync(string userId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Row key <c>{week}-{user}-{session}</c> in the user's shard partition: a shard's week of logs is
/// one contiguous range, and so is one user's week. Beside them, <c>!usr-{user}-{week}</c> indexes
/// the weeks a user logged (written before the log), so erasing a user reads
/// that user's rows only, never the rest of the shard.
/// </summary>
internal sealed class SessionLogStore(Tables tables, TimeProvider clock) : ISessionLogStore
{
    public async Task<WriteResult> UpsertAsync(string userId, IsoWeek week, SessionLog log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        var key = UserKey.For(userId);
        var entity = new TableEntity(key.Shard, $"{WeekKeys.Descending(week)}-{key.Value}-{log.SessionId}")
        {
            ["UserKey"] = key.Value,
            ["Week"] = week.ToString(),
            ["SessionId"] = log.SessionId,
            ["Log"] = PlanJson.Serialize(log),
            ["UpdatedAt"] = clock.GetUtcNow(),
        };
        TableLimits.Validate(entity);
        var table = await tables.GetAsync(Tables.SessionLogs, cancellationToken).ConfigureAwait(false);

        // The index row first (and again on every write, so a log from before the index gets one):
        // a crash after it leaves an index row with no log, never a log that erasure cannot find.
        await table.UpsertEntityAsync(new TableEntity(key.Shard, IndexKey(key, week)) { ["Week"] = week.ToString() }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        try
        {
            var added = await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return new WriteResult(WriteOutcome.Created, added.Headers.ETag?.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var updated = await table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new WriteResult(WriteOutcome.Updated, updated.Headers.ETag?.ToString());
        }
    }

    public async Task<IReadOnlyList<SessionLog>> GetWeekAsync(string userId, IsoWeek week, CancellationToken cancellationToken = default)
    {
        var key = UserKey.For(userId);
        var prefix = $"{WeekKeys.Descending(week)}-{key.Value}-";
        var logs = new List<SessionLog>();
        await foreach (var entity in QueryAsync(key.Shard, prefix, cancellationToken).ConfigureAwait(false))
        {
            logs.Add(PlanJson.Deserialize<SessionLog>(entity.GetString("Log")));
        }

        return logs;
    }

    public async Task<IReadOnlyDictionary<UserKey, IReadOnlyList<SessionLog>>> GetShardWeekAsync(string shard, IsoWeek week, CancellationToken cancellationToken = default)
    {
        var logs = new Dictionary<UserKey, List<SessionLog>>();
        await foreach (var entity in QueryAsync(shard, $"{WeekKeys.Descending(week)}-", cancellationToken).ConfigureAwait(false))
        {
            var user = new UserKey(entity.GetString("UserKey"));
            if (!logs.TryGetValue(user, out var list))
            {
                logs[user] = list = [];
            }

            list.Add(PlanJson.Deserialize<SessionLog>(entity.GetString("Log")));
        }

        return logs.ToDictionary(e => e.Key, e => (IReadOnlyList<SessionLog>)e.Value);
    }

    public async Task<int> DeleteUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        var key = UserKey.For(userId);
        var table = await tables.GetAsync(Tables.SessionLogs, cancellationToken).ConfigureAwait(false);
        var weeks = new List<string>();
        await foreach (var row in QueryAsync(key.Shard, IndexKey(key, week: null), cancellationToken).ConfigureAwait(false))
        {
            weeks.Add(row.RowKey[^6..]);
        }

        // Each logged week is one range of the user's own rows; the index goes last, so a crash halfway leaves it to find the rest.
        var deleted = 0;
        foreach (var week in weeks)
        {
            var prefix = $"{week}-{key.Value}-";
            deleted += await Rows.DeleteAllAsync(table, RangeFilter(key.Shard, prefix), tables.Options, cancellationToken).ConfigureAwait(false);
        }

        return deleted + await Rows.DeleteAllAsync(table, RangeFilter(key.Shard, IndexKey(key, week: null)), tables.Options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The index row of a user's logged week, or with no week the prefix of them all.</summary>
    private static string IndexKey(UserKey key, IsoWeek? week) => $"!usr-{key.Value}-{(week is { } w ? WeekKeys.Descending(w) : "")}";

    // '~' sorts after every character a row key here holds, so [prefix, prefix~) is the prefix range.
    private static string RangeFilter(string shard, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {shard} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");

    private async IAsyncEnumerable<TableEntity> QueryAsync(string shard, string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.SessionLogs, cancellationToken).ConfigureAwait(false);
        await foreach (var entity in table.QueryAsync<TableEntity>(RangeFilter(shard, prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return entity;
        }
    }
}
