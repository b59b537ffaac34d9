using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Generation;

/// <summary>T5: every movement pattern has a variant for each equipment set.</summary>
public static class ExerciseCatalog
{
    public const string Quads = "quads";
    public const string Hamstrings = "hamstrings";
    public const string Glutes = "glutes";
    public const string Calves = "calves";
    public const string Chest = "chest";
    public const string Back = "back";
    public const string Shoulders = "shoulders";
    public const string Core = "core";

    /// <summary>The muscle groups whose weekly sets T1 targets, in report order.</summary>
    public static IReadOnlyList<string> Muscles { get; } = [Quads, Hamstrings, Glutes, Calves, Chest, Back, Shoulders, Core];

    public static IReadOnlyList<MovementPattern> Patterns { get; } = Enum.GetValues<MovementPattern>();

    // Equipment in order of preference: the richest set the person has wins.
    private static readonly Equipment[] Preference = [Equipment.Gym, Equipment.Dumbbells, Equipment.Kettlebell, Equipment.Bodyweight];

    private static readonly string[] None = [];

    private static readonly Dictionary<(MovementPattern, Equipment), Variant> Variants = new()
    {
        [(MovementPattern.Squat, Equipment.Gym)] = new("back-squat", "Barbell back squat"),
        [(MovementPattern.Squat, Equipment.Dumbbells)] = new("goblet-squat-db", "Dumbbell goblet squat"),
        [(MovementPattern.Squat, Equipment.Kettlebell)] = new("goblet-squat-kb", "Kettlebell goblet squat"),
        [(MovementPattern.Squat, Equipment.Bodyweight)] = new("tempo-squat", "Tempo bodyweight squat (3 s down)"),
        [(MovementPattern.Hinge, Equipment.Gym)] = new("romanian-deadlift", "Barbell Romanian deadlift"),
        [(MovementPattern.Hinge, Equipment.Dumbbells)] = new("romanian-deadlift-db", "Dumbbell Romanian deadlift"),
        [(MovementPattern.Hinge, Equipment.Kettlebell)] = new("kettlebell-deadlift", "Kettlebell deadlift"),
        [(MovementPattern.Hinge, Equipment.Bodyweight)] = new("single-leg-hip-hinge", "Single-leg hip hinge"),
        [(MovementPattern.Lunge, Equipment.Gym)] = new("bulgarian-split-squat", "Bulgarian split squat"),
        [(MovementPattern.Lunge, Equipment.Dumbbells)] = new("reverse-lunge-db", "Dumbbell reverse lunge"),
        [(MovementPattern.Lunge, Equipment.Kettlebell)] = new("reverse-lunge-kb", "Kettlebell reverse lunge"),
        [(MovementPattern.Lunge, Equipment.Bodyweight)] = new("split-squat", "Split squat"),
        [(MovementPattern.HorizontalPush, Equipment.Gym)] = new("bench-press", "Barbell bench press"),
        [(MovementPattern.HorizontalPush, Equipment.Dumbbells)] = new("db-bench-press", "Dumbbell bench press"),
        [(MovementPattern.HorizontalPush, Equipment.Kettlebell)] = new("kb-floor-press", "Kettlebell floor press"),
        [(MovementPattern.HorizontalPush, Equipment.Bodyweight)] = new("push-up", "Push-up"),
        [(MovementPattern.VerticalPush, Equipment.Gym)] = new("overhead-press", "Barbell overhead press"),
        [(MovementPattern.VerticalPush, Equipment.Dumbbells)] = new("db-shoulder-press", "Dumbbell shoulder press"),
        [(MovementPattern.VerticalPush, Equipment.Kettlebell)] = new("kb-press", "Kettlebell press"),
        [(MovementPattern.VerticalPush, Equipment.Bodyweight)] = new("pike-push-up", "Pike push-up"),
        [(MovementPattern.Pull, Equipment.Gym)] = new("lat-pulldown", "Lat pulldown"),
        [(MovementPattern.Pull, Equipment.Dumbbells)] = new("db-row", "One-arm dumbbell row"),
        [(MovementPattern.Pull, Equipment.Kettlebell)] = new("kb-row", "Kettlebell row"),
        [(MovementPattern.Pull, Equipment.Bodyweight)] = new("inverted-row", "Inverted row (table or bar)"),
        [(MovementPattern.Calf, Equipment.Gym)] = new("standing-calf-raise", "Standing calf raise (machine)"),
        [(MovementPattern.Calf, Equipment.Dumbbells)] = new("calf-raise-db", "Single-leg dumbbell calf raise"),
        [(MovementPattern.Calf, Equipment.Kettlebell)] = new("calf-raise-kb", "Single-leg kettlebell calf raise"),
        [(MovementPattern.Calf, Equipment.Bodyweight)] = new("calf-raise", "Single-leg calf raise on a step"),
        [(MovementPattern.Core, Equipment.Gym)] = new("cable-pallof-press", "Cable Pallof press"),
        [(MovementPattern.Core, Equipment.Dumbbells)] = new("suitcase-carry-db", "Dumbbell suitcase carry (steps per side)"),
        [(MovementPattern.Core, Equipment.Kettlebell)] = new("suitcase-carry-kb", "Kettlebell suitcase carry (steps per side)"),
        [(MovementPattern.Core, Equipment.Bodyweight)] = new("dead-bug", "Dead bug"),
    };

