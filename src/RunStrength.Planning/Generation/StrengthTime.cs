using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using static RunStrength.Planning.Generation.TrainingRules;

namespace RunStrength.Planning.Generation;

/// <summary>
/// T9: a strength session lasts its warm-up plus, for every set, the reps (both sides of a
/// one-sided exercise, slower with a tempo) and the rest after it, which depends on the load.
/// </summary>
internal static class StrengthTime
{
    /// <summary>Rest after a set: heavy compound sets longest, accessories shortest.</summary>
    public static int RestSeconds(ExerciseCatalog.Variant variant, int rir) =>
        variant.Isolation ? T9AccessoryRestSeconds
        : variant.Equipment == Equipment.Bodyweight ? T9BodyweightRestSeconds
        : rir <= T9HeavyMaxRir ? T9HeavyRestSeconds
        : T9CompoundRestSeconds;

    public static int SecondsPerRep(ExerciseCatalog.Variant variant) =>
        (variant.Traits & VariantTraits.Held) != 0 ? T9HeldSecondsPerRep
        : (variant.Traits & VariantTraits.Tempo) != 0 ? T9TempoSecondsPerRep
        : T9SecondsPerRep;

    public static int SetSeconds(int reps, int secondsPerRep, bool perSide, int restSeconds) =>
        (reps * secondsPerRep * (perSide ? 2 : 1)) + restSeconds;

    public static int SetSeconds(Exercise exercise) =>
        SetSeconds(exercise.TargetReps, exercise.SecondsPerRep, exercise.PerSide, exercise.RestSeconds);

    /// <summary>Whole minutes of work sets and rest, to the nearest.</summary>
    public static int WorkMinutes(int seconds) => (seconds + 30) / 60;

    public static int SessionMinutes(int workSeconds) => StrengthWarmupMinutes + WorkMinutes(workSeconds);
}
