using System.Numerics;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using static RunStrength.Planning.Generation.TrainingRules;

namespace RunStrength.Planning.Generation;

/// <summary>The facts about one week that every part of the generator reads.</summary>
internal sealed class WeekContext
{
    public WeekContext(PlanRequest request)
    {
        Request = request;
        Profile = request.Profile;

        // A lead-in week (sign-up with no session left) is no week of the programme: build as if first.
        Previous = request.Previous is { Progress.WeekIndex: > 0 } counted ? counted : null;
        Prior = Previous?.Progress;
        Older = Profile.AgeIn(request.Week.Year) >= W6OlderAge;
        Beginner = IsBeginner(Profile);
        WeekIndex = (Prior?.WeekIndex ?? 0) + 1;
        BlockWeek = ((WeekIndex - 1) % P1BlockWeeks) + 1;
        Race = RaceBlock.For(Profile.Race, request.Week);
        Deload = BlockWeek == P1BlockWeeks && Race.KeepsDeloads;

        if (Previous is { } previous)
        {
            var review = LogReview.Of(previous, request.PreviousLogs);
            Adjustment = review.Decide(Deload);
            MissedStreak = review.MissedStreak;
            AdjustmentReason = Reason(Adjustment, review);
        }
        else
        {
            Adjustment = Adjustment.Start;
            AdjustmentReason = "First week: built from your profile alone, starting conservatively.";
        }

        // D1: a date the person is away is no training day this week; the week is laid out on the rest.
        DaysOff = DaysOffIn(request.Week, Profile.UnavailableDates) & Mask(Profile.AvailableDays);
        AvailableDays = Mask(Profile.AvailableDays) & ~DaysOff;
        Zones = Targets.RunZones.Of(Profile, request.Week.Year);
        PreviousDaysOff = DaysOffIn(request.Week.Previous(), Profile.UnavailableDates) & Mask(Profile.AvailableDays);
        LongRunDay = ChooseLongRunDay(Profile, AvailableDays);
        TrainingDays = ChooseTrainingDays(AvailableDays, LongRunDay, Older);
        RaceDay = -1;
        if (Race.Phase == RacePhase.Race && !Profile.UnavailableDates.Contains(Profile.Race!.Date))
        {
            // RC4: the race takes the long run's place; training stops the day before it, and the
            // days after it are rest.
            RaceDay = (int)Profile.Race.Date.DayOfWeek - 1;
            LongRunDay = RaceDay;
            TrainingDays &= (1 << RaceDay) - 1;
        }

        if (DaysOff != 0)
        {
            var count = BitOperations.PopCount((uint)DaysOff);
            AdjustmentReason += count == 1
                ? " One day off this week (D1): the week is laid out on the days that remain, as a reduced week, not a missed one."
                : $" {count} days off this week (D1): the week is laid out on the days that remain, as a reduced week, not a missed one.";
        }
    }

    public PlanRequest Request { get; }
    public Profile Profile { get; }

    /// <summary>The week this one builds on, or null for the first week (a lead-in week does not count).</summary>
    public WeekPlan? Previous { get; }

    public PlanProgress? Prior { get; }
    public bool Older { get; }
    public bool Beginner { get; }
    public int WeekIndex { get; }
    public int BlockWeek { get; }
    public bool Deload { get; }
    public Adjustment Adjustment { get; }
    public string AdjustmentReason { get; }
    public int MissedStreak { get; }
    public int AvailableDays { get; }

    /// <summary>The person's pace and heart-rate zones (Z1, Z2).</summary>
    public Targets.RunZones Zones { get; }

    /// <summary>Available weekdays of this week the person has marked unavailable (D1), as a day mask.</summary>
    public int DaysOff { get; }

    /// <summary>Days off of the week before (D1): a deload does not copy the shape of a reduced week.</summary>
    public int PreviousDaysOff { get; }
    public int TrainingDays { get; }
    public int LongRunDay { get; }

    /// <summary>Where the week sits in the run-up to a race (RC1); <see cref="RaceBlock.None"/> without one.</summary>
    public RaceBlock Race { get; }