    public static Variant For(MovementPattern pattern, IReadOnlyList<Equipment> available)
    {
        ArgumentNullException.ThrowIfNull(available);
        foreach (var equipment in Preference)
        {
            if (available.Contains(equipment))
            {
                return Resolved.Value[(pattern, equipment)];
            }
        }

        return Resolved.Value[(pattern, Equipment.Bodyweight)];
    }

    /// <summary>T7: a second exercise for the pattern, so volume is split rather than piled on one lift.</summary>
    public static Variant Second(MovementPattern pattern, IReadOnlyList<Equipment> available)
    {
        var first = For(pattern, available);
        return ResolvedSeconds.Value[(pattern, first.Equipment)];
    }

    // Each variant with its equipment filled in once, so a plan allocates no variants.
    private static readonly Lazy<Dictionary<(MovementPattern, Equipment), Variant>> Resolved = new(() => Resolve(Variants));
    private static readonly Lazy<Dictionary<(MovementPattern, Equipment), Variant>> ResolvedSeconds = new(() => Resolve(SecondVariants!));

    private static Dictionary<(MovementPattern, Equipment), Variant> Resolve(Dictionary<(MovementPattern, Equipment), Variant> variants)
    {
        var resolved = new Dictionary<(MovementPattern, Equipment), Variant>(variants.Count);
        foreach (var (key, variant) in variants)
        {
            resolved[key] = variant with { Pattern = key.Item1, Equipment = key.Item2 };
        }

        return resolved;
    }

    private static readonly Dictionary<(MovementPattern, Equipment), Variant> SecondVariants = new()
    {
        [(MovementPattern.Squat, Equipment.Gym)] = new("leg-press", "Leg press"),
        [(MovementPattern.Squat, Equipment.Dumbbells)] = new("heels-elevated-goblet-squat-db", "Heels-elevated dumbbell goblet squat"),
        [(MovementPattern.Squat, Equipment.Kettlebell)] = new("kb-front-squat", "Kettlebell front squat"),
        [(MovementPattern.Squat, Equipment.Bodyweight)] = new("cyclist-squat", "Heels-elevated bodyweight squat (3 s down)"),
        [(MovementPattern.Hinge, Equipment.Gym)] = new("leg-curl", "Leg curl (machine)"),
        [(MovementPattern.Hinge, Equipment.Dumbbells)] = new("nordic-curl-db", "Nordic hamstring curl (feet anchored, assisted)"),
        [(MovementPattern.Hinge, Equipment.Kettlebell)] = new("nordic-curl-kb", "Nordic hamstring curl (feet anchored, assisted)"),
        [(MovementPattern.Hinge, Equipment.Bodyweight)] = new("nordic-curl", "Nordic hamstring curl (feet anchored, assisted)"),
        [(MovementPattern.Lunge, Equipment.Gym)] = new("barbell-step-up", "Barbell step-up"),
        [(MovementPattern.Lunge, Equipment.Dumbbells)] = new("step-up-db", "Dumbbell step-up"),
        [(MovementPattern.Lunge, Equipment.Kettlebell)] = new("step-up-kb", "Kettlebell step-up"),
        [(MovementPattern.Lunge, Equipment.Bodyweight)] = new("reverse-lunge", "Reverse lunge"),
        [(MovementPattern.HorizontalPush, Equipment.Gym)] = new("incline-db-press", "Incline dumbbell press"),
        [(MovementPattern.HorizontalPush, Equipment.Dumbbells)] = new("db-floor-press", "Dumbbell floor press"),
        [(MovementPattern.HorizontalPush, Equipment.Kettlebell)] = new("kb-single-arm-floor-press", "Single-arm kettlebell floor press"),
        [(MovementPattern.HorizontalPush, Equipment.Bodyweight)] = new("deficit-push-up", "Deficit push-up"),
        [(MovementPattern.VerticalPush, Equipment.Gym)] = new("db-shoulder-press-seated", "Seated dumbbell shoulder press"),
        [(MovementPattern.VerticalPush, Equipment.Dumbbells)] = new("arnold-press", "Dumbbell Arnold press"),
        [(MovementPattern.VerticalPush, Equipment.Kettlebell)] = new("kb-half-kneeling-press", "Half-kneeling kettlebell press"),
        [(MovementPattern.VerticalPush, Equipment.Bodyweight)] = new("elevated-pike-push-up", "Feet-elevated pike push-up"),
        [(MovementPattern.Pull, Equipment.Gym)] = new("cable-row", "Seated cable row"),
        [(MovementPattern.Pull, Equipment.Dumbbells)] = new("chest-supported-db-row", "Chest-supported dumbbell row"),
        [(MovementPattern.Pull, Equipment.Kettlebell)] = new("kb-gorilla-row", "Kettlebell gorilla row"),
        [(MovementPattern.Pull, Equipment.Bodyweight)] = new("feet-elevated-inverted-row", "Feet-elevated inverted row"),
        [(MovementPattern.Calf, Equipment.Gym)] = new("seated-calf-raise", "Seated calf raise (machine)"),
        [(MovementPattern.Calf, Equipment.Dumbbells)] = new("bent-knee-calf-raise-db", "Bent-knee dumbbell calf raise"),
        [(MovementPattern.Calf, Equipment.Kettlebell)] = new("bent-knee-calf-raise-kb", "Bent-knee kettlebell calf raise"),
        [(MovementPattern.Calf, Equipment.Bodyweight)] = new("bent-knee-calf-raise", "Bent-knee calf raise on a step"),
        [(MovementPattern.Core, Equipment.Gym)] = new("hanging-knee-raise", "Hanging knee raise"),
        [(MovementPattern.Core, Equipment.Dumbbells)] = new("db-side-bend-hold", "Dumbbell side plank with reach"),
        [(MovementPattern.Core, Equipment.Kettlebell)] = new("kb-halo", "Kettlebell halo"),
        [(MovementPattern.Core, Equipment.Bodyweight)] = new("side-plank", "Side plank (seconds per side)"),
    };

