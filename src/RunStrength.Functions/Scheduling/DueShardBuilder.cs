using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Plans;
using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Scheduling;
using RunStrength.Storage;

namespace RunStrength.Functions.Scheduling;

/// <summary>
/// Builds one shard's users whose due-index entry has come due: decide (Planning), read the due
/// users (Storage, plans decoded), build (Planning), write (Storage, failed users returned). Used
/// by the hourly tick in its own execution and by the queue-triggered <c>BuildShardPlans</c>.
/// Running it twice for the same work builds nothing twice: each write settles the due entry it
/// was read from, only if that entry is unchanged, and a settled entry is not read again.
/// </summary>
public sealed partial class DueShardBuilder(
    IProfileStore profiles,
    IPlanStore plans,
    ISessionLogStore logs,
    TimeProvider clock,
    IOptions<WeeklyPlanOptions> options,
    ILogger<DueShardBuilder> logger)
{
    /// <summary>Builds what is due in <paramref name="shard"/> up to <paramref name="upTo"/>; storage faults that outlast the retries throw.</summary>
    internal Task<ShardTally> BuildAsync(string shard, DateTimeOffset upTo, CancellationToken cancellationToken) =>
        BuildAsync(shard, plans.ListDueAsync(shard, upTo, cancellationToken), cancellationToken);

    /// <summary>Builds the given due users of <paramref name="shard"/> (read already, by the tick).</summary>
    internal async Task<ShardTally> BuildAsync(string shard, IAsyncEnumerable<DueUser> dueUsers, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var leadTime = options.Value.LeadTime;
        var tally = new ShardTally();
        var pending = new List<UserWeeks>();
        await foreach (var due in dueUsers.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            tally.UsersSeen++;
            var profile = await profiles.GetAsync(due.UserId, cancellationToken).ConfigureAwait(false);
            if (profile is null)
            {
                // Erased since the entry was written.
                await plans.DropDueAsync(due, cancellationToken).ConfigureAwait(false);
                tally.UpToDate++;
                continue;
            }

            if (profile.Profile is not { } valid)
            {
                tally.Fail(due.User, $"stored profile does not validate ({profile.Problem})");
                continue;
            }

            try
            {
                // The entry comes due a day before the lead-time window: decide with that day added.
                var weeks = PlanSchedule.WeeksDue(new ScheduleQuery
                {
                    Profile = valid,
                    ProfileVersion = profile.Version,
                    Planned = [new PlannedWeek(due.Week, due.ProfileVersion)],
                    Now = now,
                    LeadTime = leadTime + PlanSchedule.Spread,
                });
                if (weeks.Count == 0)
                {
                    tally.UpToDate++;
                    var next = PlanSchedule.NextBuildAt(due.Week, valid.TimeZone, leadTime, due.User.SpreadHour);
                    var marker = new PlanMarker(due.User, due.Week, due.ProfileVersion) { NextBuild = due.NextBuild };
                    var moved = await plans.RescheduleAsync(due.UserId, marker, next > now ? next : NextHour(now), due, cancellationToken).ConfigureAwait(false);
                    foreach (var failed in moved.Failed)
                    {
                        tally.Fail(failed.User, failed.Reason);
                    }

                    continue;
                }

                var built = await WeekBuilder.BuildAsync(valid, profile.Version, weeks, due.Week, new DueHistory(plans, logs, due), now, cancellationToken).ConfigureAwait(false);
                var newest = built.Select(p => IsoWeek.Parse(p.Week)).Max();
                pending.Add(new UserWeeks(due.UserId, built, PlanSchedule.NextBuildAt(newest, valid.TimeZone, leadTime, due.User.SpreadHour)) { Settles = due });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The entry stays due, so the next tick tries this user again.
                tally.Fail(due.User, $"{e.GetType().Name}: {e.Message}");
            }

            if (pending.Count >= options.Value.UsersPerBatch)
            {
                tally.Count(await plans.WriteUsersAsync(pending, cancellationToken).ConfigureAwait(false));
                pending.Clear();
            }
        }

        if (pending.Count > 0)
        {
            tally.Count(await plans.WriteUsersAsync(pending, cancellationToken).ConfigureAwait(false));
        }

        LogShard(logger, shard, tally.UsersSeen, tally.PlansBuilt, tally.Failed);
        return tally;
    }

    private static DateTimeOffset NextHour(DateTimeOffset now) =>
        new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(now.UtcDateTime.Hour + 1);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Due shard {Shard}: {UsersSeen} due users, {PlansBuilt} plans built, {Failed} failed")]
    private static partial void LogShard(ILogger logger, string shard, int usersSeen, int plansBuilt, int failed);

    /// <summary>A due user's weeks: the newest from the due entry, others by a point read; logs per user.</summary>
    private sealed class DueHistory(IPlanStore plans, ISessionLogStore logs, DueUser due) : IWeekHistory
    {
        public async ValueTask<WeekPlan?> PlanAsync(IsoWeek week, CancellationToken cancellationToken) =>
            week == due.Week && due.Plan is { } carried ? carried : await plans.GetAsync(due.UserId, week, cancellationToken).ConfigureAwait(false);

        public async ValueTask<IReadOnlyList<SessionLog>> LogsAsync(IsoWeek week, CancellationToken cancellationToken) =>
            await logs.GetWeekAsync(due.UserId, week, cancellationToken).ConfigureAwait(false);
    }
}
