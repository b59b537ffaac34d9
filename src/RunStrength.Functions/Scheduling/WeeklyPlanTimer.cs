using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Time;
using RunStrength.Storage;

namespace RunStrength.Functions.Scheduling;

/// <summary>
/// The timer (app setting <c>PlanSchedule</c>, default hourly). Every tick builds the users the due
/// index says are due. Once a day, at <see cref="WeeklyPlanOptions.ReconcileHourUtc"/>, and after a
/// missed tick, the full reconcile sweep runs first: it repairs whatever the index missed. With
/// <see cref="WeeklyPlanOptions.ReconcileFanOut"/> the sweep is sent to the <c>plan-build</c> queue, a message per shard.
/// Then the outbox sweep sends every waiting plan-ready event to the <c>plan-ready</c> queue.
/// </summary>
public sealed partial class WeeklyPlanTimer(
    WeeklyPlanRunner reconcile,
    DuePlanTick tick,
    TimeProvider clock,
    IOptions<WeeklyPlanOptions> options,
    ILogger<WeeklyPlanTimer> logger,
    IPlanReadyOutbox? outbox = null,
    CrashPoints? crashPoints = null)
{
    [Function(nameof(BuildWeeklyPlans))]
    public async Task BuildWeeklyPlans([TimerTrigger("%PlanSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var now = clock.GetUtcNow();
        if (timer.IsPastDue)
        {
            // The index catches up missed hours by itself; the sweep also covers a long outage.
            LogPastDue(logger);
        }

        if (timer.IsPastDue || now.UtcDateTime.Hour == options.Value.ReconcileHourUtc)
        {
            if (options.Value.ReconcileFanOut)
            {
                // Fanned out, no single execution sweeps every user within functionTimeout. This hour's
                // due tick is left to the next one: run beside the sweep's shards it would race them
                // for the same users, and a due entry waits an hour without harm (it comes due a day early).
                await reconcile.FanOutAsync(RunId(now), cancellationToken).ConfigureAwait(false);
                return;
            }

            await reconcile.RunAsync(RunId(now), cancellationToken).ConfigureAwait(false);
        }

        await tick.RunAsync(RunId(now) + "-due", cancellationToken).ConfigureAwait(false);
        crashPoints?.AfterPlanCommit();

        // The outbox sweep: this tick's events, those a shard message relays on its own, and any a
        // crash between a commit and its relay left behind. One range query per shard.
        if (outbox is not null)
        {
            var relayed = await outbox.RelayAllAsync(options.Value.MaxConcurrentShards, cancellationToken).ConfigureAwait(false);
            LogRelayed(logger, relayed);
        }
    }

    /// <summary>One run id per minute, so a retried invocation resumes its own checkpoints.</summary>
    public static string RunId(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox sweep: {Relayed} plan-ready events sent to plan-ready")]
    private static partial void LogRelayed(ILogger logger, int relayed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Weekly plan timer is past due; catching up")]
    private static partial void LogPastDue(ILogger logger);
}
