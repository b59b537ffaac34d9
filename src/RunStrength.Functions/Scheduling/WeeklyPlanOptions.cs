using System.ComponentModel.DataAnnotations;

namespace RunStrength.Functions.Scheduling;

/// <summary>The weekly run's settings, bound from the app settings <c>PlanLeadTime</c> and <c>Plan*</c>.</summary>
public sealed class WeeklyPlanOptions
{
    /// <summary>How long before a user's local Monday 00:00 their next week is built.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "6.00:00:00")]
    public TimeSpan PlanLeadTime { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Shards processed at once; bounds memory and load on storage.</summary>
    [Range(1, 64)]
    public int PlanMaxConcurrentShards { get; set; } = 8;

    /// <summary>Users per write transaction (a plan and its marker each: at most 50 fits Azure's 100).</summary>
    [Range(1, 50)]
    public int PlanUsersPerBatch { get; set; } = 50;
}
