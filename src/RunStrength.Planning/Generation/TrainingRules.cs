using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Generation;

/// <summary>
/// Every number of docs/training-rules.md in one place, named by the rule it comes from. Change a default
/// here and the generator, its tests and its documentation follow.
/// </summary>
public static class TrainingRules
{
    // R1: weekly run time grows by at most 10% a week by default (hard cap 30%).
    public const double R1WeeklyRunGrowth = 0.10;
    public const double R1WeeklyRunGrowthOlder = 0.05;
    public const double R1WeeklyRunGrowthHardCap = 0.30;

    // R2: no single run longer than 110% of the longest run of the last 30 days.
    public const double R2LongestRunSpike = 1.10;
    public const int R2WindowWeeks = 4;
    public const double R2InitialLongestShare = 0.4;

    // R3: at least 75-80% of running is easy; 1-2 hard run sessions at most.
    public const double R3MaxHardShare = 0.20;
    public const int R3MaxHardRunSessions = 2;
    public const int EasyRunRpe = 4;
    public const int MinEasyRunMinutes = 20;

    // R4: run/walk start for people who do not run yet, 30 min continuous after about 9 weeks.
    public const int R4Stages = 9;
    public const int R4StartBelowWeeklyMinutes = 45;
    public const int R4ReturningStartStage = 4;
    public const int R4WarmupWalkMinutes = 5;

    // R5: hill sprints 8-12 s up a >=8-10% grade, walk down 60-120 s; 3-4 reps building by 1-2 to 8-10.
    public const int R5StartRepsBeginner = 3;
    public const int R5StartReps = 4;
    public const int R5MaxRepsBeginner = 8;
    public const int R5MaxReps = 10;
    public const int R5RepIncrease = 1;
    public const int R5WarmupMinutes = 10;
    public const int R5CooldownMinutes = 5;
    public const int R5MinWarmupMinutes = 5;
    public const int R5SecondsPerRep = 10;
    public const int R5MinutesPerRep = 2;

    // Flat intervals for trained runners without hills (Estes 2017: 4x4 min at 90-95% HRmax).
    public const int IntervalWorkMinutes = 4;
    public const int IntervalMinWorkMinutes = 2;
    public const int IntervalRecoveryMinutes = 3;
    public const int IntervalStartReps = 3;
    public const int IntervalMaxReps = 5;
    public const int TempoStartMinutes = 15;
    public const int TempoMinMinutes = 10;
    public const int TempoMaxMinutes = 30;

    // R6: plyometrics 1-2 times a week, about 40 contacts for beginners, 80-100 for the trained.
    public const int R6ContactsBeginner = 40;
    public const int R6ContactsIntermediate = 80;
    public const int R6ContactsAdvanced = 100;
    public const int R6ContactsPerMinute = 8;
    public const int R6WarmupMinutes = 5;

    // R8: 60+ and new to both: no near-maximal sprints in the first block, then moderate strides.
    public const int R8NoIntensityWeeks = 4;
    public const int R8ModerateUntilWeek = 8;
    public const int R8StrideReps = 4;
    public const int R8StrideSeconds = 20;

    // R9: endurance and balanced goals grow weekly running toward a target; easy runs well short of the long run.
    public const double R9EasyShareOfLongRun = 0.75;
    public const double R9SpreadShareOfLongRun = 0.6;
    public const int R9HardRunEstimateMinutes = 30;
    public const double R9GrowthOverCurrent = 1.25;

    /// <summary>R9: the weekly run minutes an endurance or balanced goal builds toward (R1 sets the pace).</summary>
    public static int R9WeeklyRunTarget(Goal goal, Experience running, int weeklyNow)
    {
        var floor = running switch
        {
            Experience.None => 90,
            Experience.Beginner => 150,
            Experience.Intermediate => 240,
            _ => 360,
        };
        var target = Math.Max(floor, (int)(weeklyNow * R9GrowthOverCurrent));
        return goal == Goal.Endurance ? target : target / 2;
    }

    // R7: plyometrics 48 h apart, before any run that day, dosed by the weaker experience; older novices lower.
    public const int R7ContactsOlderNovice = 30;

    // T1: 10-20 hard sets per muscle group per week; the goal sets the range.
    public const double T1IndirectSetCredit = 0.5;

    // T2: working sets end 0-3 reps in reserve; novices stay at 2-3.
    public const int T2MaxRir = 3;
    public const int T2NoviceMinRir = 2;

    // T9: a strength session's minutes are its warm-up plus every set's reps (both sides for a
    // one-sided exercise) and the rest it prescribes: 2-3 min after heavy compound sets at RIR 2 or
    // less, 2 min after other loaded compound sets, 90 s after bodyweight compound sets, 60-90 s after accessories.
    public const int StrengthWarmupMinutes = 5;
    public const int T9SecondsPerRep = 3;
    public const int T9TempoSecondsPerRep = 4;
    public const int T9HeldSecondsPerRep = 1;
    public const int T9HeavyRestSeconds = 150;
    public const int T9CompoundRestSeconds = 120;
    public const int T9BodyweightRestSeconds = 90;
    public const int T9AccessoryRestSeconds = 75;
    public const int T9HeavyMaxRir = 2;

