using RunStrength.Planning.Plans;
using static RunStrength.Planning.Generation.TrainingRules;

namespace RunStrength.Planning.Generation;

/// <summary>
/// T1 and T4: weekly hard sets per muscle and how they spread over the week's strength sessions.
/// Every muscle group gets <c>t</c> sets (shoulders <c>t</c> or <c>t + ½</c>) because the
/// patterns are sized so direct and half-credited indirect sets add up exactly.
/// </summary>
internal sealed class StrengthVolume
{
    private readonly int[] _setSeconds;

    private StrengthVolume(int sessions, int setTarget, int nextSetTarget, bool limitedByTime, int[] setSeconds)
    {
        Sessions = sessions;
        Split = sessions == 4;
        SetTarget = setTarget;
        NextSetTarget = nextSetTarget;
        LimitedByTime = limitedByTime;
        _setSeconds = setSeconds;
        var minutes = 0;
        for (var i = 0; i < sessions; i++)
        {
            minutes += StrengthTime.SessionMinutes(SessionSeconds(sessions, setTarget, i, setSeconds));
        }

        WeeklyMinutes = minutes;
    }

    public int Sessions { get; }

    /// <summary>Upper/lower split (two of each) instead of full-body sessions.</summary>
    public bool Split { get; }

    /// <summary>This week's sets per muscle group, after fitting the time available.</summary>
    public int SetTarget { get; }

    public int NextSetTarget { get; }
    public bool LimitedByTime { get; }
    public int WeeklyMinutes { get; }

    public static StrengthVolume Fit(WeekContext week, int sessions, ExerciseChoices choices)
    {
        var profile = week.Profile;
        var (min, max) = T1SetRange(profile.Goal, profile.StrengthExperience);
        var (deloadMin, deloadMax) = T1DeloadSetRange(profile.Goal, profile.StrengthExperience);
        var prior = week.Prior?.SetTarget ?? min;
        var buildTop = max - 1;

        int target, next;
        switch (week.Adjustment)
        {
            case var _ when week.Race.StrengthMaintenance:
                // RC4: maintenance from the taper to the recovery week, the bottom of the deload
                // range; the set target is held for the weeks after.
                target = deloadMin;
                next = prior;
                break;
            case Adjustment.Deload:
            case Adjustment.Reentry:
                target = Math.Clamp((int)Math.Round(prior * P1DeloadSetFactor), deloadMin, deloadMax - 1);
                next = week.Adjustment == Adjustment.Reentry ? Math.Max(min, prior - 2) : prior;
                if (week.Adjustment == Adjustment.Deload && LastWeekSets(week) is > 1 and var last)
                {
                    // P1: cut from what last week actually held, which time may have kept below the target.
                    target = Math.Min(target, Math.Max(deloadMin, (int)Math.Round(last * P1DeloadSetFactor)));
                }

                break;
            case Adjustment.Progress:
                // W6 and T8: older trainees and novices add a set only in the block's third week;
                // a novice's second week adds reps instead, one change at a time.
                var step = (week.Older || IsNovice(profile.StrengthExperience)) && week.BlockWeek != 3 ? 0 : 1;
                target = week.BlockWeek == 1 ? prior - 1 : prior + step;
                target = Math.Clamp(target, min, buildTop);
                next = target;
                break;
            case Adjustment.Hold:
                target = next = Math.Clamp(prior, min, buildTop);
                break;
            case Adjustment.Reduce:
                target = next = Math.Clamp(prior - 2, min, buildTop);
                break;
            default:
                target = next = min;
                break;
        }

        // T9: what one set of each pattern takes, its rest included.
        var setSeconds = new int[ExerciseCatalog.Patterns.Count];
        for (var p = 0; p < setSeconds.Length; p++)
        {
            setSeconds[p] = choices.EstimatedSetSeconds((MovementPattern)p, profile);
        }

        if (sessions == 0)
        {
            return new StrengthVolume(0, 0, next, limitedByTime: true, setSeconds);
        }

        var fitted = target;
        while (fitted > 1 && MaxSessionMinutesFor(sessions, fitted, setSeconds) > profile.MaxSessionMinutes)
        {
            fitted--;
        }

        var rangeMin = week.Lighter || week.Race.StrengthMaintenance ? deloadMin : min;
        return new StrengthVolume(sessions, fitted, next, fitted < rangeMin, setSeconds);
    }

