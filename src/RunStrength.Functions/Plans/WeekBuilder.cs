using RunStrength.Planning;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Scheduling;

namespace RunStrength.Functions.Plans;

/// <summary>Where a build reads the weeks it continues from: the API reads them one by one, the weekly run by shard.</summary>
public interface IWeekHistory
{
    ValueTask<WeekPlan?> PlanAsync(IsoWeek week, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<SessionLog>> LogsAsync(IsoWeek week, CancellationToken cancellationToken);
}

/// <summary>
/// Builds the weeks <see cref="PlanSchedule"/> found due, oldest first, each on the week before it:
/// the same steps for sign-up, a profile change and the weekly run.
/// </summary>
public static class WeekBuilder
{
    /// <param name="newest">The newest week already planned, if any.</param>
    public static async Task<IReadOnlyList<WeekPlan>> BuildAsync(
        Profile profile, long profileVersion, IReadOnlyList<DueWeek> due, IsoWeek? newest, IWeekHistory history, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(due);
        ArgumentNullException.ThrowIfNull(history);
        var built = new List<WeekPlan>(due.Count);
        foreach (var week in due)
        {
            var (previous, previousLogs) = await BasisAsync(week, built, due, newest, history, cancellationToken).ConfigureAwait(false);
            var request = new PlanRequest
            {
                Profile = profile,
                ProfileVersion = profileVersion,
                Week = week.Week,
                GeneratedAt = now,
                StartDate = week.StartDate,
                Previous = previous,
                PreviousLogs = previousLogs,
            };

            var existing = week.Build == WeekBuild.Replan ? await history.PlanAsync(week.Week, cancellationToken).ConfigureAwait(false) : null;
            if (existing is not null && week.StartDate is { } from)
            {
                var logged = await history.LogsAsync(week.Week, cancellationToken).ConfigureAwait(false);
                built.Add(PlanGenerator.Replan(request, existing, logged.Select(l => l.SessionId).ToHashSet(StringComparer.Ordinal), from));
            }
            else
            {
                built.Add(PlanGenerator.Generate(request));
            }
        }

        return built;
    }

    /// <summary>
    /// The plan a week continues from, and its logs: the week just built in this call; else the
    /// newest plan when the week comes after it (after a gap too); else the week before, when a
    /// planned week is built again.
    /// </summary>
    private static async Task<(WeekPlan? Plan, IReadOnlyList<SessionLog> Logs)> BasisAsync(
        DueWeek week, List<WeekPlan> built, IReadOnlyList<DueWeek> due, IsoWeek? newest, IWeekHistory history, CancellationToken cancellationToken)
    {
        if (built.Count > 0)
        {
            // A week planned anew this moment has no logs yet; a replanned one keeps those it had.
            var before = due[built.Count - 1];
            return (built[^1], before.Build == WeekBuild.New ? [] : await history.LogsAsync(before.Week, cancellationToken).ConfigureAwait(false));
        }

        if (newest is not { } planned)
        {
            return (null, []);
        }

        var basis = week.Build == WeekBuild.New && planned < week.Week ? planned : week.Week.Previous();
        var plan = await history.PlanAsync(basis, cancellationToken).ConfigureAwait(false);
        return plan is null ? (null, []) : (plan, await history.LogsAsync(basis, cancellationToken).ConfigureAwait(false));
    }
}
