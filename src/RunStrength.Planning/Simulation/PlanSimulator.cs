using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Simulation;

/// <summary>How a simulated person logs each week (issue 13's five users).</summary>
public enum LogMode
{
    /// <summary>Nothing logged.</summary>
    None,

    /// <summary>Every session completed as planned: minutes and RPE as prescribed, sets at the top of the range at the target RIR.</summary>
    Done,

    /// <summary>Every session partial: half the minutes, RPE 9, sets at the bottom of the range at RIR 0.</summary>
    Struggle,

    /// <summary>Every session skipped.</summary>
    Skip,

    /// <summary>Everything but runs logged as in <see cref="Done"/>; runs are tracked elsewhere and never logged.</summary>
    RunsUnlogged,
}

/// <summary>
/// Runs the generator week after week as the weekly run would, each week whole and built on the
/// week before and its logs. Pure: the same profile, weeks and logger give the same plans.
/// </summary>
public static class PlanSimulator
{
    /// <summary>The weekly run's default lead time: a week is built this long before its local Monday 00:00.</summary>
    public static readonly TimeSpan LeadTime = TimeSpan.FromHours(48);

    /// <summary>The wire names of the modes, as the command line takes them.</summary>
    public static IReadOnlyDictionary<string, LogMode> ModeNames { get; } = new Dictionary<string, LogMode>(StringComparer.Ordinal)
    {
        ["none"] = LogMode.None,
        ["done"] = LogMode.Done,
        ["struggle"] = LogMode.Struggle,
        ["skip"] = LogMode.Skip,
        ["runs-unlogged"] = LogMode.RunsUnlogged,
    };

    /// <summary>The request the weekly run makes for a new week: the whole week, generated at the lead time before it starts.</summary>
    public static PlanRequest Request(Profile profile, IsoWeek week, WeekPlan? previous, IReadOnlyList<SessionLog> logs, long profileVersion = 1)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new PlanRequest
        {
            Profile = profile,
            ProfileVersion = profileVersion,
            Week = week,
            GeneratedAt = WeekClock.StartOf(week, profile.TimeZone) - LeadTime,
            Previous = previous,
            PreviousLogs = logs,
        };
    }

    /// <summary>Weeks <paramref name="start"/> onwards; <paramref name="logger"/> writes each week's logs (null: the person never logs).</summary>
    public static IReadOnlyList<WeekPlan> Run(Profile profile, IsoWeek start, int weeks, Func<WeekPlan, IReadOnlyList<SessionLog>>? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weeks);
        var plans = new List<WeekPlan>(weeks);
        WeekPlan? previous = null;
        IReadOnlyList<SessionLog> logs = [];
        for (var i = 0; i < weeks; i++)
        {
            previous = PlanGenerator.Generate(Request(profile, start.Plus(i), previous, logs));
            plans.Add(previous);
            logs = logger?.Invoke(previous) ?? [];
        }

        return plans;
    }

    public static IReadOnlyList<WeekPlan> Run(Profile profile, IsoWeek start, int weeks, LogMode mode) =>
        Run(profile, start, weeks, Logger(mode));

    /// <summary>The logs a person of <paramref name="mode"/> writes for a week; null when they log nothing.</summary>
    public static Func<WeekPlan, IReadOnlyList<SessionLog>>? Logger(LogMode mode) => mode switch
    {
        LogMode.None => null,
        _ => plan => Logs(plan, mode),
    };

    public static IReadOnlyList<SessionLog> Logs(WeekPlan plan, LogMode mode)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var trained = plan.Sessions.Where(s => s.Kind != SessionKind.Rest);
        return mode switch
        {
            LogMode.None => [],
            LogMode.Skip => [.. trained.Select(s => new SessionLog { SessionId = s.Id, Status = SessionStatus.Skipped })],
            LogMode.Struggle => [.. trained.Select(Struggled)],
            LogMode.Done => [.. trained.Select(Done)],
            LogMode.RunsUnlogged => [.. trained.Where(s => s.Kind != SessionKind.Run).Select(Done)],
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a log mode."),
        };
    }

    /// <summary>
    /// The load to log for an exercise: the prescribed load (L2) when the plan gives one, otherwise a
    /// plausible start weight for its equipment (the calibration week) plus the increments the plan
    /// has added since (T3). Bodyweight movements carry no load.
    /// </summary>
    public static decimal? Load(Exercise exercise)
    {
        ArgumentNullException.ThrowIfNull(exercise);
        if (exercise.LoadKg is { } prescribed)
        {
            return (decimal)prescribed;
        }

        var step = exercise.Equipment switch
        {
            Equipment.Gym => 2.5m,
            Equipment.Dumbbells => 1m,
            Equipment.Kettlebell => 4m,
            _ => 0m,
        };
        return step == 0m ? null : StartLoad(exercise) + (step * exercise.LoadSteps);
    }

    /// <summary>
    /// What a person new to the lift might pick in the calibration week: a bar, machine stack or
    /// (per hand) dumbbell or kettlebell, heavier for squats and hinges than for presses, light for
    /// curls and core work.
    /// </summary>
    private static decimal StartLoad(Exercise exercise)
    {
        var light = exercise.Id.Contains("curl", StringComparison.Ordinal) || exercise.Pattern == MovementPattern.Core;
        var (gym, hand) = exercise.Pattern switch
        {
            _ when light => (15m, 6m),
            MovementPattern.Squat => (40m, 12m),
            MovementPattern.Hinge => (50m, 16m),
            MovementPattern.Lunge => (20m, 8m),
            MovementPattern.HorizontalPush => (30m, 10m),
            MovementPattern.VerticalPush => (20m, 8m),
            MovementPattern.Pull => (30m, 12m),
            _ => (30m, 10m),
        };
        return exercise.Equipment switch
        {
            Equipment.Gym => gym,
            Equipment.Kettlebell => Math.Max(8m, Math.Round(hand / 4m) * 4m),
            _ => hand,
        };
    }

    private static SessionLog Done(Session session) => new()
    {
        SessionId = session.Id,
        Status = SessionStatus.Completed,
        ActualMinutes = session.DurationMinutes,
        Rpe = session.Intensity.Rpe,
        Exercises = [.. session.Exercises.Select(e => new ExerciseLog(e.Id, [.. Enumerable.Repeat(new SetLog(e.RepsMax, e.TargetRir, Load(e)), e.Sets)]))],
    };

    private static SessionLog Struggled(Session session) => new()
    {
        SessionId = session.Id,
        Status = SessionStatus.Partial,
        ActualMinutes = session.DurationMinutes / 2,
        Rpe = 9,
        Exercises = [.. session.Exercises.Select(e => new ExerciseLog(e.Id, [.. Enumerable.Repeat(new SetLog(e.RepsMin, 0, Load(e)), e.Sets)]))],
    };
}
