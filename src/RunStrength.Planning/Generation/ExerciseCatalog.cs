using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Generation;

/// <summary>T5, T6: every movement pattern has a ladder of variants, regression to progression, for each equipment set.</summary>
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

    private const VariantTraits PerSide = VariantTraits.PerSide;
    private const VariantTraits Tempo = VariantTraits.Tempo;
    private const VariantTraits Accessory = VariantTraits.Isolation;
    private const VariantTraits Held = VariantTraits.Held;
    private const VariantTraits Unloaded = VariantTraits.Unloaded;

    // T5, T6: each pattern and equipment set has a ladder of variants, regression first. Ids are
    // stable: profiles exclude exercises by id and last week's plan is read back by id.
    private static readonly Dictionary<(MovementPattern, Equipment), Variant[]> MainLadders = new()
    {
        [(MovementPattern.Squat, Equipment.Gym)] = [new("leg-press", "Leg press", 1), new("back-squat", "Barbell back squat", 2), new("front-squat", "Barbell front squat", 3)],
        [(MovementPattern.Squat, Equipment.Dumbbells)] = [new("goblet-box-squat-db", "Dumbbell goblet squat to a box", 1), new("goblet-squat-db", "Dumbbell goblet squat", 2), new("heels-elevated-goblet-squat-db", "Heels-elevated dumbbell goblet squat", 3)],
        [(MovementPattern.Squat, Equipment.Kettlebell)] = [new("goblet-box-squat-kb", "Kettlebell goblet squat to a box", 1), new("goblet-squat-kb", "Kettlebell goblet squat", 2), new("kb-front-squat", "Kettlebell front squat", 3)],
        [(MovementPattern.Squat, Equipment.Bodyweight)] = [new("box-squat", "Bodyweight squat to a box", 1), new("tempo-squat", "Tempo bodyweight squat (3 s down)", 2, Tempo), new("cyclist-squat", "Heels-elevated bodyweight squat (3 s down)", 3, Tempo)],
        [(MovementPattern.Hinge, Equipment.Gym)] = [new("trap-bar-deadlift", "Trap-bar deadlift", 1), new("romanian-deadlift", "Barbell Romanian deadlift", 2), new("deadlift", "Barbell deadlift", 3)],
        [(MovementPattern.Hinge, Equipment.Dumbbells)] = [new("db-deadlift", "Dumbbell deadlift", 1), new("romanian-deadlift-db", "Dumbbell Romanian deadlift", 2), new("single-leg-rdl-db", "Single-leg dumbbell Romanian deadlift (reps per side)", 3, PerSide)],
        [(MovementPattern.Hinge, Equipment.Kettlebell)] = [new("kb-glute-bridge", "Kettlebell glute bridge (bell on the hips)", 1), new("kettlebell-deadlift", "Kettlebell deadlift", 2), new("kb-single-leg-deadlift", "Single-leg kettlebell deadlift (reps per side)", 3, PerSide)],
        [(MovementPattern.Hinge, Equipment.Bodyweight)] = [new("glute-bridge", "Glute bridge", 1), new("single-leg-hip-hinge", "Single-leg hip hinge (reps per side)", 2, PerSide), new("single-leg-hip-thrust", "Single-leg hip thrust, shoulders on a bench (reps per side)", 3, PerSide)],
        [(MovementPattern.Lunge, Equipment.Gym)] = [new("barbell-step-up", "Barbell step-up (reps per side)", 1, PerSide), new("bulgarian-split-squat", "Bulgarian split squat (reps per side)", 2, PerSide), new("barbell-deficit-reverse-lunge", "Barbell deficit reverse lunge (reps per side)", 3, PerSide)],
        [(MovementPattern.Lunge, Equipment.Dumbbells)] = [new("step-up-db", "Dumbbell step-up (reps per side)", 1, PerSide), new("reverse-lunge-db", "Dumbbell reverse lunge (reps per side)", 2, PerSide), new("bulgarian-split-squat-db", "Dumbbell Bulgarian split squat (reps per side)", 3, PerSide)],
        [(MovementPattern.Lunge, Equipment.Kettlebell)] = [new("step-up-kb", "Kettlebell step-up (reps per side)", 1, PerSide), new("reverse-lunge-kb", "Kettlebell reverse lunge (reps per side)", 2, PerSide), new("bulgarian-split-squat-kb", "Kettlebell Bulgarian split squat (reps per side)", 3, PerSide)],
        [(MovementPattern.Lunge, Equipment.Bodyweight)] = [new("split-squat", "Split squat (reps per side)", 1, PerSide), new("reverse-lunge", "Reverse lunge (reps per side)", 2, PerSide), new("bulgarian-split-squat-bw", "Bulgarian split squat, rear foot on a bench (reps per side)", 3, PerSide), new("shrimp-squat", "Assisted shrimp squat (reps per side)", 4, PerSide), new("pistol-squat", "Pistol squat to a box (reps per side)", 5, PerSide)],
        [(MovementPattern.HorizontalPush, Equipment.Gym)] = [new("machine-chest-press", "Machine chest press", 1), new("bench-press", "Barbell bench press", 2), new("paused-bench-press", "Paused barbell bench press (1 s on the chest)", 3)],
        [(MovementPattern.HorizontalPush, Equipment.Dumbbells)] = [new("db-floor-press", "Dumbbell floor press", 1), new("db-bench-press", "Dumbbell bench press", 2), new("incline-db-press", "Incline dumbbell press", 3)],
        [(MovementPattern.HorizontalPush, Equipment.Kettlebell)] = [new("kb-floor-press", "Kettlebell floor press", 1), new("kb-single-arm-floor-press", "Single-arm kettlebell floor press (reps per side)", 2, PerSide)],
        [(MovementPattern.HorizontalPush, Equipment.Bodyweight)] = [new("incline-push-up", "Incline push-up (hands on a bench or table)", 1), new("push-up", "Push-up", 2), new("deficit-push-up", "Deficit push-up", 3), new("decline-push-up", "Decline push-up (feet on a bench)", 4), new("archer-push-up", "Archer push-up (reps per side)", 5, PerSide)],
        [(MovementPattern.VerticalPush, Equipment.Gym)] = [new("db-shoulder-press-seated", "Seated dumbbell shoulder press", 1), new("overhead-press", "Barbell overhead press", 2), new("push-press", "Barbell push press", 3)],
        [(MovementPattern.VerticalPush, Equipment.Dumbbells)] = [new("db-half-kneeling-press", "Half-kneeling dumbbell press (reps per side)", 1, PerSide), new("db-shoulder-press", "Dumbbell shoulder press", 2), new("arnold-press", "Dumbbell Arnold press", 3)],
        [(MovementPattern.VerticalPush, Equipment.Kettlebell)] = [new("kb-half-kneeling-press", "Half-kneeling kettlebell press (reps per side)", 1, PerSide), new("kb-press", "Kettlebell press (reps per side)", 2, PerSide)],
        [(MovementPattern.VerticalPush, Equipment.Bodyweight)] = [new("incline-pike-push-up", "Hands-elevated pike push-up", 1), new("pike-push-up", "Pike push-up", 2), new("elevated-pike-push-up", "Feet-elevated pike push-up", 3)],
        [(MovementPattern.Pull, Equipment.Gym)] = [new("cable-row", "Seated cable row", 1), new("lat-pulldown", "Lat pulldown", 2), new("pull-up", "Pull-up (band-assisted if needed)", 3, Unloaded)],
        [(MovementPattern.Pull, Equipment.Dumbbells)] = [new("chest-supported-db-row", "Chest-supported dumbbell row", 1), new("db-row", "One-arm dumbbell row (reps per side)", 2, PerSide)],
        [(MovementPattern.Pull, Equipment.Kettlebell)] = [new("kb-row", "One-arm kettlebell row (reps per side)", 1, PerSide), new("kb-gorilla-row", "Kettlebell gorilla row (reps per side)", 2, PerSide)],
        [(MovementPattern.Pull, Equipment.Bodyweight)] = [new("high-inverted-row", "Inverted row, body near upright (high bar or table)", 1), new("inverted-row", "Inverted row (table or bar)", 2), new("feet-elevated-inverted-row", "Feet-elevated inverted row", 3)],
        [(MovementPattern.Calf, Equipment.Gym)] = [new("seated-calf-raise", "Seated calf raise (machine)", 1, Accessory), new("standing-calf-raise", "Standing calf raise (machine)", 2, Accessory)],
        [(MovementPattern.Calf, Equipment.Dumbbells)] = [new("bent-knee-calf-raise-db", "Bent-knee dumbbell calf raise", 1, Accessory), new("calf-raise-db", "Single-leg dumbbell calf raise (reps per side)", 2, Accessory | PerSide)],
        [(MovementPattern.Calf, Equipment.Kettlebell)] = [new("bent-knee-calf-raise-kb", "Bent-knee kettlebell calf raise", 1, Accessory), new("calf-raise-kb", "Single-leg kettlebell calf raise (reps per side)", 2, Accessory | PerSide)],
        [(MovementPattern.Calf, Equipment.Bodyweight)] = [new("two-leg-calf-raise", "Calf raise on a step, both legs", 1, Accessory), new("calf-raise", "Single-leg calf raise on a step (reps per side)", 2, Accessory | PerSide), new("paused-calf-raise", "Single-leg calf raise, 2 s hold at the top (reps per side)", 3, Accessory | PerSide | Tempo)],
        [(MovementPattern.Core, Equipment.Gym)] = [new("cable-pallof-press", "Cable Pallof press (reps per side)", 1, Accessory | PerSide), new("hanging-knee-raise", "Hanging knee raise", 2, Accessory | Unloaded)],
        [(MovementPattern.Core, Equipment.Dumbbells)] = [new("db-side-bend-hold", "Dumbbell side plank with reach (reps per side)", 1, Accessory | PerSide), new("suitcase-carry-db", "Dumbbell suitcase carry (steps per side)", 2, Accessory | PerSide | Held)],
        [(MovementPattern.Core, Equipment.Kettlebell)] = [new("kb-halo", "Kettlebell halo", 1, Accessory), new("suitcase-carry-kb", "Kettlebell suitcase carry (steps per side)", 2, Accessory | PerSide | Held)],
        [(MovementPattern.Core, Equipment.Bodyweight)] = [new("dead-bug", "Dead bug", 1, Accessory), new("side-plank", "Side plank (seconds per side)", 2, Accessory | PerSide | Held), new("hollow-hold", "Hollow-body hold (seconds)", 3, Accessory | Held)],
    };

    // T7: knee flexion for the hamstrings beside every hip hinge (leg curl or Nordic), with its own ladder.
    private static readonly Dictionary<Equipment, Variant[]> KneeFlexionLadders = new()
    {
        [Equipment.Gym] = [new("leg-curl", "Leg curl (machine)", 1, Accessory), new("single-leg-curl", "Single-leg leg curl (machine, reps per side)", 2, Accessory | PerSide)],
        [Equipment.Dumbbells] = [new("db-leg-curl", "Prone dumbbell leg curl (dumbbell between the feet)", 1, Accessory), new("nordic-curl-db", "Nordic hamstring curl (feet anchored, assisted)", 2, Accessory | Unloaded)],
        [Equipment.Kettlebell] = [new("slider-leg-curl-kb", "Slider leg curl (towel on a smooth floor)", 1, Accessory | Unloaded), new("nordic-curl-kb", "Nordic hamstring curl (feet anchored, assisted)", 2, Accessory | Unloaded)],
        [Equipment.Bodyweight] = [new("slider-leg-curl", "Slider leg curl (towel on a smooth floor)", 1, Accessory), new("nordic-curl", "Nordic hamstring curl (feet anchored, assisted)", 2, Accessory)],
    };

    // Each variant with its pattern and equipment filled in once, so a plan allocates no variants.
    private static readonly Lazy<Dictionary<(MovementPattern, Equipment, bool), Variant[]>> Resolved = new(Resolve);

    private static Dictionary<(MovementPattern, Equipment, bool), Variant[]> Resolve()
    {
        var resolved = new Dictionary<(MovementPattern, Equipment, bool), Variant[]>(MainLadders.Count + KneeFlexionLadders.Count);
        foreach (var ((pattern, equipment), ladder) in MainLadders)
        {
            resolved[(pattern, equipment, false)] = [.. ladder.Select(v => v with { Pattern = pattern, Equipment = EquipmentOf(v, equipment) })];
        }

        foreach (var (equipment, ladder) in KneeFlexionLadders)
        {
            resolved[(MovementPattern.Hinge, equipment, true)] = [.. ladder.Select(v => v with { Pattern = MovementPattern.Hinge, Equipment = EquipmentOf(v, equipment) })];
        }

        return resolved;
    }

    /// <summary>T6: a movement that lifts the body, not a weight, is bodyweight work wherever it sits: it progresses by reps and variant, never by load.</summary>
    private static Equipment EquipmentOf(Variant variant, Equipment ladder) =>
        (variant.Traits & VariantTraits.Unloaded) != 0 ? Equipment.Bodyweight : ladder;

    /// <summary>The ladder of a pattern for one equipment set, regression first (T5, T6).</summary>
    /// <param name="kneeFlexion">The hamstring curl ladder that goes beside a hip hinge (T7).</param>
    public static IReadOnlyList<Variant> Ladder(MovementPattern pattern, Equipment equipment, bool kneeFlexion = false) =>
        Resolved.Value.TryGetValue((pattern, equipment, kneeFlexion && pattern == MovementPattern.Hinge), out var ladder) ? ladder : [];

    /// <summary>
    /// The one place a candidate exercise is filtered for a person: it needs equipment they have
    /// (bodyweight needs none) and must not be one they excluded by id.
    /// </summary>
    public static bool IsAllowed(Variant variant, Profile profile)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ArgumentNullException.ThrowIfNull(profile);
        if (variant.Equipment != Equipment.Bodyweight && !profile.Equipment.Contains(variant.Equipment))
        {
            return false;
        }

        var excluded = profile.ExcludedExercises;
        for (var i = 0; i < excluded.Count; i++)
        {
            if (string.Equals(excluded[i], variant.Id, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The ladder a person trains a pattern from: that of the richest equipment they have with at
    /// least one allowed variant (T5). Empty when every candidate is excluded.
    /// </summary>
    public static IReadOnlyList<Variant> LadderFor(MovementPattern pattern, Profile profile, bool kneeFlexion = false)
    {
        ArgumentNullException.ThrowIfNull(profile);
        foreach (var equipment in Preference)
        {
            if (equipment != Equipment.Bodyweight && !profile.Equipment.Contains(equipment))
            {
                continue;
            }

            var ladder = Ladder(pattern, equipment, kneeFlexion);
            foreach (var variant in ladder)
            {
                if (IsAllowed(variant, profile))
                {
                    return ladder;
                }
            }
        }

        return [];
    }

    /// <summary>The id of the rung below <paramref name="id"/> on its ladder, or null at the bottom.</summary>
    public static string? EasierId(string id)
    {
        foreach (var ladder in Resolved.Value.Values)
        {
            for (var i = 1; i < ladder.Length; i++)
            {
                if (ladder[i].Id == id)
                {
                    return ladder[i - 1].Id;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// T6: where a person starts on a ladder, by lifting experience: novices at the regression,
    /// the trained at the standard lift; only bodyweight work starts the advanced a rung higher,
    /// since a harder variant is its only way to add load.
    /// </summary>
    public static int StartIndex(Experience strength, int ladderLength, bool bodyweight, bool kneeFlexion = false)
    {
        var index = strength switch
        {
            Experience.Advanced when kneeFlexion => 1,
            Experience.Advanced => bodyweight ? 2 : 1,
            Experience.Intermediate => kneeFlexion ? 0 : 1,
            _ => 0,
        };
        return Math.Clamp(index, 0, Math.Max(0, ladderLength - 1));
    }

    public static bool HasVariant(MovementPattern pattern, Equipment equipment) => Ladder(pattern, equipment).Count > 0;

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

    /// <summary>Every exercise the generator can prescribe, each once, by pattern then equipment then level.</summary>
    public static IReadOnlyList<Variant> All => AllVariants.Value;

    /// <summary>Whether an id names an exercise of the catalogue (for <c>excludedExercises</c>).</summary>
    public static bool IsKnown(string id) => KnownIds.Value.Contains(id);

    private static readonly Lazy<Variant[]> AllVariants = new(() =>
        Resolved.Value.Values.SelectMany(ladder => ladder)
            .DistinctBy(v => v.Id)
            .OrderBy(v => v.Pattern).ThenBy(v => v.Equipment).ThenBy(v => v.Level).ThenBy(v => v.Id, StringComparer.Ordinal)
            .ToArray());

    private static readonly Lazy<HashSet<string>> KnownIds = new(() => AllVariants.Value.Select(v => v.Id).ToHashSet(StringComparer.Ordinal));

    public sealed record Variant(string Id, string Name, int Level, VariantTraits Traits = VariantTraits.None)
    {
        public MovementPattern Pattern { get; init; }
        public Equipment Equipment { get; init; }
        public bool PerSide => (Traits & VariantTraits.PerSide) != 0;
        public bool Isolation => (Traits & VariantTraits.Isolation) != 0 || IsAccessory(Pattern);
    }
}

/// <summary>What the time model (T9) needs to know about a variant.</summary>
[Flags]
public enum VariantTraits
{
    None = 0,

    /// <summary>One side at a time: every set is done for each side.</summary>
    PerSide = 1,

    /// <summary>A slow lowering (3 s down) or a pause: longer per rep.</summary>
    Tempo = 2,

    /// <summary>An accessory or isolation exercise: shorter rest.</summary>
    Isolation = 4,

    /// <summary>A rep is a step or a second (carries, holds).</summary>
    Held = 8,

    /// <summary>Moves the body, not a weight, though it needs the equipment of its ladder (a bar, an anchor).</summary>
    Unloaded = 16,
}
