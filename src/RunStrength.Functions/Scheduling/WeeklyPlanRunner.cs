using System.Collections.Concurrent;
using System.Diagnostics;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Scheduling;
using RunStrength.Functions.Plans;
using RunStrength.Storage;

namespace RunStrength.Functions.Scheduling;

/// <summary>What one run did; also stored as the run's summary row and logged as one line.</summary>
public sealed record WeeklyRunSummary(
    string RunId,
    int UsersSeen,
    int PlansBuilt,
    int UpToDate,
    int Failed,
    IReadOnlyList<string> Failures,
    int ShardsResumed,
    TimeSpan Duration);

/// <summary>
/// The reconciler behind the weekly timer. For every user it asks <see cref="PlanSchedule"/> which
/// weeks are due, knowing only the newest planned week (its marker), and builds them with
/// <see cref="WeekBuilder"/>, as the API does at sign-up and on profile changes: a current week with
/// no plan (a missed tick, or a user the API could not plan), next week once the user's local
/// Monday 00:00 is within the lead time, and a planned week again when it came from an older
/// profile. Shards run in parallel, each streamed page by page and written in batch transactions;
/// a shard is checkpointed when done, so re-running a run id resumes. Rebuilding is idempotent:
/// deterministic keys, and markers written with their plans.
/// </summary>
public sealed partial class WeeklyPlanRunner(
    IProfileStore profiles,
    IPlanStore plans,
    ISessionLogStore logs,
    IRunCheckpointStore runs,
    TimeProvider clock,
    IOptions<WeeklyPlanOptions> options,
    ILogger<WeeklyPlanRunner> logger)
{
    private const int MaxReportedFailures = 200;

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
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.PlanMaxConcurrentShards, CancellationToken = cancellationToken },
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

                await runs.SaveAsync(new RunCheckpoint
                {
                    RunId = runId,
                    Shard = shard,
                    Status = ShardRunStatus.Done,
                    UsersSeen = tally.UsersSeen,
                    PlansBuilt = tally.PlansBuilt,
                    UpToDate = tally.UpToDate,
                    Failed = tally.Failed,
                    FailedUsers = string.Join('\n', tally.Failures.Take(MaxReportedFailures)),
                    UpdatedAt = clock.GetUtcNow(),
                }, token).ConfigureAwait(false);
            }).ConfigureAwait(false);

        var summary = new WeeklyRunSummary(runId, totals.UsersSeen, totals.PlansBuilt, totals.UpToDate, totals.Failed,
            failures.Take(MaxReportedFailures).ToList(), resumed, clock.GetElapsedTime(started));
        await runs.SaveSummaryAsync(runId, new Dictionary<string, object>
        {
            ["UsersSeen"] = summary.UsersSeen,
            ["PlansBuilt"] = summary.PlansBuilt,
            ["UpToDate"] = summary.UpToDate,
            ["Failed"] = summary.Failed,
            ["ShardsResumed"] = summary.ShardsResumed,
            ["DurationMs"] = (long)summary.Duration.TotalMilliseconds,
            ["Failures"] = Truncate(string.Join('\n', summary.Failures)),
            ["FinishedAt"] = clock.GetUtcNow(),
        }, cancellationToken).ConfigureAwait(false);
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
                    LeadTime = options.Value.PlanLeadTime,
                });
                if (due.Count == 0)
                {
                    tally.UpToDate++;
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
                if (marker.EncodedPlan is { } carried && markers.TryGetValue(marker.User, out var decided) && decided.Week == marker.Week
                    && waiting.Remove(marker.User, out var due))
                {
                    await BuildUserAsync(build, due.Profile, due.Weeks, decided, carried, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        foreach (var (profile, due) in dueUsers.Where(d => waiting.ContainsKey(d.Profile.Key)))
        {
            await BuildUserAsync(build, profile, due, markers.GetValueOrDefault(profile.Key), carried: null, cancellationToken).ConfigureAwait(false);
        }

        await FlushAsync(build.Pending, build.PendingUsers, tally, cancellationToken).ConfigureAwait(false);
        return tally;
    }

    /// <summary>Builds one user's due weeks into the shard's pending batch, flushing it when full.</summary>
    private async Task BuildUserAsync(
        ShardBuild build, StoredProfile profile, IReadOnlyList<DueWeek> due, PlanMarker? marker, byte[]? carried, CancellationToken cancellationToken)
    {
        try
        {
            var history = new ShardHistory(this, plans, build, profile, marker, carried);
            var built = await WeekBuilder.BuildAsync(profile.Profile!, profile.Version, due, marker?.Week, history, build.Now, cancellationToken).ConfigureAwait(false);

            // All of a user's weeks, or none of them: a half-planned user is retried whole.
            build.Pending.AddRange(built.Select(plan => (profile.UserId, plan)));
            build.PendingUsers.Add(profile.Key);
            if (build.PendingUsers.Count >= options.Value.PlanUsersPerBatch)
            {
                await FlushAsync(build.Pending, build.PendingUsers, build.Tally, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            build.Tally.Fail(profile.Key, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private async Task FlushAsync(List<(string UserId, WeekPlan Plan)> pending, List<UserKey> users, ShardTally tally, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        try
        {
            await plans.WriteBatchAsync(pending, cancellationToken).ConfigureAwait(false);
            tally.PlansBuilt += pending.Count;
        }
        catch (Exception e) when (e is RequestFailedException or TableLimitException)
        {
            // Those users keep their old marker, so the next tick tries them again.
            foreach (var user in users)
            {
                tally.Fail(user, $"{e.GetType().Name}: {e.Message}");
            }
        }

        pending.Clear();
        users.Clear();
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
    private sealed class ShardHistory(WeeklyPlanRunner runner, IPlanStore plans, ShardBuild build, StoredProfile profile, PlanMarker? marker, byte[]? carried) : IWeekHistory
    {
        public async ValueTask<WeekPlan?> PlanAsync(IsoWeek week, CancellationToken cancellationToken) =>
            marker?.Week == week && carried is not null
                ? PlanCodec.Decode(carried)
                : await plans.GetAsync(profile.UserId, week, cancellationToken).ConfigureAwait(false);

        public async ValueTask<IReadOnlyList<SessionLog>> LogsAsync(IsoWeek week, CancellationToken cancellationToken) =>
            await runner.LogsOf(build.Shard, week, profile.Key, build.Logs, cancellationToken).ConfigureAwait(false);
    }

    private static string Truncate(string text) => text.Length <= TableLimits.MaxStringChars ? text : text[..TableLimits.MaxStringChars];

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Weekly run {RunId} finished: {UsersSeen} users seen, {PlansBuilt} plans built, {UpToDate} up to date, {Failed} failed, {ShardsResumed} shards resumed, {DurationMs} ms")]
    private static partial void LogRun(ILogger logger, string runId, int usersSeen, int plansBuilt, int upToDate, int failed, int shardsResumed, long durationMs);

    /// <summary>One shard's building state: its batch in the making and the logs read so far.</summary>
    private sealed class ShardBuild(string shard, DateTimeOffset now, ShardTally tally)
    {
        public string Shard { get; } = shard;
        public DateTimeOffset Now { get; } = now;
        public ShardTally Tally { get; } = tally;
        public List<(string UserId, WeekPlan Plan)> Pending { get; } = [];
        public List<UserKey> PendingUsers { get; } = [];
        public Dictionary<IsoWeek, IReadOnlyDictionary<UserKey, IReadOnlyList<SessionLog>>> Logs { get; } = [];
    }

    private sealed class ShardTally
    {
        public ShardTally()
        {
        }

        public ShardTally(int usersSeen, int plansBuilt, int upToDate, int failed)
        {
            UsersSeen = usersSeen;
            PlansBuilt = plansBuilt;
            UpToDate = upToDate;
            Failed = failed;
        }

        public int UsersSeen { get; set; }
        public int PlansBuilt { get; set; }
        public int UpToDate { get; set; }
        public int Failed { get; set; }
        public List<string> Failures { get; } = [];

        public void Fail(UserKey user, string reason)
        {
            Failed++;
            Failures.Add($"{user.Value}: {reason}");
        }

        public void Add(ShardTally other)
        {
            lock (this)
            {
                UsersSeen += other.UsersSeen;
                PlansBuilt += other.PlansBuilt;
                UpToDate += other.UpToDate;
                Failed += other.Failed;
            }
        }
    }
}
