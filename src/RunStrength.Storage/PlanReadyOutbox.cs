using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using RunStrength.Planning;
using RunStrength.Planning.Plans;

namespace RunStrength.Storage;

/// <summary>What a plan-ready event tells about its week: enough for a notification without reading the plan.</summary>
public sealed record WeekSummary(string WeekStart, string Phase, int BlockWeek, int RunMinutes, int HardRunSessions, int StrengthSessions, int SessionCount);

/// <summary>
/// A week was created or changed. The id is (user key, week, profile version): a receiver that
/// has seen it drops the event, however often it is relayed or delivered.
/// </summary>
public sealed record PlanReady(string UserKey, string Week, long ProfileVersion, WeekSummary Summary, DateTimeOffset BuiltAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [JsonIgnore]
    public string Id => $"evt_{UserKey}_{Week}_v{ProfileVersion.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Deliveries tried so far, carried by the message a failed delivery sends back with a delay.</summary>
    public int Attempt { get; init; }

    public string ToMessage() => JsonSerializer.Serialize(this, Json);

    /// <summary>The message as the trigger hands it over (the extension has already decoded the Base64).</summary>
    public static PlanReady Parse(string message) =>
        JsonSerializer.Deserialize<PlanReady>(message, Json) is { UserKey.Length: 64, Week.Length: > 0, Summary: not null } ready
            ? ready
            : throw new FormatException("A plan-ready message must hold userKey, week, profileVersion and summary.");

    internal static PlanReady Of(UserKey user, WeekPlan plan) => new(
        user.Value,
        plan.Week,
        plan.ProfileVersion,
        new WeekSummary(
            plan.WeekStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            plan.Phase.ToString().ToLowerInvariant(),
            plan.BlockWeek,
            plan.Summary.RunMinutes,
            plan.Summary.HardRunSessions,
            plan.Summary.StrengthSessions,
            plan.Sessions.Count),
        plan.GeneratedAt);
}

public interface IPlanReadyOutbox
{
    /// <summary>
    /// Sends the shard's waiting events to the <c>plan-ready</c> queue, each removed from the outbox
    /// only after it was sent (so a crash sends one again, never loses one); only
    /// <paramref name="user"/>'s when given. Returns the events sent.
    /// </summary>
    Task<int> RelayAsync(string shard, UserKey? user = null, CancellationToken cancellationToken = default);

    /// <summary>The sweep: relays every shard's waiting events, <paramref name="parallelism"/> shards at a time.</summary>
    Task<int> RelayAllAsync(int parallelism, CancellationToken cancellationToken = default);

    /// <summary>Sends one event again after <paramref name="delay"/> (a delivery's back-off).</summary>
    Task RetryLaterAsync(PlanReady ready, TimeSpan delay, CancellationToken cancellationToken = default);
}

/// <summary>
/// The outbox: one row per event, <c>!out-{userKey}-{week}-{profileVersion}</c>, in the user's shard
/// partition of the plans table, written in the same transaction as the plan it announces (see
/// <see cref="PlanStore.WriteUsersAsync"/>). '!out-' sorts after every '!due-' entry and before the
/// plans, so a shard's waiting events are one range query.
/// </summary>
internal sealed class PlanReadyOutbox(Tables tables, QueueServiceClient service, IOptions<StorageOptions> options) : IPlanReadyOutbox
{
    internal const string Prefix = "!out-";

    private readonly Lazy<Task<QueueClient>> _queue = new(async () =>
    {
        var client = service.GetQueueClient(options.Value.QueuePrefix + PlanQueues.Ready);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    });

    public async Task<int> RelayAsync(string shard, UserKey? user = null, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Plans, cancellationToken).ConfigureAwait(false);
        var (from, to) = user is { } one ? (Prefix + one.Value + "-", Prefix + one.Value + ".") : (Prefix, "!out.");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shard} and RowKey ge {from} and RowKey lt {to}");
        var sent = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var queue = await _queue.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            await queue.SendMessageAsync(FromRow(row).ToMessage(), cancellationToken).ConfigureAwait(false);
            try
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Relayed by another run meanwhile, or written again: the receiver drops a repeat by its id.
            }

            sent++;
        }

        return sent;
    }

    public async Task<int> RelayAllAsync(int parallelism, CancellationToken cancellationToken = default)
    {
        var sent = 0;
        await Parallel.ForEachAsync(UserKey.AllShards(), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (shard, token) =>
            Interlocked.Add(ref sent, await RelayAsync(shard, cancellationToken: token).ConfigureAwait(false))).ConfigureAwait(false);
        return sent;
    }

    public async Task RetryLaterAsync(PlanReady ready, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var queue = await _queue.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        await queue.SendMessageAsync(ready.ToMessage(), visibilityTimeout: delay, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    internal static string RowKey(UserKey user, string week, long profileVersion) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{user.Value}-{week}-{profileVersion}");

    internal static TableEntity ToRow(UserKey user, WeekPlan plan)
    {
        var ready = PlanReady.Of(user, plan);
        return new TableEntity(user.Shard, RowKey(user, plan.Week, plan.ProfileVersion))
        {
            ["Week"] = ready.Week,
            ["ProfileVersion"] = ready.ProfileVersion,
            ["WeekStart"] = ready.Summary.WeekStart,
            ["Phase"] = ready.Summary.Phase,
            ["BlockWeek"] = ready.Summary.BlockWeek,
            ["RunMinutes"] = ready.Summary.RunMinutes,
            ["HardRunSessions"] = ready.Summary.HardRunSessions,
            ["StrengthSessions"] = ready.Summary.StrengthSessions,
            ["SessionCount"] = ready.Summary.SessionCount,
            ["BuiltAt"] = ready.BuiltAt,
        };
    }

    private static PlanReady FromRow(TableEntity row) => new(
        row.RowKey.Substring(Prefix.Length, 64),
        row.GetString("Week"),
        row.GetInt64("ProfileVersion") ?? 0,
        new WeekSummary(
            row.GetString("WeekStart") ?? "",
            row.GetString("Phase") ?? "",
            row.GetInt32("BlockWeek") ?? 0,
            row.GetInt32("RunMinutes") ?? 0,
            row.GetInt32("HardRunSessions") ?? 0,
            row.GetInt32("StrengthSessions") ?? 0,
            row.GetInt32("SessionCount") ?? 0),
        row.GetDateTimeOffset("BuiltAt") ?? DateTimeOffset.UnixEpoch);
}