    public static bool HasVariant(MovementPattern pattern, Equipment equipment) => Variants.ContainsKey((pattern, equipment));

    public static IReadOnlyList<string> PrimaryMuscles(MovementPattern pattern) => pattern switch
    {
        MovementPattern.Squat => SquatPrimary,
        MovementPattern.Hinge => HingePrimary,
        MovementPattern.Lunge => LungePrimary,
        MovementPattern.HorizontalPush => PushPrimary,
        MovementPattern.VerticalPush => PressPrimary,
        MovementPattern.Pull => PullPrimary,
        MovementPattern.Calf => CalfPrimary,
        _ => CorePrimary,
    };

    /// <summary>Muscles a compound lift works indirectly: half a set each (T1, Pelland 2024).</summary>
    public static IReadOnlyList<string> SecondaryMuscles(MovementPattern pattern) => pattern switch
    {
        MovementPattern.Squat => GlutesOnly,
        MovementPattern.Hinge => HingeSecondary,
        MovementPattern.Lunge => GlutesOnly,
        MovementPattern.HorizontalPush => ShouldersOnly,
        _ => None,
    };

    public static bool LoadsLegs(MovementPattern pattern) =>
        pattern is MovementPattern.Squat or MovementPattern.Hinge or MovementPattern.Lunge;

    public static bool IsAccessory(MovementPattern pattern) => pattern is MovementPattern.Calf or MovementPattern.Core;

    private static readonly string[] SquatPrimary = [Quads];
    private static readonly string[] HingePrimary = [Hamstrings];
    private static readonly string[] LungePrimary = [Quads];
    private static readonly string[] PushPrimary = [Chest];
    private static readonly string[] PressPrimary = [Shoulders];
    private static readonly string[] PullPrimary = [Back];
    private static readonly string[] CalfPrimary = [Calves];
    private static readonly string[] CorePrimary = [Core];
    private static readonly string[] GlutesOnly = [Glutes];
    private static readonly string[] ShouldersOnly = [Shoulders];
    private static readonly string[] HingeSecondary = [Glutes];

    /// <summary>Every exercise the generator can prescribe, each once, by pattern then equipment.</summary>
    public static IReadOnlyList<Variant> All => AllVariants.Value;

    /// <summary>Whether an id names an exercise of the catalogue (for <c>excludedExercises</c>).</summary>
    public static bool IsKnown(string id) => AllVariants.Value.Any(v => string.Equals(v.Id, id, StringComparison.Ordinal));

    private static readonly Lazy<Variant[]> AllVariants = new(() =>
        Resolved.Value.Values.Concat(ResolvedSeconds.Value.Values)
            .DistinctBy(v => v.Id)
            .OrderBy(v => v.Pattern).ThenBy(v => v.Equipment).ThenBy(v => v.Id, StringComparer.Ordinal)
            .ToArray());

    public sealed record Variant(string Id, string Name)
    {
        public MovementPattern Pattern { get; init; }
        public Equipment Equipment { get; init; }
    }
}
