using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using static RunStrength.Planning.Generation.TrainingRules;

namespace RunStrength.Planning.Generation;

/// <summary>A variant chosen for the week, and whether it is a step up the ladder from last week's (T6).</summary>
internal readonly record struct Choice(ExerciseCatalog.Variant? Variant, bool Harder);

/// <summary>
/// The week's exercise for each pattern, chosen once: the level follows lifting experience in the
/// first week (T6), then stays where last week was, one step harder for a bodyweight exercise whose
/// every logged set reached the top of its range at the target RIR (T3, T6). Every candidate goes
/// through <see cref="ExerciseCatalog.IsAllowed"/>.
/// </summary>
internal sealed class ExerciseChoices
{
    private readonly Choice[] _first = new Choice[ExerciseCatalog.Patterns.Count];
    private readonly Choice[] _second = new Choice[ExerciseCatalog.Patterns.Count];

    public ExerciseChoices(WeekContext week, PreviousExercises previous)
    {
        // W6 and T8: the extra reserve from 60 comes with the block after the birthday year turns,
        // so effort never moves mid-block beside sets or reps.
        var olderThisBlock = week.Profile.AgeIn(week.Request.Week.Plus(1 - week.BlockWeek).Year) >= W6OlderAge;
        Rir = StrengthPrescription.TargetRir(week.Profile, week.BlockWeek, week.Adjustment, olderThisBlock, week.WeekIndex);

        // T8: in the week a novice adds a set, reps, load and level stay where they were.
        var novice = IsNovice(week.Profile.StrengthExperience);
        // RC4: maintenance from the taper to the end of recovery keeps strength, it does not build
        // it: load, reps and level hold.
        Progression = week.Adjustment == Adjustment.Progress && ((novice && week.BlockWeek == 3) || week.Race.StrengthMaintenance) ? Adjustment.Hold : week.Adjustment;
        var profile = week.Profile;
        for (var p = 0; p < _first.Length; p++)
        {
            var pattern = (MovementPattern)p;
            var ladder = ExerciseCatalog.LadderFor(pattern, profile);
            var index = Pick(ladder, profile, previous, kneeFlexion: false, out var harder);
            _first[p] = index < 0 ? default : new Choice(ladder[index], harder);
            if (pattern == MovementPattern.Hinge)
            {
                var curls = ExerciseCatalog.LadderFor(pattern, profile, kneeFlexion: true);
                var curl = Pick(curls, profile, previous, kneeFlexion: true, out var harderCurl);
                _second[p] = curl < 0 ? default : new Choice(curls[curl], harderCurl);
            }
            else if (index >= 0)
            {
                // T7: the split partner is the neighbouring rung, the easier one where there is one.
                var partner = Allowed(ladder, profile, index - 1, -1);
                partner = partner < 0 ? Allowed(ladder, profile, index + 1, +1) : partner;
                _second[p] = partner < 0 ? default : new Choice(ladder[partner], false);
            }
        }
    }

    public int Rir { get; }
    public Adjustment Progression { get; }

    public Choice First(MovementPattern pattern) => _first[(int)pattern];

    /// <summary>The split partner (T7): the knee-flexion exercise for the hinge, a neighbouring rung otherwise.</summary>
    public Choice Second(MovementPattern pattern) => _second[(int)pattern];

    /// <summary>T9 estimate of one set of the pattern before the week's exercises exist, at the bottom of the range.</summary>
    public int EstimatedSetSeconds(MovementPattern pattern, Profile profile)
    {
        var first = Estimate(First(pattern).Variant, pattern, profile);
        return pattern == MovementPattern.Hinge && Second(pattern).Variant is { } curl
            ? (first + Estimate(curl, pattern, profile) + 1) / 2
            : first;
    }

    private int Estimate(ExerciseCatalog.Variant? variant, MovementPattern pattern, Profile profile)
    {
        if (variant is null)
        {
            return 0;
        }

        var (min, _) = StrengthPrescription.RepRange(profile.Goal, profile.StrengthExperience, pattern, variant.Equipment == Equipment.Bodyweight);
        return StrengthTime.SetSeconds(min, StrengthTime.SecondsPerRep(variant), variant.PerSide, StrengthTime.RestSeconds(variant, Rir));
    }

    private int Pick(IReadOnlyList<ExerciseCatalog.Variant> ladder, Profile profile, PreviousExercises previous, bool kneeFlexion, out bool harder)
    {
        harder = false;
        if (ladder.Count == 0)
        {
            return -1;
        }

        // Last week's rung: of the ladder's variants in last week's plan, the one listed first in
        // its session (a split partner always follows the lift it partners).
        int last = -1, lastPosition = int.MaxValue;
        for (var i = 0; i < ladder.Count; i++)
        {
            var position = previous.Position(ladder[i].Id);
            if (position >= 0 && position < lastPosition && ExerciseCatalog.IsAllowed(ladder[i], profile))
            {
                (last, lastPosition) = (i, position);
            }
        }

        if (last < 0)
        {
            var start = ExerciseCatalog.StartIndex(profile.StrengthExperience, ladder.Count, ladder[0].Equipment == Equipment.Bodyweight, kneeFlexion);
            var allowed = Allowed(ladder, profile, start, -1);
            return allowed >= 0 ? allowed : Allowed(ladder, profile, start, +1);
        }

        if (Progression == Adjustment.Progress && ladder[last].Equipment == Equipment.Bodyweight
            && previous.Find(ladder[last].Id) is { } prior && previous.Logged(prior.Id, prior) is var logged
            && logged.Count >= prior.Sets && logged.BelowTop == 0)
        {
            // T6: the top of the range at the target RIR in every set; bodyweight has no load to add.
            var next = Allowed(ladder, profile, last + 1, +1);
            if (next >= 0)
            {
                harder = true;
                return next;
            }
        }

        return last;
    }

    /// <summary>The first allowed rung from <paramref name="from"/> in direction <paramref name="step"/>, or -1.</summary>
    private static int Allowed(IReadOnlyList<ExerciseCatalog.Variant> ladder, Profile profile, int from, int step)
    {
        for (var i = from; i >= 0 && i < ladder.Count; i += step)
        {
            if (ExerciseCatalog.IsAllowed(ladder[i], profile))
            {
                return i;
            }
        }

        return -1;
    }
}
