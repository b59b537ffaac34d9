using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace RunStrength.Functions.Scheduling;

/// <summary>The timer: on every tick (app setting <c>PlanSchedule</c>, default hourly) the reconciler runs.</summary>
public sealed partial class WeeklyPlanTimer(WeeklyPlanRunner runner, TimeProvider clock, ILogger<WeeklyPlanTimer> logger)
{
    [Function(nameof(BuildWeeklyPlans))]
    public async Task BuildWeeklyPlans([TimerTrigger("%PlanSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            // Nothing special to do: the reconciler builds whatever the missed ticks would have.
            LogPastDue(logger);
        }

        await runner.RunAsync(RunId(clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One run id per minute, so a retried invocation resumes its own checkpoints.</summary>
    public static string RunId(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Weekly plan timer is past due; catching up")]
    private static partial void LogPastDue(ILogger logger);
}
