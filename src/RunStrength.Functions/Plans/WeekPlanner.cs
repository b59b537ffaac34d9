using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Scheduling;
using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Scheduling;
using RunStrength.Storage;

namespace RunStrength.Functions.Plans;

/// <summary>
/// Plans in the request that created or changed a profile, so nobody waits for the timer: the
/// rest of the current week at sign-up (and next week when it is due), or, after a change, the
/// current week from tomorrow and next week again. Each write also moves the user's due-index
/// entry, so the hourly tick wakes the user when the following week is due.
/// </summary>
public sealed partial class WeekPlanner(
    IPlanStore plans, ISessionLogStore logs, TimeProvider clock, IOptions<WeeklyPlanOptions> options, IPlanReadyOutbox? outbox = null, ILogger<WeekPlanner>? logger = null)
{
    /// <returns>The weeks built and stored, oldest first; none when nothing was due.</returns>
    public async Task<IReadOnlyList<WeekPlan>> PlanAsync(string userId, Profile profile, long profileVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var now = clock.GetUtcNow();
        var marker = await plans.GetMarkerAsync(userId, cancellationToken).ConfigureAwait(false);
        var history = new StoredHistory(userId, plans, logs, marker);
        var planned = new List<PlannedWeek>(2);
        if (marker is not null)
        {
            planned.Add(new PlannedWeek(marker.Week, marker.ProfileVersion));
            var current = WeekClock.WeekContaining(now, profile.TimeZone);
            if (marker.Week > current && await history.PlanAsync(current, cancellationToken).ConfigureAwait(false) is { } currentPlan)
            {
                planned.Add(new PlannedWeek(current, currentPlan.ProfileVersion));
            }
        }

        var due = PlanSchedule.WeeksDue(new ScheduleQuery
        {
            Profile = profile,
            ProfileVersion = profileVersion,
            Planned = planned,
            Now = now,
            LeadTime = options.Value.LeadTime,
        });
        var spreadHour = UserKey.For(userId).SpreadHour;
        if (due.Count == 0)
        {
            // Nothing to build, but a new time zone moves the due-index entry.
            var expected = marker is null ? (DateTimeOffset?)null : PlanSchedule.NextBuildAt(marker.Week, profile.TimeZone, options.Value.LeadTime, spreadHour);
            if (marker is not null && marker.NextBuild != expected)
            {
                ThrowIfRefused(await plans.RescheduleAsync(userId, marker, expected!.Value, cancellationToken: cancellationToken).ConfigureAwait(false));
            }

            return [];
        }

        var built = await WeekBuilder.BuildAsync(profile, profileVersion, due, marker?.Week, history, now, cancellationToken).ConfigureAwait(false);
        var next = PlanSchedule.NextBuildAt(built.Select(p => IsoWeek.Parse(p.Week)).Max(), profile.TimeZone, options.Value.LeadTime, spreadHour);
        ThrowIfRefused(await plans.WriteUsersAsync([new UserWeeks(userId, built, next) { PreviousBuild = marker?.NextBuild }], cancellationToken).ConfigureAwait(false));
        await RelayAsync(UserKey.For(userId), cancellationToken).ConfigureAwait(false);
        return built;
    }

    /// <summary>The new weeks' events go out now; if that fails, the timer's outbox sweep sends them, so the request still succeeds.</summary>
    private async Task RelayAsync(UserKey user, CancellationToken cancellationToken)
    {
        if (outbox is null)
        {
            return;
        }

        try
        {
            await outbox.RelayAsync(user.Shard, user, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
        {
            LogRelayDeferred(logger ?? NullLogger<WeekPlanner>.Instance, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plan-ready events left to the outbox sweep")]
    private static partial void LogRelayDeferred(ILogger logger, Exception exception);

    /// <summary>A request's write that storage refused is the request's failure (a 500, as any storage fault).</summary>
    private static void ThrowIfRefused(ShardWrite write)
    {
        if (write.Failed.Count > 0)
        {
            throw new InvalidOperationException($"Storage refused the plans: {write.Failed[0].Reason}");
        }
    }

    /// <summary>One user's stored weeks, each read at most once; the marker's carried plan saves a read.</summary>
    private sealed class StoredHistory(string userId, IPlanStore plans, ISessionLogStore logs, PlanMarker? marker) : IWeekHistory
    {
        private readonly Dictionary<IsoWeek, WeekPlan?> _plans = [];
        private readonly Dictionary<IsoWeek, IReadOnlyList<SessionLog>> _logs = [];

        public async ValueTask<WeekPlan?> PlanAsync(IsoWeek week, CancellationToken cancellationToken)
        {
            if (!_plans.TryGetValue(week, out var plan))
            {
                plan = marker?.Week == week && marker.DecodePlan() is { } carried
                    ? carried
                    : await plans.GetAsync(userId, week, cancellationToken).ConfigureAwait(false);
                _plans[week] = plan;
            }

            return plan;
        }

        public async ValueTask<IReadOnlyList<SessionLog>> LogsAsync(IsoWeek week, CancellationToken cancellationToken)
        {
            if (!_logs.TryGetValue(week, out var weekLogs))
            {
                weekLogs = await logs.GetWeekAsync(userId, week, cancellationToken).ConfigureAwait(false);
                _logs[week] = weekLogs;
            }

            return weekLogs;
        }
    }
}