    /// <summary>The race's day of this week (0 Monday to 6 Sunday), or -1: no race this week, or its date is a day off (D1).</summary>
    public int RaceDay { get; }

    /// <summary>Progressing normally: a build week after a good week, or the very first week.</summary>
    public bool Progressing => Adjustment is Adjustment.Progress;

    /// <summary>A week with less load than the last build week: deload or re-entry.</summary>
    public bool Lighter => Adjustment is Adjustment.Deload or Adjustment.Reentry;

    /// <summary>W3: someone new to training, a novice at both running and lifting.</summary>
    public static bool IsBeginner(Profile profile) =>
        IsNovice(profile.RunningExperience) && IsNovice(profile.StrengthExperience);

    public static int Mask(IReadOnlyList<IsoDayOfWeek> days)
    {
        var mask = 0;
        foreach (var day in days)
        {
            mask |= 1 << ((int)day - 1);
        }

        return mask;
    }

    private static int DaysOffIn(IsoWeek week, IReadOnlyList<LocalDate> dates)
    {
        var mask = 0;
        var monday = week.Monday;
        var sunday = monday.PlusDays(6);
        foreach (var date in dates)
        {
            if (date >= monday && date <= sunday)
            {
                mask |= 1 << ((int)date.DayOfWeek - 1);
            }
        }

        return mask;
    }

    private static int ChooseLongRunDay(Profile profile, int available)
    {
        if (profile.LongRunDay is { } day && (available & (1 << ((int)day - 1))) != 0)
        {
            return (int)day - 1;
        }

        // Weekends first: Sunday, then Saturday, then the latest day available.
        foreach (var candidate in (ReadOnlySpan<int>)[6, 5, 4, 3, 2, 1, 0])
        {
            if ((available & (1 << candidate)) != 0)
            {
                return candidate;
            }
        }

        return 6;
    }

    /// <summary>
    /// W3: everyone gets a full rest day; W6: 60+ get one more. The day after the long run goes
    /// first, then the day whose neighbours are both training days.
    /// </summary>
    private static int ChooseTrainingDays(int available, int longRunDay, bool older)
    {
        var training = available;
        var restDays = (BitOperations.PopCount((uint)available) == 7 ? 1 : 0) + (older ? 1 : 0);
        for (var i = 0; i < restDays && BitOperations.PopCount((uint)training) > 2; i++)
        {
            var afterLong = (longRunDay + 1) % 7;
            if ((training & (1 << afterLong)) != 0 && afterLong != longRunDay)
            {
                training &= ~(1 << afterLong);
                continue;
            }

            var chosen = -1;
            var bestNeighbours = -1;
            for (var day = 0; day < 7; day++)
            {
                if ((training & (1 << day)) == 0 || day == longRunDay)
                {
                    continue;
                }

                var neighbours = ((training >> ((day + 6) % 7)) & 1) + ((training >> ((day + 1) % 7)) & 1);
                if (neighbours > bestNeighbours)
                {
                    bestNeighbours = neighbours;
                    chosen = day;
                }
            }

            if (chosen >= 0)
            {
                training &= ~(1 << chosen);
            }
        }

        return training;
    }

    private static string Reason(Adjustment adjustment, LogReview review) => adjustment switch
    {
        Adjustment.Deload => "Deload week (P1): every fourth week cuts sets, run time and hard reps by about 40% so you absorb the block.",
        Adjustment.Reentry => "Gentle re-entry week (P2): three or more sessions were missed in a row, so load steps back before building again.",
        Adjustment.Reduce => "Load reduced (P2): fewer than 40% of last week's sessions were done (only sessions logged as skipped or partial count against you, P4).",
        Adjustment.Hold when review.RpeTooHigh => "Load held (P2): last week felt harder than planned (RPE well above target).",
        Adjustment.Hold => "Load held (P2): fewer than 70% of last week's sessions were done (only sessions logged as skipped or partial count against you, P4).",
        _ => review.AnyLogs
            ? "Progressing (P2): last week was completed at the planned effort."
            : "Progressing conservatively (P2): no logs last week, so it counts as done at target.",
    };
}