    // P1: blocks of four weeks, the fourth a deload cutting load by a third to a half.
    public const int P1BlockWeeks = 4;
    public const double P1DeloadRunFactor = 0.65;
    public const double P1DeloadSetFactor = 0.6;
    public const double P1DeloadRepsFactor = 0.6;
    public const int P1DeloadMinRunMinutes = 10;
    public const int P1DeloadMinTempoMinutes = 5;

    // P2: adapt to what was logged.
    public const double P2ProgressCompletion = 0.70;
    public const double P2ReduceCompletion = 0.40;
    public const int P2RpeExcess = 2;
    public const int P2ReentryMissedStreak = 3;
    public const double P2ReduceFactor = 0.8;
    public const double P2ReentryFactor = 0.6;

    // T7: about five hard sets per exercise in a session at most.
    public const int T7MaxSetsPerExercise = 5;

    // W7: a day's sessions together fit maxSessionMinutes; what a session may shrink to first.
    public const int W7MinRunMinutes = 10;
    public const int W7MinStrengthSets = 2;
    public const int W7MinContacts = 16;

    // RC4: race week and the days around the race.
    public const int RC4NoHeavyLegsDays = 4;
    public const int RC4NoHardRunDays = 2;
    public const int RC4WarmupMinutes = 15;
    public const double RC4WarmupUpToKm = 21.1;

    /// <summary>RC4: a race's pace when no zones are known, for an estimate of its duration only.</summary>
    public static int RC4EstimatedPaceSecPerKm(Experience running) => running switch
    {
        Experience.Advanced => 300,
        Experience.Intermediate => 360,
        _ => 420,
    };

    // W6: older trainees get an extra easy or rest day and start a step more conservatively.
    public const int W6OlderAge = 60;

    /// <summary>Weekly hard sets per muscle for build weeks (T1), by goal and lifting experience.</summary>
    public static (int Min, int Max) T1SetRange(Goal goal, Experience strength) => (goal, IsNovice(strength)) switch
    {
        (Goal.Muscle, true) => (8, 12),
        (Goal.Muscle, false) => strength == Experience.Advanced ? (12, 20) : (12, 18),
        (Goal.Balanced, true) => (6, 10),
        (Goal.Balanced, false) => (8, 14),
        (Goal.Endurance, _) => (4, 8),
        _ => throw new ArgumentOutOfRangeException(nameof(goal)),
    };

    /// <summary>The deload (and re-entry) range: the build range cut by a third to a half (P1).</summary>
    public static (int Min, int Max) T1DeloadSetRange(Goal goal, Experience strength)
    {
        var (min, max) = T1SetRange(goal, strength);
        return ((min + 1) / 2, max * 2 / 3);
    }

    /// <summary>Full-body or split strength sessions a week (T4: novices 2-3, intermediates 3-4; S8).</summary>
    public static int T4StrengthSessions(Goal goal, Experience strength) => goal switch
    {
        Goal.Muscle => IsNovice(strength) ? 3 : 4,
        Goal.Balanced => IsNovice(strength) ? 2 : 3,
        _ => 2,
    };

    public static int RunSessions(Goal goal, Experience running, bool runWalk)
    {
        if (runWalk)
        {
            return goal == Goal.Muscle ? 2 : 3;
        }

        return goal switch
        {
            Goal.Endurance => running switch { Experience.Advanced => 5, Experience.Intermediate => 4, _ => 3 },
            Goal.Balanced => running >= Experience.Intermediate ? 3 : 2,
            _ => 2,
        };
    }

    /// <summary>R3: 0 for people still on run/walk, 1 for most, 2 only for advanced endurance runners.</summary>
    public static int R3HardRunSessions(Goal goal, Experience running, bool hillAccess)
    {
        var trained = running >= Experience.Intermediate;
        return goal switch
        {
            Goal.Endurance when running == Experience.Advanced => 2,
            Goal.Endurance => trained || hillAccess ? 1 : 0,
            _ => hillAccess || trained ? 1 : 0,
        };
    }

    public static int R6PlyometricsSessions(Goal goal, Experience running, bool older) => goal switch
    {
        Goal.Endurance => running >= Experience.Intermediate && !older ? 2 : 1,
        Goal.Balanced => 1,
        _ => 0,
    };

    /// <summary>W5: running minutes per strength minute (muscle 30/70, balanced 50/50, endurance 80/20).</summary>
    public static double W5RunToStrengthRatio(Goal goal) => goal switch
    {
        Goal.Muscle => 30.0 / 70.0,
        Goal.Balanced => 1.0,
        _ => 80.0 / 20.0,
    };

    /// <summary>R4 run/walk stages: run seconds, walk seconds, session minutes (each ≤10% above the last).</summary>
    public static (int RunSeconds, int WalkSeconds, int SessionMinutes) R4Stage(int stage) => stage switch
    {
        1 => (60, 90, 20),
        2 => (90, 90, 21),
        3 => (120, 90, 23),
        4 => (180, 90, 25),
        5 => (300, 120, 27),
        6 => (480, 120, 29),
        7 => (600, 90, 31),
        8 => (900, 60, 33),
        9 => (1800, 0, 35),
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    public static bool IsNovice(Experience experience) => experience <= Experience.Beginner;
}
