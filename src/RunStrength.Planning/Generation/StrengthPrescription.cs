using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using static RunStrength.Planning.Generation.TrainingRules;

namespace RunStrength.Planning.Generation;

/// <summary>T2 (reps in reserve), rep ranges by goal, and T3 double progression.</summary>
public static class StrengthPrescription
{
    public const int AccessoryRepsMin = 10;
    public const int AccessoryRepsMax = 15;

    public const int BodyweightRepsMin = 8;
    public const int BodyweightRepsMax = 20;

    public static (int Min, int Max) RepRange(Goal goal, Experience strength, MovementPattern pattern, bool bodyweight = false)
    {
        if (ExerciseCatalog.IsAccessory(pattern))
        {
            return (AccessoryRepsMin, AccessoryRepsMax);
        }

        if (bodyweight)
        {
            // T6: bodyweight work progresses by reps over a wider range, never by load.
            return (BodyweightRepsMin, BodyweightRepsMax);
        }

        return (goal, IsNovice(strength)) switch
        {
            (Goal.Endurance, false) => (5, 8),
            (Goal.Muscle, false) => (6, 10),
            _ => (8, 12),
        };
    }

    /// <summary>T2: 0-3 reps in reserve; novices stay at 2-3; lighter weeks at 3.</summary>
    public static int TargetRir(Profile profile, int blockWeek, Adjustment adjustment, bool older, int weekIndex = 1)
    {
        ArgumentNullException.ThrowIfNull(profile);
        int rir;
        if (adjustment is Adjustment.Deload or Adjustment.Reentry)
        {
            rir = T2MaxRir;
        }
        else if (IsNovice(profile.StrengthExperience))
        {
            // T8: a novice's effort stays put through the first block while sets and reps move.
            rir = weekIndex <= P1BlockWeeks ? T2MaxRir : T2NoviceMinRir;
        }
        else
        {
            rir = profile.Goal == Goal.Endurance || blockWeek == 1 ? 2 : 1;
        }

        return Math.Min(T2MaxRir, rir + (older ? 1 : 0));
    }

    /// <summary>
    /// T3 double progression: add load only when every logged set reached the top of the range at
    /// the target RIR; otherwise add reps. A session merely marked done never adds load.
    /// </summary>
    public static (int TargetReps, int LoadSteps, LoadAction Action) Progress(
        Exercise? previous, int repsMin, int repsMax, IReadOnlyList<SetLog> loggedSets, Adjustment adjustment)
    {
        ArgumentNullException.ThrowIfNull(loggedSets);
        var summary = default(LoggedSets);
        if (previous is not null)
        {
            foreach (var set in loggedSets)
            {
                summary = summary.Add(set, previous);
            }
        }

        return Progress(previous, repsMin, repsMax, summary, adjustment);
    }

    /// <summary>
    /// L2, L3: this week's load in kg, from last week's logged loads or its prescription; null
    /// before any load is known (the plan asks for a calibration) and for bodyweight work (T6).
    /// </summary>
    internal static double? LoadKg(Exercise? previous, LoggedSets logged, LoadAction action, int repsMin, int rir, Equipment equipment, Units units)
    {
        if (equipment == Equipment.Bodyweight || previous is null)
        {
            return null;
        }

        var last = logged.TopLoadKg > 0 ? logged.TopLoadKg : previous.LoadKg ?? 0;
        if (last <= 0)
        {
            return null;
        }

        if (action != LoadAction.AddLoad)
        {
            return Targets.Loads.RoundDown(last, equipment, units);
        }

        var oneRepMax = logged.BestOneRepMaxKg > 0 ? logged.BestOneRepMaxKg : Targets.Loads.OneRepMax(last, previous.RepsMax, previous.TargetRir);
        return Targets.Loads.NextLoad(last, oneRepMax, repsMin, rir, equipment, units);
    }

    internal static (int TargetReps, int LoadSteps, LoadAction Action) Progress(
        Exercise? previous, int repsMin, int repsMax, LoggedSets loggedSets, Adjustment adjustment)
    {
        if (previous is null)
        {
            return (repsMin, 0, LoadAction.Start);
        }

        var reps = Math.Clamp(previous.TargetReps, repsMin, repsMax);
        var load = previous.LoadSteps;
        if (adjustment == Adjustment.Deload)
        {
            return (reps, load, LoadAction.Deload);
        }

        if (adjustment != Adjustment.Progress)
        {
            return (reps, load, LoadAction.Hold);
        }

        if (loggedSets.Count == 0)
        {
            return reps < repsMax ? (reps + 1, load, LoadAction.AddReps) : (reps, load, LoadAction.Hold);
        }

        if (loggedSets.Count >= previous.Sets && loggedSets.BelowTop == 0)
        {
            // T6: a bodyweight movement has no load to add; it holds at the top of its wider
            // range (slower tempo) until a harder variant replaces it.
            return previous.Equipment == Equipment.Bodyweight ? (reps, load, LoadAction.Hold) : (repsMin, load + 1, LoadAction.AddLoad);
        }

        return loggedSets.BelowTarget == 0 && reps < repsMax ? (reps + 1, load, LoadAction.AddReps) : (reps, load, LoadAction.Hold);
    }
}

/// <summary>What the logged sets of one exercise showed, folded set by set without allocating.</summary>
internal readonly record struct LoggedSets(int Count, int BelowTop, int BelowTarget, double TopLoadKg = 0, double BestOneRepMaxKg = 0)
{
    public LoggedSets Add(SetLog set, Exercise previous)
    {
        var atTop = set.Reps >= previous.RepsMax && set.Rir is { } rir && rir >= previous.TargetRir;

        // L1: a set with a load and a RIR gives an estimated one-rep max that counts the reps in reserve.
        var load = set.Load is { } kg && kg > 0 ? (double)kg : 0;
        var oneRepMax = load > 0 && set.Rir is { } reserve ? Targets.Loads.OneRepMax(load, set.Reps, reserve) : 0;
        return new LoggedSets(
            Count + 1,
            BelowTop + (atTop ? 0 : 1),
            BelowTarget + (set.Reps >= previous.TargetReps ? 0 : 1),
            Math.Max(TopLoadKg, load),
            Math.Max(BestOneRepMaxKg, oneRepMax));
    }
}
