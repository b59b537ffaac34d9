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
    TimeSpan Duration)
{
    /// <summary><c>reconcile</c> for the full sweep, <c>due</c> for a due-index tick.</summary>
    public string Kind { get; init; } = "reconcile";

    /// <summary>Shards sent to the <c>plan-build</c> queue instead of built in this execution.</summary>
    public int ShardsEnqueued { get; init; }

    /// <summary>Messages in <c>plan-build-poison</c> when the run ended.</summary>
    public int Poisoned { get; init; }

    internal RunSummary ToStored(DateTimeOffset finishedAt) => new()
    {
        RunId = RunId,
        Kind = Kind,
        UsersSeen = UsersSeen,
        PlansBuilt = PlansBuilt,
        UpToDate = UpToDate,
        Failed = Failed,
        ShardsResumed = ShardsResumed,
        ShardsEnqueued = ShardsEnqueued,
        Poisoned = Poisoned,
        Failures = Failures,
        Duration = Duration,
        FinishedAt = finishedAt,
    };
}

/// <summary>Counts of one shard (or, added up, of a run).</summary>
internal sealed class ShardTally
{
    public const int MaxReportedFailures = 200;

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

    /// <summary>The checkpoint of a shard finished with these counts.</summary>
    public RunCheckpoint Done(string runId, string shard, DateTimeOffset at) => new()
    {
        RunId = runId,
        Shard = shard,
        Status = ShardRunStatus.Done,
        UsersSeen = UsersSeen,
        PlansBuilt = PlansBuilt,
        UpToDate = UpToDate,
        Failed = Failed,
        FailedUsers = string.Join('\n', Failures),
        UpdatedAt = at,
    };

    public void Fail(UserKey user, string reason)
    {
        Failed++;
        if (Failures.Count < MaxReportedFailures)
        {
            Failures.Add($"{user.Value}: {reason}");
        }
    }

    /// <summary>Counts a shard write: plans written, users already settled elsewhere as up to date, refused users as failed.</summary>
    public void Count(ShardWrite write)
    {
        PlansBuilt += write.PlansWritten;
        UpToDate += write.AlreadySettled.Count;
        foreach (var failed in write.Failed)
        {
            Fail(failed.User, failed.Reason);
        }
    }

    public void Add(ShardTally other)
    {
        lock (this)
        {
            UsersSeen += other.UsersSeen;
            PlansBuilt += other.PlansBuilt;
            UpToDate += other.UpToDate;
            Failed += other.Failed;
            Failures.AddRange(other.Failures.Take(MaxReportedFailures - Failures.Count));
        }
    }
}
