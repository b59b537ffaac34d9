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
/// one contiguous range, and so is one user's week.
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
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {key.Shard} and UserKey eq {key.Value}");
        return await Rows.DeleteAllAsync(table, filter, tables.Options, cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<TableEntity> QueryAsync(string shard, string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.SessionLogs, cancellationToken).ConfigureAwait(false);

        // '~' sorts after every character a row key here holds, so [prefix, prefix~) is the prefix range.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shard} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return entity;
        }
    }
}
