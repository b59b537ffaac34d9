using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Simulation;

namespace RunStrength.Planning.Tests;

/// <summary>
/// The shared <see cref="PlanSimulator"/> from the tests' first week, plus a seeded random user
/// for the invariant properties.
/// </summary>
public static class Simulation
{
    public static readonly IsoWeek FirstWeek = new(2026, 49);

    public static WeekPlan First(Profile profile) => PlanGenerator.Generate(Request(profile, FirstWeek, null, []));

    public static PlanRequest Request(Profile profile, IsoWeek week, WeekPlan? previous, IReadOnlyList<SessionLog> logs) =>
        PlanSimulator.Request(profile, week, previous, logs);

    /// <summary>Weeks of plans; <paramref name="logger"/> writes each week's logs (null: the user never logs).</summary>
    public static IReadOnlyList<WeekPlan> Run(Profile profile, int weeks, Func<WeekPlan, IReadOnlyList<SessionLog>>? logger = null) =>
        PlanSimulator.Run(profile, FirstWeek, weeks, logger);

    public static Func<WeekPlan, IReadOnlyList<SessionLog>>? Logger(LogMode mode) => PlanSimulator.Logger(mode);

    /// <summary>A user who does some sessions, skips some, rates some, and sometimes logs sets.</summary>
    public static Func<WeekPlan, IReadOnlyList<SessionLog>> RandomLogger(int seed)
    {
        var random = new Random(seed);
        return plan =>
        {
            if (random.Next(5) == 0)
            {
                return [];
            }

            var logs = new List<SessionLog>();
            foreach (var session in plan.Sessions.Where(s => s.Kind != SessionKind.Rest))
            {
                var roll = random.Next(10);
                if (roll == 0)
                {
                    continue;
                }

                var status = roll < 3 ? SessionStatus.Skipped : roll < 4 ? SessionStatus.Partial : SessionStatus.Completed;
                logs.Add(new SessionLog
                {
                    SessionId = session.Id,
                    Status = status,
                    ActualMinutes = status == SessionStatus.Skipped ? null : session.DurationMinutes,
                    Rpe = random.Next(3) == 0 ? null : Math.Clamp(session.Intensity.Rpe + random.Next(-2, 4), 1, 10),
                    Exercises = status == SessionStatus.Skipped ? [] : session.Exercises
                        .Where(_ => random.Next(2) == 0)
                        .Select(e => new ExerciseLog(e.Id, Enumerable.Range(0, e.Sets)
                            .Select(_ => new SetLog(random.Next(e.RepsMin - 2, e.RepsMax + 2), random.Next(4) == 0 ? null : random.Next(0, 5)))
                            .ToArray()))
                        .ToArray(),
                });
            }

            return logs;
        };
    }
}
