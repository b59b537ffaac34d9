using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using static RunStrength.Planning.Generation.TrainingRules;

namespace RunStrength.Planning.Generation;

/// <summary>R6 and S6: skips, pogo hops, bounding and squat jumps, dosed in ground contacts.</summary>
internal static class Plyometrics
{
    public static int SessionsWanted(WeekContext week) =>
        week.Adjustment == Adjustment.Reentry ? 0 : R6PlyometricsSessions(week.Profile.Goal, week.Profile.RunningExperience, week.Older);

    public static int Contacts(WeekContext week)
    {
        var contacts = week.Older || IsNovice(week.Profile.RunningExperience)
            ? R6ContactsBeginner
            : week.Profile.RunningExperience == Experience.Advanced ? R6ContactsAdvanced : R6ContactsIntermediate;
        return week.Adjustment == Adjustment.Deload ? (int)(contacts * P1DeloadRepsFactor) : contacts;
    }

    public static int Duration(int contacts) => R6WarmupMinutes + ((contacts + R6ContactsPerMinute - 1) / R6ContactsPerMinute);

    public static Block[] Blocks(int contacts)
    {
        var pogo = contacts * 4 / 10;
        var jumps = contacts * 3 / 10;
        var bounds = contacts - pogo - jumps;
        return
        [
            new Block { Name = "warm-up", Minutes = R6WarmupMinutes, Detail = "easy jog, skips and A-skips, leg swings" },
            Drill("pogo hops", pogo, "quick, stiff ankles, on the balls of the feet"),
            Drill("squat jumps", jumps, "land softly, reset between reps"),
            Drill("bounding", bounds, "long springy strides on flat ground, walk back"),
        ];
    }

    private static Block Drill(string name, int contacts, string cue)
    {
        var sets = Math.Max(1, (contacts + 9) / 10);
        return new Block { Name = name, Repeats = sets, Work = $"{(contacts + sets - 1) / sets} contacts", Recovery = "60 s", Detail = cue };
    }
}
