using Microsoft.Azure.Functions.Worker;
using RunStrength.Storage;

namespace RunStrength.Functions.Scheduling;

/// <summary>
/// The fan-out's worker: one <c>plan-build</c> message builds one shard's due users, or runs the
/// daily reconcile sweep over one shard (<see cref="ShardWork.Reconcile"/>). A failure
/// throws, so the host makes the message visible again and retries it; after
/// <c>maxDequeueCount</c> deliveries (host.json) it moves to <c>plan-build-poison</c>. The
/// plan-ready events the build committed are relayed to <c>plan-ready</c> straight after.
/// </summary>
public sealed class ShardPlanFunctions(DueShardBuilder builder, WeeklyPlanRunner reconcile, IRunCheckpointStore runs, TimeProvider clock, IPlanReadyOutbox? outbox = null)
{
    [Function(nameof(BuildShardPlans))]
    public async Task BuildShardPlans([QueueTrigger(PlanQueues.Build)] string message, CancellationToken cancellationToken)
    {
        var work = ShardWork.Parse(message);
        var tally = work.Kind == ShardWork.Reconcile
            ? await reconcile.ReconcileShardAsync(work.Shard, work.UpTo, cancellationToken).ConfigureAwait(false)
            : await builder.BuildAsync(work.Shard, work.UpTo, cancellationToken).ConfigureAwait(false);

        // The events of the weeks just committed; a crash before this leaves them to the timer's sweep.
        if (outbox is not null)
        {
            await outbox.RelayAsync(work.Shard, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        // The shard's result beside the tick's summary; a second delivery keeps the first one's (409).
        await runs.SaveAsync(tally.Done(work.RunId, work.Shard, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }
}
