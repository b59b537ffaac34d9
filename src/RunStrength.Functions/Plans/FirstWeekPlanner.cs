using RunStrength.Planning;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Storage;

namespace RunStrength.Functions.Plans;

/// <summary>Builds a new user's current week at once (its remaining days), so nobody waits for the timer.</summary>
public sealed class FirstWeekPlanner(IPlanStore plans, TimeProvider clock)
{
    public async Task<WeekPlan> PlanAsync(string userId, Profile profile, long profileVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var now = clock.GetUtcNow();
        var today = WeekClock.Today(now, profile.TimeZone);
        var week = IsoWeek.Containing(today);
        var plan = PlanGenerator.Generate(new PlanRequest
        {
            Profile = profile,
            ProfileVersion = profileVersion,
            Week = week,
            GeneratedAt = now,
            StartDate = today,
        });
        await plans.WriteAsync(userId, plan, cancellationToken).ConfigureAwait(false);
        return plan;
    }
}
