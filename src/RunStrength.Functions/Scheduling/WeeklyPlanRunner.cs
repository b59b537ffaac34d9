using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Scheduling;
using RunStrength.Functions.Plans;
using RunStrength.Storage;

namespace RunStrength.Functions.Scheduling;

/// <summary>
/// The full reconcile sweep, run once a day by the weekly timer (and whenever a tick was missed);
/// the due index (<see cref="DuePlanTick"/>) does the hourly work. For every user it asks <see cref="PlanSchedule"/> which
/// weeks are due, knowing only the newest planned week (its marker), and builds them with
/// <see cref="WeekBuilder"/>, as the API does at sign-up and on profile changes: a current week with
/// no plan (a missed tick, or a user the API could not plan), next week once the user's local
/// Monday 00:00 is within the lead time, and a planned week again when it came from an older
/// profile. Shards run in parallel, each streamed page by page and written in batch transactions;
/// a shard is checkpointed when done, so re-running a run id resumes. Rebuilding is idempotent:
/// deterministic keys, and markers written with their plans. It also repairs the due index: a
/// user whose marker points at no due time, or at one made for another time zone, is rescheduled.
/// </summary>
public sealed partial class WeeklyPlanRunner(
    IProfileStore profiles,
    IPlanStore plans,
    ISessionLogStore logs,
    IRunCheckpointStore runs,
    IPlanBuildSender sender,
    TimeProvider clock,
    IOptions<WeeklyPlanOptions> options,
    ILogger<WeeklyPlanRunner> logger)
{
    /// <summary>
    /// The sweep fanned out: one <c>plan-build</c> message of kind reconcile per shard not yet done
    /// in this run, for the queue trigger to sweep on as many instances as the queue calls for.
    /// The summary counts the shards sent; each shard's counts arrive as its checkpoint.
    /// </summary>
    public async Task<WeeklyRunSummary> FanOutAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var started = clock.GetTimestamp();
        var now = clock.GetUtcNow();
        var done = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var checkpoint in runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false))
        {
            if (checkpoint.Status == ShardRunStatus.Done)
            {
                done.Add(checkpoint.Shard);
            }
        }

        var work = UserKey.AllShards().Where(s => !done.Contains(s)).Select(s => new ShardWork(runId, s, now) { Kind = ShardWork.Reconcile }).ToList();
        await sender.EnqueueAsync(work, cancellationToken).ConfigureAwait(false);
        var summary = new WeeklyRunSummary(runId, 0, 0, 0, 0, [], done.Count, clock.GetElapsedTime(started))
        {
            ShardsEnqueued = work.Count,
            Poisoned = await sender.PoisonCountAsync(cancellationToken).ConfigureAwait(false),
        };
        await runs.SaveSummaryAsync(summary.ToStored(clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        LogFannedOut(logger, runId, work.Count, done.Count, summary.Poisoned);
        return summary;
    }

    /// <summary>The sweep of one shard, as of <paramref name="now"/>, for a reconcile message.</summary>
    internal Task<ShardTally> ReconcileShardAsync(string shard, DateTimeOffset now, CancellationToken cancellationToken) =>
        ProcessShardAsync(shard, now, cancellationToken);

    public async Task<WeeklyRunSummary> RunAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        var started = clock.GetTimestamp();
        var now = clock.GetUtcNow();
        var finished = new Dictionary<string, RunCheckpoint>(StringComparer.Ordinal);
        await foreach (var checkpoint in runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false))
        {
            if (checkpoint.Status == ShardRunStatus.Done)
            {
                finished[checkpoint.Shard] = checkpoint;
            }
        }

        var totals = new ShardTally();
        var failures = new ConcurrentQueue<string>();
        var resumed = 0;
        await Parallel.ForEachAsync(
            UserKey.AllShards(),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentShards, CancellationToken = cancellationToken },
            async (shard, token) =>
            {
                if (finished.TryGetValue(shard, out var done))
                {
                    Interlocked.Increment(ref resumed);
                    totals.Add(new ShardTally(done.UsersSeen, done.PlansBuilt, done.UpToDate, done.Failed));
                    foreach (var line in done.FailedUsers.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    {
                        failures.Enqueue(line);
                    }

                    return;
                }

                var tally = await ProcessShardAsync(shard, now, token).ConfigureAwait(false);
                totals.Add(tally);
                foreach (var line in tally.Failures)
                {
                    failures.Enqueue(line);
                }

                await runs.SaveAsync(tally.Done(runId, shard, clock.GetUtcNow()), token).ConfigureAwait(false);
            }).ConfigureAwait(false);

        var summary = new WeeklyRunSummary(runId, totals.UsersSeen, totals.PlansBuilt, totals.UpToDate, totals.Failed,
            failures.Take(ShardTally.MaxReportedFailures).ToList(), resumed, clock.GetElapsedTime(started));
        await runs.SaveSummaryAsync(summary.ToStored(clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        LogRun(logger, runId, summary.UsersSeen, summary.PlansBuilt, summary.UpToDate, summary.Failed, summary.ShardsResumed, (long)summary.Duration.TotalMilliseconds);
        return summary;
    }

    private async Task<ShardTally> ProcessShardAsync(string shard, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var markers = new Dictionary<UserKey, PlanMarker>();
        await foreach (var marker in plans.ListShardMarkersAsync(shard, withPlans: false, cancellationToken).ConfigureAwait(false))
        {
            markers[marker.User] = marker;
        }

        // Entries from before the slots move into them (none once moved: one empty range query).
        await plans.MigrateLegacyDueAsync(shard, cancellationToken).ConfigureAwait(false);

        // An entry overdue by more than an hour has lost its due-hour mark (or its tick failed): mark
        // its hour again, so the next tick reads its slot.
        foreach (var hour in markers.Values.Select(m => m.NextBuild).OfType<DateTimeOffset>().Where(at => at < now.AddHours(-1))
            .Select(at => new DateTimeOffset(at.UtcDateTime.Date.AddHours(at.UtcDateTime.Hour), TimeSpan.Zero)).Distinct())
        {
            await plans.MarkDueAsync(shard, hour, cancellationToken).ConfigureAwait(false);
        }

        // First decide, from profiles and markers alone, who needs which weeks.
        var tally = new ShardTally();
        var dueUsers = new List<(StoredProfile Profile, IReadOnlyList<DueWeek> Weeks)>();
        await foreach (var profile in profiles.ListShardAsync(shard, cancellationToken).ConfigureAwait(false))
        {
            tally.UsersSeen++;
            if (profile.Profile is null)
            {
                tally.Fail(profile.Key, $"stored profile does not validate ({profile.Problem})");
                continue;
            }

            try
            {
                var due = PlanSchedule.WeeksDue(new ScheduleQuery
                {
                    Profile = profile.Profile,
                    ProfileVersion = profile.Version,
                    Planned = markers.TryGetValue(profile.Key, out var newest) ? [new PlannedWeek(newest.Week, newest.ProfileVersion)] : [],
                    Now = now,
                    LeadTime = options.Value.LeadTime,
                });
                if (due.Count == 0)
                {
                    tally.UpToDate++;
                    if (newest is not null)
                    {
                        await RepairIndexAsync(profile, newest, tally, cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    dueUsers.Add((profile, due));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                tally.Fail(profile.Key, $"{e.GetType().Name}: {e.Message}");
            }
        }

        if (dueUsers.Count == 0)
        {
            return tally;
        }

        // The plans to build on ride on the markers. When a good part of the shard is due, one
        // range query streams them, and each due user is built as its marker goes by, so only a
        // page of plans is held at a time; for a few users, a read each is cheaper.
        var build = new ShardBuild(shard, now, tally);
        var waiting = dueUsers.ToDictionary(d => d.Profile.Key);
        if (dueUsers.Count * 4 >= markers.Count)
        {
            await foreach (var marker in plans.ListShardMarkersAsync(shard, withPlans: true, cancellationToken).ConfigureAwait(false))
            {
                // A marker that moved on since the decision (the API planned meanwhile) is read again below.
                if (marker.EncodedPlan is not null && markers.TryGetValue(marker.User, out var decided) && decided.Week == marker.Week
                    && waiting.Remove(marker.User, out var due))
                {
                    await BuildUserAsync(build, due.Profile, due.Weeks, decided, marker.DecodePlan(), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        foreach (var (profile, due) in dueUsers.Where(d => waiting.ContainsKey(d.Profile.Key)))
        {
            await BuildUserAsync(build, profile, due, markers.GetValueOrDefault(profile.Key), carried: null, cancellationToken).ConfigureAwait(false);
        }

        await FlushAsync(build.Pending, tally, cancellationToken).ConfigureAwait(false);
        return tally;
    }

    /// <summary>
    /// A user with nothing due whose marker points at no due time (written before the index, or the
    /// index write was lost) or at the wrong one (a time-zone change whose re-plan was lost).
    /// </summary>
    private async Task RepairIndexAsync(StoredProfile profile, PlanMarker newest, ShardTally tally, CancellationToken cancellationToken)
    {
        var expected = PlanSchedule.NextBuildAt(newest.Week, profile.Profile!.TimeZone, options.Value.LeadTime, profile.Key.SpreadHour);
        if (newest.NextBuild != expected)
        {
            var written = await plans.RescheduleAsync(profile.UserId, newest, expected, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var failed in written.Failed)
            {
                tally.Fail(failed.User, failed.Reason);
            }
        }
    }

    /// <summary>Builds one user's due weeks into the shard's pending batch, flushing it when full.</summary>
    private async Task BuildUserAsync(
        ShardBuild build, StoredProfile profile, IReadOnlyList<DueWeek> due, PlanMarker? marker, WeekPlan? carried, CancellationToken cancellationToken)
    {
        try
        {
            var history = new ShardHistory(this, plans, build, profile, marker, carried);
            var built = await WeekBuilder.BuildAsync(profile.Profile!, profile.Version, due, marker?.Week, history, build.Now, cancellationToken).ConfigureAwait(false);
            var newest = built.Select(p => IsoWeek.Parse(p.Week)).Max();
            var next = PlanSchedule.NextBuildAt(newest, profile.Profile!.TimeZone, options.Value.LeadTime, profile.Key.SpreadHour);

            // All of a user's weeks, or none of them: a half-planned user is retried whole.
            build.Pending.Add(new UserWeeks(profile.UserId, built, next) { PreviousBuild = marker?.NextBuild });
            if (build.Pending.Count >= options.Value.UsersPerBatch)
            {
                await FlushAsync(build.Pending, build.Tally, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            build.Tally.Fail(profile.Key, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Writes the pending users; those refused keep their old marker, so the next run tries them again.</summary>
    private async Task FlushAsync(List<UserWeeks> pending, ShardTally tally, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        tally.Count(await plans.WriteUsersAsync(pending, cancellationToken).ConfigureAwait(false));
        pending.Clear();
    }

    private async Task<IReadOnlyList<SessionLog>> LogsOf(
        string shard, IsoWeek week, UserKey user, Dictionary<IsoWeek, IReadOnlyDictionary<UserKey, IReadOnlyList<SessionLog>>> cache, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(week, out var weekLogs))
        {
            weekLogs = await logs.GetShardWeekAsync(shard, week, cancellationToken).ConfigureAwait(false);
            cache[week] = weekLogs;
        }

        return weekLogs.GetValueOrDefault(user) ?? [];
    }

    /// <summary>
    /// A user's weeks as the shard run reads them: the newest plan from the marker when it carries
    /// it, other weeks by a point read, and logs a whole shard-week at a time.
    /// </summary>
    private sealed class ShardHistory(WeeklyPlanRunner runner, IPlanStore plans, ShardBuild build, StoredProfile profile, PlanMarker? marker, WeekPlan? carried) : IWeekHistory
    {
        public async ValueTask<WeekPlan?> PlanAsync(IsoWeek week, CancellationToken cancellationToken) =>
            marker?.Week == week && carried is not null
                ? carried
                : await plans.GetAsync(profile.UserId, week, cancellationToken).ConfigureAwait(false);

        public async ValueTask<IReadOnlyList<SessionLog>> LogsAsync(IsoWeek week, CancellationToken cancellationToken) =>
            await runner.LogsOf(build.Shard, week, profile.Key, build.Logs, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Reconcile {RunId} fanned out: {ShardsEnqueued} shards sent to plan-build, {ShardsDone} already done, {Poisoned} poison messages")]
    private static partial void LogFannedOut(ILogger logger, string runId, int shardsEnqueued, int shardsDone, int poisoned);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Weekly run {RunId} finished: {UsersSeen} users seen, {PlansBuilt} plans built, {UpToDate} up to date, {Failed} failed, {ShardsResumed} shards resumed, {DurationMs} ms")]
    private static partial void LogRun(ILogger logger, string runId, int usersSeen, int plansBuilt, int upToDate, int failed, int shardsResumed, long durationMs);

    /// <summary>One shard's building state: its batch in the making and the logs read so far.</summary>
    private sealed class ShardBuild(string shard, DateTimeOffset now, ShardTally tally)
    {
        public string Shard { get; } = shard;
        public DateTimeOffset Now { get; } = now;
        public ShardTally Tally { get; } = tally;
        public List<UserWeeks> Pending { get; } = [];
        public Dictionary<IsoWeek, IReadOnlyDictionary<UserKey, IReadOnlyList<SessionLog>>> Logs { get; } = [];
    }
}
