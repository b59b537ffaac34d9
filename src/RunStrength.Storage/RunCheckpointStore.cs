using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace RunStrength.Storage;

public enum ShardRunStatus { Running, Done }

/// <summary>Progress of one timer run over one shard, so a crashed run resumes where it stopped.</summary>
public sealed record RunCheckpoint
{
    public required string RunId { get; init; }
    public required string Shard { get; init; }
    public required ShardRunStatus Status { get; init; }
    public int UsersSeen { get; init; }
    public int PlansBuilt { get; init; }
    public int UpToDate { get; init; }
    public int Failed { get; init; }

    /// <summary>Failed users of this shard as <c>userKey: reason</c> lines; never raw user ids.</summary>
    public string FailedUsers { get; init; } = "";

    public DateTimeOffset UpdatedAt { get; init; }
    public string? ETag { get; init; }
}

/// <summary>What one run of the weekly timer did: a full reconcile sweep, or an hourly due-index tick.</summary>
public sealed record RunSummary
{
    public required string RunId { get; init; }

    /// <summary><c>reconcile</c> (every user checked) or <c>due</c> (only the due index's users).</summary>
    public required string Kind { get; init; }

    public int UsersSeen { get; init; }
    public int PlansBuilt { get; init; }
    public int UpToDate { get; init; }
    public int Failed { get; init; }
    public int ShardsResumed { get; init; }

    /// <summary>Shards sent to the <c>plan-build</c> queue instead of built in the run.</summary>
    public int ShardsEnqueued { get; init; }

    /// <summary>Messages waiting in <c>plan-build-poison</c> when the run ended: shards that failed every delivery.</summary>
    public int Poisoned { get; init; }

    /// <summary>Failed users as <c>userKey: reason</c> lines; never raw user ids.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    public TimeSpan Duration { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
}

public interface IRunCheckpointStore
{
    /// <summary>Every shard checkpoint of a run (one partition).</summary>
    IAsyncEnumerable<RunCheckpoint> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Saves a checkpoint; with an ETag only if unchanged (another instance may own the shard).</summary>
    Task<WriteResult> SaveAsync(RunCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <summary>Writes a run's summary row (row key <c>summary</c>).</summary>
    Task SaveSummaryAsync(RunSummary summary, CancellationToken cancellationToken = default);

    Task<RunSummary?> GetSummaryAsync(string runId, CancellationToken cancellationToken = default);
}

internal sealed class RunCheckpointStore(Tables tables) : IRunCheckpointStore
{
    private const string SummaryRow = "summary";

    public async IAsyncEnumerable<RunCheckpoint> GetRunAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Runs, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {runId} and RowKey ne {SummaryRow}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return new RunCheckpoint
            {
                RunId = entity.PartitionKey,
                Shard = entity.RowKey,
                Status = Enum.Parse<ShardRunStatus>(entity.GetString("Status")),
                UsersSeen = entity.GetInt32("UsersSeen") ?? 0,
                PlansBuilt = entity.GetInt32("PlansBuilt") ?? 0,
                UpToDate = entity.GetInt32("UpToDate") ?? 0,
                Failed = entity.GetInt32("Failed") ?? 0,
                FailedUsers = entity.GetString("FailedUsers") ?? "",
                UpdatedAt = entity.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.UnixEpoch,
                ETag = entity.ETag.ToString(),
            };
        }
    }

    public async Task<WriteResult> SaveAsync(RunCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var entity = new TableEntity(checkpoint.RunId, checkpoint.Shard)
        {
            ["Status"] = checkpoint.Status.ToString(),
            ["UsersSeen"] = checkpoint.UsersSeen,
            ["PlansBuilt"] = checkpoint.PlansBuilt,
            ["UpToDate"] = checkpoint.UpToDate,
            ["Failed"] = checkpoint.Failed,
            ["FailedUsers"] = checkpoint.FailedUsers,
            ["UpdatedAt"] = checkpoint.UpdatedAt,
        };
        TableLimits.Validate(entity);
        var table = await tables.GetAsync(Tables.Runs, cancellationToken).ConfigureAwait(false);
        try
        {
            Response response = checkpoint.ETag is null
                ? await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await table.UpdateEntityAsync(entity, new ETag(checkpoint.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new WriteResult(checkpoint.ETag is null ? WriteOutcome.Created : WriteOutcome.Updated, response.Headers.ETag?.ToString());
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return new WriteResult(e.Status switch { 409 => WriteOutcome.Conflict, 404 => WriteOutcome.NotFound, _ => WriteOutcome.Stale });
        }
    }

    public async Task SaveSummaryAsync(RunSummary summary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var failures = string.Join('\n', summary.Failures);
        var entity = new TableEntity(summary.RunId, SummaryRow)
        {
            ["Kind"] = summary.Kind,
            ["UsersSeen"] = summary.UsersSeen,
            ["PlansBuilt"] = summary.PlansBuilt,
            ["UpToDate"] = summary.UpToDate,
            ["Failed"] = summary.Failed,
            ["ShardsResumed"] = summary.ShardsResumed,
            ["ShardsEnqueued"] = summary.ShardsEnqueued,
            ["Poisoned"] = summary.Poisoned,
            ["DurationMs"] = (long)summary.Duration.TotalMilliseconds,
            ["Failures"] = failures.Length <= TableLimits.MaxStringChars ? failures : failures[..TableLimits.MaxStringChars],
            ["FinishedAt"] = summary.FinishedAt,
        };
        TableLimits.Validate(entity);
        var table = await tables.GetAsync(Tables.Runs, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RunSummary?> GetSummaryAsync(string runId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Runs, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(runId, SummaryRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return null;
        }

        var row = response.Value!;
        return new RunSummary
        {
            RunId = runId,
            Kind = row.GetString("Kind") ?? "reconcile",
            UsersSeen = row.GetInt32("UsersSeen") ?? 0,
            PlansBuilt = row.GetInt32("PlansBuilt") ?? 0,
            UpToDate = row.GetInt32("UpToDate") ?? 0,
            Failed = row.GetInt32("Failed") ?? 0,
            ShardsResumed = row.GetInt32("ShardsResumed") ?? 0,
            ShardsEnqueued = row.GetInt32("ShardsEnqueued") ?? 0,
            Poisoned = row.GetInt32("Poisoned") ?? 0,
            Failures = (row.GetString("Failures") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Duration = TimeSpan.FromMilliseconds(row.GetInt64("DurationMs") ?? 0),
            FinishedAt = row.GetDateTimeOffset("FinishedAt") ?? DateTimeOffset.UnixEpoch,
        };
    }
}
