using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Plans;

/// <summary>
/// Where a week sits: a P1 block's build or deload week, or, with a race goal (RC1), base, build,
/// peak, taper, race week and the recovery week after it. Base and build weeks still deload every
/// fourth week.
/// </summary>
public enum Phase { Build, Deload, Base, Peak, Taper, Race, Recovery }

public enum SessionKind { Run, Strength, Plyometrics, Mobility, Rest }

/// <summary>How this week's load was set relative to the last (P1, P2).</summary>
public enum Adjustment { Start, Progress, Hold, Reduce, Reentry, Deload }

/// <summary>What double progression (T3) did to an exercise this week; a harder variant is T6's step for bodyweight work.</summary>
public enum LoadAction { Start, AddReps, AddLoad, Hold, Deload, HarderVariant }

public enum MovementPattern { Squat, Hinge, Lunge, HorizontalPush, VerticalPush, Pull, Calf, Core }

/// <summary>One week's plan for one person. Serialized as the HTTP contract's week plan.</summary>
public sealed record WeekPlan
{
    public required string Week { get; init; }
    public required LocalDate WeekStart { get; init; }
    public required string TimeZone { get; init; }
    public required Phase Phase { get; init; }
    public required int BlockWeek { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    public required string GeneratorVersion { get; init; }
    public required long ProfileVersion { get; init; }
    public required Adjustment Adjustment { get; init; }
    public required string AdjustmentReason { get; init; }
    public required PlanSummary Summary { get; init; }
    public required IReadOnlyList<Session> Sessions { get; init; }

    /// <summary>The state the next week progresses from; deterministic, derived from this week.</summary>
    public required PlanProgress Progress { get; init; }
}

public sealed record PlanSummary
{
    public required int RunMinutes { get; init; }

    /// <summary>Minutes of hard running work (sprints, intervals, tempo), excluding warm-ups and recoveries.</summary>
    public required int HardRunMinutes { get; init; }

    public required int HardRunSessions { get; init; }
    public required int StrengthSessions { get; init; }
    public required int PlyometricsSessions { get; init; }
    public required int StrengthMinutes { get; init; }

    /// <summary>Hard sets per muscle group this week; indirect work counts half (T1).</summary>
    public required IReadOnlyDictionary<string, double> SetsByMuscle { get; init; }

    /// <summary>True when the available session time cannot hold the goal's weekly set range (T1).</summary>
    public required bool VolumeLimitedByTime { get; init; }
}

public sealed record Session
{
    public required string Id { get; init; }
    public required IsoDayOfWeek Day { get; init; }
    public required LocalDate Date { get; init; }
    public required SessionKind Kind { get; init; }
    public required string Type { get; init; }
    public required string Title { get; init; }
    public required int DurationMinutes { get; init; }
    public required Intensity Intensity { get; init; }
    public required IReadOnlyList<Block> Blocks { get; init; }
    public required IReadOnlyList<Exercise> Exercises { get; init; }
    public required string Why { get; init; }
    public required IReadOnlyList<string> Rules { get; init; }

    /// <summary>A hard run: sprints, intervals or tempo (R3).</summary>
    public bool IsHardRun { get; init; }

    /// <summary>A strength session that loads the legs heavily (W1).</summary>
    public bool IsHeavyLegs { get; init; }

    public bool IsLongRun { get; init; }

    /// <summary>Ground contacts of a plyometrics session (R6); zero otherwise.</summary>
    public int Contacts { get; init; }

    /// <summary>Minutes of hard running work in this session.</summary>
    public int HardMinutes { get; init; }

    /// <summary>The race itself (RC4), on race day.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRace => Kind == SessionKind.Run && Type == "race";

    /// <summary>Counts for the beginner spacing rule (W3): hard runs, heavy legs and plyometrics.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsHard => IsHardRun || IsHeavyLegs || Kind == SessionKind.Plyometrics;
}

public sealed record Intensity(int Rpe);

public sealed record Block
{
    public required string Name { get; init; }
    public int? Minutes { get; init; }
    public int? Repeats { get; init; }
    public string? Work { get; init; }
    public string? Recovery { get; init; }
    public string? Detail { get; init; }

