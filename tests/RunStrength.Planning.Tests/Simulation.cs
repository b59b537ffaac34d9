using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Tests;

/// <summary>Runs the generator week after week, feeding it logs made by a seeded random user.</summary>
public static class Simulation
{
    public static readonly IsoWeek FirstWeek = new(2026, 49);
    public static readonly DateTimeOffset GeneratedAt = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    public static WeekPlan First(Profile profile) => PlanGenerator.Generate(Request(profile, FirstWeek, null, []));

    public static PlanRequest Request(Profile profile, IsoWeek week, WeekPlan? previous, IReadOnlyList<SessionLog> logs) => new()
    {
        Profile = profile,
        ProfileVersion = 1,
        Week = week,
        GeneratedAt = GeneratedAt,
        Previous = previous,
        PreviousLogs = logs,
    };

    /// <summary>Weeks of plans; <paramref name="logger"/> writes each week's logs (null: the user never logs).</summary>
    public static IReadOnlyList<WeekPlan> Run(Profile profile, int weeks, Func<WeekPlan, IReadOnlyList<SessionLog>>? logger = null)
    {
        var plans = new List<WeekPlan>(weeks);
        WeekPlan? previous = null;
        IReadOnlyList<SessionLog> logs = [];
        for (var i = 0; i < weeks; i++)
        {
            previous = PlanGenerator.Generate(Request(profile, FirstWeek.Plus(i), previous, logs));
            plans.Add(previous);
            logs = logger?.Invoke(previous) ?? [];
        }

        return plans;
    }

    /// <summary>
    /// The five logging users: none, done (as prescribed, sets at the top of the range at
    /// the target RIR), struggle (partial, half the minutes, RPE 9, bottom of the range at RIR 0),
    /// skip, and runs-unlogged (everything but runs logged as done; runs tracked elsewhere).
    /// </summary>
    public static Func<WeekPlan, IReadOnlyList<SessionLog>>? Logger(LogMode mode) => mode switch
    {
        LogMode.None => null,
        LogMode.Skip => plan => [.. Trained(plan).Select(s => new SessionLog { SessionId = s.Id, Status = SessionStatus.Skipped })],
        LogMode.Struggle => plan => [.. Trained(plan).Select(s => new SessionLog
        {
            SessionId = s.Id,
            Status = SessionStatus.Partial,
            ActualMinutes = s.DurationMinutes / 2,
            Rpe = 9,
            Exercises = [.. s.Exercises.Select(e => new ExerciseLog(e.Id, [.. Enumerable.Repeat(new SetLog(e.RepsMin, 0), e.Sets)]))],
        })],
        _ => plan => [.. Trained(plan).Where(s => mode != LogMode.RunsUnlogged || s.Kind != SessionKind.Run).Select(Done)],
    };

    private static IEnumerable<Session> Trained(WeekPlan plan) => plan.Sessions.Where(s => s.Kind != SessionKind.Rest);

    private static SessionLog Done(Session session) => new()
    {
        SessionId = session.Id,
        Status = SessionStatus.Completed,
        ActualMinutes = session.DurationMinutes,
        Rpe = session.Intensity.Rpe,
        Exercises = [.. session.Exercises.Select(e => new ExerciseLog(e.Id, [.. Enumerable.Repeat(new SetLog(e.RepsMax, e.TargetRir), e.Sets)]))],
    };

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

public enum LogMode { None, Done, Struggle, Skip, RunsUnlogged }
