using System.ComponentModel.DataAnnotations;

namespace RunStrength.Functions.Scheduling;

/// <summary>The weekly run's settings, bound from section <c>WeeklyPlan</c> (<c>WeeklyPlan__*</c> in app settings).</summary>
public sealed class WeeklyPlanOptions
{
    public const string Section = "WeeklyPlan";

    /// <summary>How long before a user's local Monday 00:00 their next week is built at the latest.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "6.00:00:00")]
    public TimeSpan LeadTime { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Shards processed at once; bounds memory and load on storage.</summary>
    [Range(1, 64)]
    public int MaxConcurrentShards { get; set; } = 8;

    /// <summary>Users per write (each up to two plans, a marker and two due-index rows; batches never exceed Azure's 100 entities).</summary>
    [Range(1, 50)]
    public int UsersPerBatch { get; set; } = 20;

    /// <summary>Users of one shard read and built at once, within a batch (their profile and log reads overlap).</summary>
    [Range(1, 50)]
    public int UsersAtOnce { get; set; } = 10;

    /// <summary>The UTC hour of the day whose tick also runs the full reconcile sweep (every user, as before the due index).</summary>
    [Range(0, 23)]
    public int ReconcileHourUtc { get; set; } = 3;

    /// <summary>
    /// Whether the daily sweep sends one <c>plan-build</c> message per shard (256) for the queue
    /// trigger to sweep, instead of sweeping every user in the timer's own execution. Off by default
    /// (one instance sweeps a small deployment well); the Azure infrastructure turns it on, so that
    /// no execution has to read every user within <c>functionTimeout</c>.
    /// </summary>
    public bool ReconcileFanOut { get; set; }

    /// <summary>
    /// Due users in one tick above which the timer sends one <c>plan-build</c> message per shard
    /// instead of building in its own execution. At or below it, the tick builds in-process.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int FanOutThreshold { get; set; } = 5000;
}
