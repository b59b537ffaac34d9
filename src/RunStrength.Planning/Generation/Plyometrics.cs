using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using static RunStrength.Planning.Generation.TrainingRules;

namespace RunStrength.Planning.Generation;

/// <summary>
/// R6, R7 and S6: skips, pogo hops, bounding and squat jumps, dosed in ground contacts. R7: the
/// dose follows the weaker of running and lifting experience (a strong runner new to lifting has
/// novice tendons and landing mechanics), lower again for older novices, and novices skip bounding.
/// </summary>
internal static class Plyometrics
{
    /// <summary>R6; none in a re-entry week, nor in the first block of a 60+ novice (R8: jumps only after weeks of lifting).</summary>
    public static int SessionsWanted(WeekContext week) =>
        week.Adjustment == Adjustment.Reentry || (week.Older && week.Beginner && week.WeekIndex <= R8NoIntensityWeeks)
            ? 0
            : R6PlyometricsSessions(week.Profile.Goal, week.Profile.RunningExperience, week.Older);

    public static int Contacts(WeekContext week)
    {
        var level = Level(week);
        var contacts = (week.Older, IsNovice(level)) switch
        {
            (true, true) => R7ContactsOlderNovice,
            (true, false) or (false, true) => R6ContactsBeginner,
            _ => level == Experience.Advanced ? R6ContactsAdvanced : R6ContactsIntermediate,
        };
        return week.Adjustment == Adjustment.Deload ? (int)(contacts * P1DeloadRepsFactor) : contacts;
    }

    /// <summary>R7: the weaker of running and lifting experience sets the plyometric level.</summary>
    public static Experience Level(WeekContext week) =>
        week.Profile.RunningExperience < week.Profile.StrengthExperience ? week.Profile.RunningExperience : week.Profile.StrengthExperience;

    public static int Duration(int contacts) => R6WarmupMinutes + ((contacts + R6ContactsPerMinute - 1) / R6ContactsPerMinute);

    public static Block[] Blocks(int contacts, bool novice)
    {
        var pogo = contacts * 4 / 10;
        var jumps = contacts * 3 / 10;
        var bounds = contacts - pogo - jumps;
        return
        [
            new Block { Name = "warm-up", Minutes = R6WarmupMinutes, Detail = "easy jog, skips and A-skips, leg swings" },
            Drill("pogo hops", pogo, "quick, stiff ankles, on the balls of the feet"),
            Drill("squat jumps", jumps, "land softly, reset between reps"),
            novice
                ? Drill("skips", bounds, "light rhythmic skips on flat ground, walk back")
                : Drill("bounding", bounds, "long springy strides on flat ground, walk back"),
        ];
    }

    private static Block Drill(string name, int contacts, string cue)
    {
        var sets = Math.Max(1, (contacts + 9) / 10);
        return new Block { Name = name, Repeats = sets, Work = $"{(contacts + sets - 1) / sets} contacts", Recovery = "60 s", Detail = cue };
    }
}
