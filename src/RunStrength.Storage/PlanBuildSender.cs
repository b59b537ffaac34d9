using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace RunStrength.Storage;

/// <summary>One shard's due work for the queue-triggered build: build what is due there up to <see cref="UpTo"/>.</summary>
public sealed record ShardWork(string RunId, string Shard, DateTimeOffset UpTo)
{
    /// <summary>Build the shard's due-index entries up to <see cref="UpTo"/>.</summary>
    public const string Due = "due";

    /// <summary>Run the daily reconcile sweep over the whole shard, deciding as of <see cref="UpTo"/>.</summary>
    public const string Reconcile = "reconcile";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary><see cref="Due"/> (the default, and what a message without it means) or <see cref="Reconcile"/>.</summary>
    public string Kind { get; init; } = Due;

    public string ToMessage() => JsonSerializer.Serialize(this, Json);

    /// <summary>The message as the trigger hands it over (the extension has already decoded the Base64).</summary>
    public static ShardWork Parse(string message) =>
        JsonSerializer.Deserialize<ShardWork>(message, Json) is { RunId.Length: > 0, Shard.Length: 2, Kind: Due or Reconcile } work
            ? work
            : throw new FormatException("A plan-build message must hold runId, shard and upTo, and a kind of due or reconcile when it has one.");
}

/// <summary>The queues of the weekly run.</summary>
public static class PlanQueues
{
    /// <summary>The queue the <c>BuildShardPlans</c> trigger listens on.</summary>
    public const string Build = "plan-build";

    /// <summary>Where the queue extension moves a message after <c>maxDequeueCount</c> failures.</summary>
    public const string Poison = Build + "-poison";

    /// <summary>The queue of plan-ready events, relayed from the outbox; <c>DeliverPlanReady</c> listens on it.</summary>
    public const string Ready = "plan-ready";
}

public interface IPlanBuildSender
{
    /// <summary>Sends one message per shard to the <c>plan-build</c> queue.</summary>
    Task EnqueueAsync(IReadOnlyList<ShardWork> work, CancellationToken cancellationToken = default);

    /// <summary>Messages that failed <c>maxDequeueCount</c> times and wait in <c>plan-build-poison</c> (approximate, as Azure counts).</summary>
    Task<int> PoisonCountAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The <c>plan-build</c> queue. Messages are Base64, as the Functions queue extension expects by
/// default; the extension moves a message that failed <c>maxDequeueCount</c> times to
/// <c>plan-build-poison</c>. A prefix (tests only) keeps queues apart on a shared account.
/// </summary>
internal sealed class PlanBuildSender(QueueServiceClient service, IOptions<StorageOptions> options) : IPlanBuildSender
{
    private readonly Lazy<Task<QueueClient>> _queue = new(async () =>
    {
        var client = service.GetQueueClient(options.Value.QueuePrefix + PlanQueues.Build);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    });

    public async Task EnqueueAsync(IReadOnlyList<ShardWork> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var queue = await _queue.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (item, token) =>
            await queue.SendMessageAsync(item.ToMessage(), token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async Task<int> PoisonCountAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var properties = await service.GetQueueClient(options.Value.QueuePrefix + PlanQueues.Poison).GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            return properties.Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }
    }
}
