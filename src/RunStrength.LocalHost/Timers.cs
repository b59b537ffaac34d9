using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;
using RunStrength.LocalHost.Protocol;

namespace RunStrength.LocalHost;

/// <summary>
/// Runs timer triggers on their NCRONTAB schedules (UTC, six fields with seconds, <c>%Setting%</c>
/// resolved). A tick that comes due while the previous one is still running is delivered with
/// <c>IsPastDue</c>, once, as the Functions host does.
/// </summary>
public sealed partial class Timers(HostSettings settings, WorkerSupervisor supervisor, IReadOnlyList<FunctionDescriptor> functions, FunctionSwitches switches, TimeProvider clock, ILogger<Timers> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Where(f => f.Trigger == TriggerKind.Timer).Select(f => RunAsync(f, stoppingToken)));

    public static CrontabSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 });
    }

    /// <summary>Invokes a timer function now; what the admin route and the schedule both use.</summary>
    public async Task<InvocationResponse> InvokeAsync(FunctionDescriptor function, bool isPastDue, DateTime? last, DateTime next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        var channel = await supervisor.ReadyAsync(cancellationToken).ConfigureAwait(false);
        var info = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = last ?? DateTime.MinValue, Next = next, LastUpdated = clock.GetUtcNow().UtcDateTime },
            IsPastDue = isPastDue,
        });
        return await channel.InvokeAsync(function, [new ParameterBinding { Name = function.TriggerBindingName, Data = new TypedData { Json = info } }], new Dictionary<string, TypedData>())
            .WaitAsync(settings.FunctionTimeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(FunctionDescriptor function, CancellationToken stoppingToken)
    {
        CrontabSchedule schedule;
        try
        {
            schedule = Parse(settings.Resolve(function.Schedule!));
        }
        catch (Exception e) when (e is CrontabException or InvalidOperationException)
        {
            LogBadSchedule(logger, function.Name, function.Schedule!, e.Message);
            return;
        }

        DateTime? last = null;
        var next = schedule.GetNextOccurrence(clock.GetUtcNow().UtcDateTime);
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogScheduled(logger, function.Name, next.ToString("u", CultureInfo.InvariantCulture));
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = next - clock.GetUtcNow().UtcDateTime;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, stoppingToken).ConfigureAwait(false);
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var pastDue = now - next > TimeSpan.FromSeconds(1) && last is not null;
            var following = schedule.GetNextOccurrence(now);
            if (switches.IsDisabled(function.Name))
            {
                // A disabled timer's occurrences are skipped, not saved up for later.
                LogSkipped(logger, function.Name);
            }
            else
            {
                try
                {
                    var response = await InvokeAsync(function, pastDue, last, following, stoppingToken).ConfigureAwait(false);
                    if (response.Result?.Status == StatusResult.Types.Status.Failure)
                    {
                        LogFailed(logger, function.Name, response.Result.Exception?.Message ?? "unknown error");
                    }
                }
                catch (Exception e) when (e is WorkerUnavailableException or TimeoutException)
                {
                    LogFailed(logger, function.Name, e.Message);
                }
            }

            last = next;

            // Missed occurrences collapse into one past-due tick, then the schedule goes on.
            next = schedule.GetNextOccurrence(next);
            var after = clock.GetUtcNow().UtcDateTime;
            if (next < after)
            {
                next = after;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {Function}: next run at {Next}")]
    private static partial void LogScheduled(ILogger logger, string function, string next);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer {Function} has an invalid schedule '{Schedule}': {Reason}")]
    private static partial void LogBadSchedule(ILogger logger, string function, string schedule, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {Function} is disabled: this occurrence is skipped")]
    private static partial void LogSkipped(ILogger logger, string function);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer {Function} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string function, string reason);
}