    /// <summary>A running block's zone, with a pace and heart rate when the profile allows (Z1, Z2); null for strength.</summary>
    public Targets.RunTarget? Target { get; init; }
}

public sealed record Exercise
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required MovementPattern Pattern { get; init; }
    public required Equipment Equipment { get; init; }
    public required IReadOnlyList<string> PrimaryMuscles { get; init; }
    public required IReadOnlyList<string> SecondaryMuscles { get; init; }
    public required int Sets { get; init; }
    public required int RepsMin { get; init; }
    public required int RepsMax { get; init; }

    /// <summary>Reps to aim for in every set this week, within the range (T3).</summary>
    public required int TargetReps { get; init; }

    public required int TargetRir { get; init; }

    /// <summary>Load increments added since the start (each 2.5–5%, the smallest available).</summary>
    public required int LoadSteps { get; init; }

    // Kept as whole grams in an int: an exercise is copied as the week is fitted, so every byte
    // it carries is paid several times per plan.
    private readonly int _loadGrams;

    /// <summary>The load for every set, kg, rounded to what can be loaded (L2, L3); null before one is known and for bodyweight work.</summary>
    public double? LoadKg
    {
        get => _loadGrams == 0 ? null : _loadGrams / 1000.0;
        init => _loadGrams = value is { } kg ? (int)Math.Round(kg * 1000) : 0;
    }

    /// <summary>Whether <see cref="Load"/> is written in pounds (the person's units).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Imperial { get; init; }

    /// <summary>
    /// <see cref="LoadKg"/> in the person's units, as it would be written on a gym card: "62.5 kg",
    /// "140 lb". Made from the load, never stored apart from it; reading a stored plan takes the
    /// units back from the text.
    /// </summary>
    public string? Load
    {
        get => LoadKg is { } kg ? Targets.Loads.CachedText(kg, Imperial ? Units.Imperial : Units.Metric) : null;
        init => Imperial = value?.EndsWith(" lb", StringComparison.Ordinal) == true;
    }

    /// <summary>How to choose a first load when none is known yet: a calibration week (L2).</summary>
    public string? LoadNote => LoadKg is null && Equipment != Equipment.Bodyweight ? Targets.Loads.CalibrationNote(TargetRir) : null;

    public required LoadAction Progression { get; init; }
    public required string ProgressionRule { get; init; }

    /// <summary>The variant's place on its pattern's ladder, 1 the easiest regression (T6).</summary>
    public int Level { get; init; }

    /// <summary>One side at a time: each set is done for both sides (T9).</summary>
    public bool PerSide { get; init; }

    /// <summary>Seconds a rep takes, slower with a tempo; a step or a second for carries and holds (T9).</summary>
    public int SecondsPerRep { get; init; }

    /// <summary>Rest after each set (T9): longer after heavy compound sets than after accessories.</summary>
    public int RestSeconds { get; init; }
}

/// <summary>What the next week needs to know about this one (P1, P2, R1, R2, R4, R5, T1).</summary>
public sealed record PlanProgress
{
    /// <summary>1-based week of the programme; every fourth is a deload (P1).</summary>
    public required int WeekIndex { get; init; }

    /// <summary>Planned run minutes of the last full build week: the R1 reference.</summary>
    public required int BuildRunMinutes { get; init; }

    /// <summary>Longest run of each of the last weeks, newest first (R2's 30-day window).</summary>
    public required IReadOnlyList<int> RecentLongestRuns { get; init; }

    /// <summary>Run/walk stage 1–9 (R4), or 0 for a continuous runner.</summary>
    public required int RunWalkStage { get; init; }

    public required int HillSprintReps { get; init; }
    public required int IntervalReps { get; init; }

    /// <summary>Weekly sets per muscle of the last build week (T1).</summary>
    public required int SetTarget { get; init; }

    /// <summary>Sessions skipped in a row up to the end of this week's logs (P2).</summary>
    public required int MissedStreak { get; init; }
}
