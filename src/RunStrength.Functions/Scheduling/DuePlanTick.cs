using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunStrength.Storage;

namespace RunStrength.Functions.Scheduling;

/// <summary>
/// The hourly tick: it reads the due-hour marks up to now (so hours missed are caught up), then
/// the due-index entries of only the shards they name, then builds those shards in this execution, or, when more users are due than
/// <see cref="WeeklyPlanOptions.FanOutThreshold"/>, sends one <c>plan-build</c> message per shard
/// with due work, and the queue trigger builds them on as many instances as the queue calls for.
/// A tick that fans out also reports the messages waiting in <c>plan-build-poison</c>.
/// </summary>
public sealed partial class DuePlanTick(
    IPlanStore plans,
    DueShardBuilder builder,
    IPlanBuildSender sender,
    IRunCheckpointStore runs,
    TimeProvider clock,
    IOptions<WeeklyPlanOptions> options,
    ILogger<DuePlanTick> logger)
{
    public async Task<WeeklyRunSummary> RunAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var started = clock.GetTimestamp();
        var now = clock.GetUtcNow();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentShards, CancellationToken = cancellationToken };
        var threshold = options.Value.FanOutThreshold;
        var dueByShard = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var held = new ConcurrentDictionary<string, List<DueUser>>(StringComparer.Ordinal);
        long seen = 0;
        var marks = (await plans.ListDueMarksAsync(now, cancellationToken: cancellationToken).ConfigureAwait(false))
            .GroupBy(m => m.Shard, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<DueMark>)[.. g], StringComparer.Ordinal);
        var stale = new ConcurrentBag<DueMark>();
        await Parallel.ForEachAsync(marks.Keys.Order(StringComparer.Ordinal), parallel, async (shard, token) =>
        {
            // Up to the threshold, the due users are read once, whole, and kept to build here. Past
            // it, the tick fans out, and only counts the rest (keys only) to know which shards to send.
            if (Interlocked.Read(ref seen) > threshold)
            {
                var count = await plans.CountDueAsync(shard, now, marks[shard], token).ConfigureAwait(false);
                Interlocked.Add(ref seen, count);
                if (count > 0)
                {
                    dueByShard[shard] = count;
                }
                else
                {
                    StaleMarks(shard);
                }

                return;
            }

            var users = new List<DueUser>();
            await foreach (var due in plans.ListDueAsync(shard, now, marks[shard], token).ConfigureAwait(false))
            {
                users.Add(due);
                if (Interlocked.Increment(ref seen) > threshold)
                {
                    dueByShard[shard] = users.Count;
                    return;
                }
            }

            if (users.Count > 0)
            {
                dueByShard[shard] = users.Count;
                held[shard] = users;
            }
            else
            {
                StaleMarks(shard);
            }
        }).ConfigureAwait(false);

        // Marks of shards with nothing left due (built meanwhile, or their users erased).
        await plans.ClearDueMarksAsync(stale, cancellationToken).ConfigureAwait(false);

        var totals = new ShardTally();
        var shards = dueByShard.Keys.Order(StringComparer.Ordinal).ToList();
        var (enqueued, poisoned) = (0, 0);
        if (Interlocked.Read(ref seen) > threshold)
        {
            await sender.EnqueueAsync(shards.Select(shard => new ShardWork(runId, shard, now)).ToList(), cancellationToken).ConfigureAwait(false);
            enqueued = shards.Count;

            // Shards that failed every delivery, of this fan-out's predecessors (this one's are still on their way).
            // Ticks that build in-process do not touch the queues at all.
            poisoned = await sender.PoisonCountAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Parallel.ForEachAsync(held, parallel, async (shard, token) =>
                totals.Add(await builder.BuildAsync(shard.Key, shard.Value.ToAsyncEnumerable(), marks[shard.Key], token).ConfigureAwait(false))).ConfigureAwait(false);
        }

        var dueUsers = (int)Interlocked.Read(ref seen);
        var summary = new WeeklyRunSummary(runId, totals.UsersSeen, totals.PlansBuilt, totals.UpToDate, totals.Failed, totals.Failures, 0, clock.GetElapsedTime(started))
        {
            Kind = "due",
            ShardsEnqueued = enqueued,
            Poisoned = poisoned,
        };
        await runs.SaveSummaryAsync(summary.ToStored(clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        LogTick(logger, runId, dueUsers, summary.PlansBuilt, summary.Failed, enqueued, summary.Poisoned, (long)summary.Duration.TotalMilliseconds);
        if (summary.Poisoned > 0)
        {
            LogPoisoned(logger, summary.Poisoned);
        }

        return summary;

        void StaleMarks(string shard)
        {
            foreach (var mark in marks[shard])
            {
                stale.Add(mark);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Due tick {RunId}: {DueUsers} users due, {PlansBuilt} plans built here, {Failed} failed, {ShardsEnqueued} shards enqueued, {Poisoned} poison messages, {DurationMs} ms")]
    private static partial void LogTick(ILogger logger, string runId, int dueUsers, int plansBuilt, int failed, int shardsEnqueued, int poisoned, long durationMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Poisoned} plan-build messages failed every delivery and wait in plan-build-poison")]
    private static partial void LogPoisoned(ILogger logger, int poisoned);
}
