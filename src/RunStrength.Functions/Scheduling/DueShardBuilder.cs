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
    internal async Task<ShardTally> BuildAsync(string shard, DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        // The marks first: one written after this read covers entries this build may not see, and stays.
        var marks = await plans.ListDueMarksAsync(upTo, shard, cancellationToken).ConfigureAwait(false);
        return await BuildAsync(shard, plans.ListDueAsync(shard, upTo, marks, cancellationToken), marks, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds the given due users, then, when none failed, clears the shard's <paramref name="marks"/>
    /// (read before the users): the shard has nothing due left through their hours. A failed user's
    /// entry stays due, and so do the marks, so the next tick tries the shard again.
    /// </summary>
    internal async Task<ShardTally> BuildAsync(string shard, IAsyncEnumerable<DueUser> dueUsers, IReadOnlyList<DueMark> marks, CancellationToken cancellationToken)
    {
        var tally = await BuildAsync(shard, dueUsers, cancellationToken).ConfigureAwait(false);
        if (tally.Failed == 0)
        {
            await plans.ClearDueMarksAsync(marks, cancellationToken).ConfigureAwait(false);
        }

        return tally;
    }

    /// <summary>
    /// Builds the given due users of <paramref name="shard"/> (read already, by the tick): a batch
    /// of <see cref="WeeklyPlanOptions.UsersPerBatch"/> at a time, its users' reads and builds
    /// <see cref="WeeklyPlanOptions.UsersAtOnce"/> at once, then the batch in one write.
    /// </summary>
    private async Task<ShardTally> BuildAsync(string shard, IAsyncEnumerable<DueUser> dueUsers, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tally = new ShardTally();
        var batch = new List<DueUser>(options.Value.UsersPerBatch);
        await foreach (var due in dueUsers.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            batch.Add(due);
            if (batch.Count == options.Value.UsersPerBatch)
            {
                await BuildBatchAsync(batch, now, tally, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await BuildBatchAsync(batch, now, tally, cancellationToken).ConfigureAwait(false);
        }

        LogShard(logger, shard, tally.UsersSeen, tally.PlansBuilt, tally.Failed);
        return tally;
    }

    private async Task BuildBatchAsync(List<DueUser> batch, DateTimeOffset now, ShardTally tally, CancellationToken cancellationToken)
    {
        // Each user's reads are round trips of their own: overlap them, then write the batch at once.
        var outcomes = new UserOutcome[batch.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Value.UsersAtOnce, CancellationToken = cancellationToken },
            async (i, ct) => outcomes[i] = await PrepareAsync(batch[i], now, ct).ConfigureAwait(false)).ConfigureAwait(false);

        var pending = new List<UserWeeks>(batch.Count);
        foreach (var (due, outcome) in batch.Zip(outcomes))
        {
            tally.UsersSeen++;
            tally.UpToDate += outcome.UpToDate ? 1 : 0;
            foreach (var (user, reason) in outcome.Failures)
            {
                tally.Fail(user, reason);
            }

            if (outcome.Build is { } build)
            {
                pending.Add(build);
            }
        }

        if (pending.Count > 0)
        {
            tally.Count(await plans.WriteUsersAsync(pending, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>One due user: up to date (maybe rescheduled), failed, or the weeks to write.</summary>
    private async Task<UserOutcome> PrepareAsync(DueUser due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var leadTime = options.Value.LeadTime;
        var profile = await profiles.GetAsync(due.UserId, cancellationToken).ConfigureAwait(false);
        if (profile is null)
        {
            // Erased since the entry was written.
            await plans.DropDueAsync(due, cancellationToken).ConfigureAwait(false);
            return UserOutcome.Settled([]);
        }

        if (profile.Profile is not { } valid)
        {
            return UserOutcome.Failed(due.User, $"stored profile does not validate ({profile.Problem})");
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
                var next = PlanSchedule.NextBuildAt(due.Week, valid.TimeZone, leadTime, due.User.SpreadHour);
                var marker = new PlanMarker(due.User, due.Week, due.ProfileVersion) { NextBuild = due.NextBuild };
                var moved = await plans.RescheduleAsync(due.UserId, marker, next > now ? next : NextHour(now), due, cancellationToken).ConfigureAwait(false);
                return UserOutcome.Settled([.. moved.Failed.Select(f => (f.User, f.Reason))]);
            }

            var built = await WeekBuilder.BuildAsync(valid, profile.Version, weeks, due.Week, new DueHistory(plans, logs, due), now, cancellationToken).ConfigureAwait(false);
            var newest = built.Select(p => IsoWeek.Parse(p.Week)).Max();
            return new UserOutcome(new UserWeeks(due.UserId, built, PlanSchedule.NextBuildAt(newest, valid.TimeZone, leadTime, due.User.SpreadHour)) { Settles = due }, false, []);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The entry stays due, so the next tick tries this user again.
            return UserOutcome.Failed(due.User, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static DateTimeOffset NextHour(DateTimeOffset now) =>
        new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(now.UtcDateTime.Hour + 1);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Due shard {Shard}: {UsersSeen} due users, {PlansBuilt} plans built, {Failed} failed")]
    private static partial void LogShard(ILogger logger, string shard, int usersSeen, int plansBuilt, int failed);

    /// <summary>A due user's weeks: the newest from the due entry, others by a point read; logs per user.</summary>
    private readonly record struct UserOutcome(UserWeeks? Build, bool UpToDate, IReadOnlyList<(UserKey User, string Reason)> Failures)
    {
        public static UserOutcome Settled(IReadOnlyList<(UserKey, string)> failures) => new(null, true, failures);

        public static UserOutcome Failed(UserKey user, string reason) => new(null, false, [(user, reason)]);
    }

    private sealed class DueHistory(IPlanStore plans, ISessionLogStore logs, DueUser due) : IWeekHistory
    {
        public async ValueTask<WeekPlan?> PlanAsync(IsoWeek week, CancellationToken cancellationToken) =>
            week == due.Week && due.Plan is { } carried ? carried : await plans.GetAsync(due.UserId, week, cancellationToken).ConfigureAwait(false);

        public async ValueTask<IReadOnlyList<SessionLog>> LogsAsync(IsoWeek week, CancellationToken cancellationToken) =>
            await logs.GetWeekAsync(due.UserId, week, cancellationToken).ConfigureAwait(false);
    }
}