    private static int MaxSessionMinutesFor(int sessions, int setTarget, int[] setSeconds)
    {
        var max = 0;
        for (var i = 0; i < sessions; i++)
        {
            max = Math.Max(max, SessionSeconds(sessions, setTarget, i, setSeconds));
        }

        return StrengthTime.SessionMinutes(max);
    }

    private static int SessionSeconds(int sessions, int setTarget, int index, int[] setSeconds)
    {
        var seconds = 0;
        for (var p = 0; p < setSeconds.Length; p++)
        {
            seconds += SessionSets(sessions, setTarget, index, (MovementPattern)p) * setSeconds[p];
        }

        return seconds;
    }

    /// <summary>Last week's sets per muscle: quads get exactly the target from squats and lunges.</summary>
    private static int LastWeekSets(WeekContext week) =>
        week.Request.Previous?.Summary.SetsByMuscle is { } sets && sets.TryGetValue(ExerciseCatalog.Quads, out var quads) ? (int)quads : 0;

    public static int WeeklySets(MovementPattern pattern, int t) => pattern switch
    {
        MovementPattern.Lunge => t / 3,
        MovementPattern.Squat => t - (t / 3),
        // T7: pulling at least matches horizontal pushing, so pull : push stays at or above 1 : 1.5
        // in real sets (an odd t gets one pulling set more).
        MovementPattern.VerticalPush => (t + 1) / 2,
        MovementPattern.Pull => t + (t & 1),
        _ => t,
    };

    /// <summary>Whether strength session <paramref name="index"/> trains <paramref name="pattern"/>.</summary>
    public bool Trains(int index, MovementPattern pattern) => Trains(Split, index, pattern);

    private static bool Trains(bool split, int index, MovementPattern pattern) =>
        !split || pattern == MovementPattern.Core || (index % 2 == 0) == IsLowerPattern(pattern);

    /// <summary>In a split, sessions 0 and 2 are lower body, 1 and 3 upper body.</summary>
    public bool IsLowerSession(int index) => !Split || index % 2 == 0;

    public int SessionSets(int index, MovementPattern pattern) => SessionSets(Sessions, SetTarget, index, pattern);

    /// <summary>How many of the week's sessions train the pattern, and which of them session <paramref name="index"/> is.</summary>
    public (int Holders, int Position) Holding(int index, MovementPattern pattern) =>
        Split && pattern != MovementPattern.Core ? (Sessions / 2, index / 2) : (Sessions, index);

    private static int SessionSets(int sessions, int setTarget, int index, MovementPattern pattern)
    {
        var split = sessions == 4;
        if (!Trains(split, index, pattern))
        {
            return 0;
        }

        var weekly = WeeklySets(pattern, setTarget);
        var holders = split && pattern != MovementPattern.Core ? sessions / 2 : sessions;
        var position = split && pattern != MovementPattern.Core ? index / 2 : index;

        // Rotate where the remainder lands so no one session collects every extra set.
        var slot = (position + (int)pattern) % holders;
        return (weekly / holders) + (slot < weekly % holders ? 1 : 0);
    }

    /// <summary>
    /// T10: the minutes of the minimum effective dose by T9: one set of each major movement (a
    /// squat, a hip hinge with its curl beside it, a press, a pull) after the warm-up.
    /// </summary>
    public int DoseMinutes => Sessions == 0 ? 0 : StrengthTime.SessionMinutes(
        _setSeconds[(int)MovementPattern.Squat] + (2 * _setSeconds[(int)MovementPattern.Hinge])
        + _setSeconds[(int)MovementPattern.HorizontalPush] + _setSeconds[(int)MovementPattern.Pull]);

    /// <summary>The longest strength session's minutes by T9 (W7 keeps it clear of other sessions where it can).</summary>
    public int MaxSessionMinutes => Sessions == 0 ? 0 : MaxSessionMinutesFor(Sessions, SetTarget, _setSeconds);

    private static bool IsLowerPattern(MovementPattern pattern) =>
        pattern is MovementPattern.Squat or MovementPattern.Hinge or MovementPattern.Lunge or MovementPattern.Calf;
}
