using System.Globalization;
using System.Numerics;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using static RunStrength.Planning.Generation.TrainingRules;

namespace RunStrength.Planning.Generation;

/// <summary>
/// Turns a profile, last week's plan and its logs into next week's plan. Pure and deterministic
/// (P3): the same request gives the same plan, byte for byte when serialized.
/// </summary>
public static class PlanGenerator
{
    public const string Version = "1";

    public static WeekPlan Generate(PlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var week = new WeekContext(request);
        if (week.AvailableDays == 0 && week.RaceDay < 0)
        {
            return AwayWeek(request, week);
        }

        var strengthBase = StrengthSessionsWanted(week);
        var previous = new PreviousExercises(week.Previous, request.PreviousLogs);
        var choices = new ExerciseChoices(week, previous);
        var sets = StrengthVolume.Fit(week, strengthBase, choices);
        var runs = RunVolume.Plan(week, sets.WeeklyMinutes);

        // P1: a deload keeps last week's shape, every session on its day, only shorter.
        var layout = KeptLayout(week, runs) ?? WeekLayout.Arrange(new LayoutRequest(
            TrainingDays: week.TrainingDays,
            LongRunDay: runs.HasLongRun || week.RaceDay >= 0 ? week.LongRunDay : -1,
            HardRuns: runs.HardRuns.Count,
            StrengthSessions: strengthBase,
            Split: strengthBase == 4,
            EasyRuns: runs.EasyRunCount,
            Plyometrics: week.Race.Phase is RacePhase.Race or RacePhase.Recovery ? 0 : Plyometrics.SessionsWanted(week),
            Beginner: week.Beginner,
            SpreadRuns: runs.RunWalkStage > 0,
            SundayBefore: SundayOf(request.Previous),
            Minutes: DayMinutesOf(week, runs, sets),
            StrengthFirst: week.Profile.Goal == Goal.Muscle && week.Profile.Race is null));

        if (layout.StrengthSessions != strengthBase)
        {
            sets = StrengthVolume.Fit(week, layout.StrengthSessions, choices);
        }

        var builder = new SessionBuilder(week);
        builder.AddRuns(runs, layout);
        builder.AddStrength(sets, layout, choices, previous);
        builder.AddPlyometrics(layout);
        builder.FitDays();
        builder.KeepPullingToPushing();
        builder.KeepKneeFlexion(choices, previous);
        builder.KeepNoviceToOneChange(previous, choices.Rir);
        builder.KeepHardShare();
        builder.KeepRaceFresh();
        builder.AddRace();
        builder.AddRestDays();
        var sessions = builder.Build();
        var summary = Summarize(sessions, sets.LimitedByTime || builder.StrengthTrimmed);

        var plan = NewPlan(week, week.AdjustmentReason, summary, sessions, NextProgress(week, runs, sets, summary, sessions));
        return week.Previous is null && !HasTraining(sessions) ? AsLeadIn(plan) : plan;
    }

    /// <summary>
    /// Plans the current week again after a profile change: days from <paramref name="from"/> on
    /// come from the new profile; days before it, and every session already logged, stay as they
    /// are, with their ids. New sessions get ids the week has not used, and none is put on a day
    /// that keeps a logged session.
    /// </summary>
    /// <param name="request">The week, built on the week before it as usual.</param>
    /// <param name="current">The week's plan so far.</param>
    /// <param name="logged">Ids of the sessions logged this week.</param>
    /// <param name="from">The first day to plan again (the person's tomorrow).</param>
    public static WeekPlan Replan(PlanRequest request, WeekPlan current, IReadOnlyCollection<string> logged, LocalDate from)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(logged);
        var whole = Generate(request with { StartDate = null });
        var kept = current.Sessions.Where(s => s.Date < from || logged.Contains(s.Id)).ToList();
        var keptDays = kept.Where(s => s.Date >= from).Select(s => s.Date).ToHashSet();
        var nextId = current.Sessions.Select(s => SessionNumber(s.Id)).DefaultIfEmpty(0).Max() + 1;
        var added = whole.Sessions
            .Where(s => s.Date >= from && !keptDays.Contains(s.Date))
            .Select(s => ClearOf(kept, s))
            .OfType<Session>()
            .Select(s => s with { Id = SessionBuilder.SessionId(nextId++) });
        var sessions = kept.Concat(added).OrderBy(s => s.Date).ToList();

        var plan = whole with
        {
            Sessions = sessions,
            Summary = Summarize(sessions, whole.Summary.VolumeLimitedByTime),
        };
        var counted = request.Previous is { Progress.WeekIndex: > 0 };
        return !counted && !HasTraining(sessions) ? AsLeadIn(plan) : plan;
    }

    /// <summary>
    /// The seam of a replan: the new profile's week was laid out without the kept days, so a new
    /// session next to a kept one may break W8, W1, R3 or R7. A hard run there becomes an easy
    /// run of the same length, heavy legs become the session's upper-body work, plyometrics go.
    /// </summary>
    private static Session? ClearOf(List<Session> kept, Session added)
    {
        bool Near(int days, Func<Session, bool> what) => kept.Any(k => k.Date == added.Date.PlusDays(days) && what(k));

        if (added.IsHardRun && (Near(-1, k => k.IsHardRun || k.IsHeavyLegs) || Near(1, k => k.IsHardRun)))
        {
            return SessionBuilder.EasyRunInsteadOf(added);
        }

        if (added.IsHeavyLegs && (Near(-1, k => k.IsHeavyLegs) || Near(1, k => k.IsHeavyLegs || k.IsHardRun)))
        {
            return SessionBuilder.WithoutLegs(added);
        }

        return added.Kind == SessionKind.Plyometrics && (Near(-1, k => k.Kind == SessionKind.Plyometrics) || Near(1, k => k.Kind == SessionKind.Plyometrics))
            ? null
            : added;
    }

    /// <summary>True when a plan is a lead-in: no session to do, and not a week of the programme.</summary>
    public static bool IsLeadIn(WeekPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Progress.WeekIndex == 0;
    }

    private static bool HasTraining(IReadOnlyList<Session> sessions) => sessions.Any(s => s.Kind != SessionKind.Rest);

    /// <summary>
    /// A first week with no session left (sign-up late in the week) counts neither as a block week
    /// (P1) nor as a build week for R1/R2: the week after it is the programme's week 1.
    /// </summary>
    private static WeekPlan AsLeadIn(WeekPlan plan) => plan with
    {
        BlockWeek = 0,
        Phase = plan.Phase == Phase.Deload ? Phase.Build : plan.Phase,
        Adjustment = Adjustment.Start,
        AdjustmentReason = "Nothing left to plan this week: your programme starts on Monday.",
        Progress = plan.Progress with { WeekIndex = 0 },
    };

    /// <summary>
    /// D1: every available day of the week is a day off. Nothing is planned, and the week does not
    /// count: it carries the last week's progress, so the next week picks up where that one left
    /// off, with nothing missed and no R1 step taken.
    /// </summary>
    private static WeekPlan AwayWeek(PlanRequest request, WeekContext week)
    {
        var plan = NewPlan(
            week,
            "Every training day this week is a day off (D1): nothing is planned, and the programme picks up where it left off.",
            Summarize([], false),
            [],
            week.Prior ?? new PlanProgress
            {
                WeekIndex = 0,
                BuildRunMinutes = 0,
                RecentLongestRuns = [InitialLongestRun(request.Profile)],
                RunWalkStage = RunVolume.StartingRunWalkStage(request.Profile),
                HillSprintReps = 0,
                IntervalReps = 0,
                SetTarget = 0,
                MissedStreak = 0,
            });
        return week.Prior is null ? AsLeadIn(plan) with { AdjustmentReason = plan.AdjustmentReason } : plan;
    }

    private static WeekPlan NewPlan(WeekContext week, string reason, PlanSummary summary, IReadOnlyList<Session> sessions, PlanProgress progress) => new()
    {
        Week = week.Request.Week.ToString(),
        WeekStart = week.Request.Week.Monday,
        TimeZone = week.Profile.TimeZone,
        Phase = PhaseOf(week),
        BlockWeek = week.BlockWeek,
        GeneratedAt = week.Request.GeneratedAt,
        GeneratorVersion = Version,
        ProfileVersion = week.Request.ProfileVersion,
        Adjustment = week.Adjustment,
        AdjustmentReason = reason,
        Summary = summary,
        Sessions = sessions,
        Progress = progress,
    };

    /// <summary>P1's build and deload weeks, or the week's place in the run-up to a race (RC1).</summary>
    private static Phase PhaseOf(WeekContext week) => week.Race.Phase switch
    {
        _ when week.Deload => Phase.Deload,
        RacePhase.Base => Phase.Base,
        RacePhase.Peak => Phase.Peak,
        RacePhase.Taper => Phase.Taper,
        RacePhase.Race => Phase.Race,
        RacePhase.Recovery => Phase.Recovery,
        _ => Phase.Build,
    };

    private static int SessionNumber(string id) =>
        id.Length > 1 && id[0] == 's' && int.TryParse(id.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;

    /// <summary>R2's reference for the first week: an estimate of the longest recent run.</summary>
    public static int InitialLongestRun(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var estimate = (int)Math.Round(profile.WeeklyRunMinutes * R2InitialLongestShare);
        var stage = RunVolume.StartingRunWalkStage(profile);
        var runWalk = stage > 0 ? Math.Min(R4Stage(stage).SessionMinutes, profile.MaxSessionMinutes) : 0;
        return Math.Max(Math.Max(estimate, MinEasyRunMinutes), runWalk);
    }

    private static Layout? KeptLayout(WeekContext week, RunVolume runs)
    {
        if (week.Adjustment != Adjustment.Deload || week.Request.Previous is not { } previous || week.Request.StartDate is not null || week.DaysOff != 0 || week.PreviousDaysOff != 0)
        {
            return null;
        }

        int hard = 0, legs = 0, upper = 0, plyo = 0, easy = 0, longRun = -1;
        foreach (var session in previous.Sessions)
        {
            var bit = 1 << ((int)session.Day - 1);
            switch (session.Kind)
            {
                case SessionKind.Run when session.IsLongRun:
                    longRun = (int)session.Day - 1;
                    break;
                case SessionKind.Run when session.IsHardRun:
                    hard |= bit;
                    break;
                case SessionKind.Run:
                    easy |= bit;
                    break;
                case SessionKind.Strength when session.Type == "upper-body":
                    upper |= bit;
                    break;
                case SessionKind.Strength:
                    legs |= bit;
                    break;
                case SessionKind.Plyometrics:
                    plyo |= bit;
                    break;
            }
        }

        var wantedLong = runs.HasLongRun ? week.LongRunDay : -1;
        var split = upper != 0;
        var strength = BitOperations.PopCount((uint)(legs | upper));
        if (longRun != wantedLong || split != (strength == 4) || (legs & upper) != 0 || (week.TrainingDays | legs | upper | hard | easy | plyo) != week.TrainingDays)
        {
            return null;
        }

        return new Layout(hard, legs, upper, plyo, easy, longRun);
    }

    private static DayMinutes DayMinutesOf(WeekContext week, RunVolume runs, StrengthVolume sets)
    {
        var hard = 0;
        var hardTotal = 0;
        foreach (var run in runs.HardRuns)
        {
            hard = Math.Max(hard, run.DurationMinutes);
            hardTotal += run.DurationMinutes;
        }

        return new DayMinutes(
            Budget: week.Profile.MaxSessionMinutes,
            LongRun: DayMinutes.Round(runs.HasLongRun ? runs.LongRunMinutes : 0),
            HardRun: DayMinutes.Round(hard),
            Strength: DayMinutes.Round(sets.MaxSessionMinutes),
            Plyometrics: DayMinutes.Round(Plyometrics.Duration(Plyometrics.Contacts(week))),
            EasyRun: DayMinutes.Round(runs.EasyRunMinutes(hardTotal, runs.EasyRunCount)),
            StrengthDose: week.Adjustment == Adjustment.Deload ? 0 : sets.DoseMinutes,
            LongRunLend: week.Profile.Goal == Goal.Muscle && runs.HasLongRun ? DayMinutes.Round(runs.LongRunMinutes) / 3 : 0);
    }

    private static SundayBefore SundayOf(WeekPlan? previous)
    {
        var sunday = SundayBefore.Free;
        if (previous is null)
        {
            return sunday;
        }

        for (var i = 0; i < previous.Sessions.Count; i++)
        {
            var session = previous.Sessions[i];
            if (session.Day != IsoDayOfWeek.Sunday)
            {
                continue;
            }

            sunday |= session.IsHeavyLegs ? SundayBefore.HeavyLegs : SundayBefore.Free;
            sunday |= session.IsHardRun ? SundayBefore.HardRun : SundayBefore.Free;
            sunday |= session.Kind == SessionKind.Plyometrics ? SundayBefore.Plyometrics : SundayBefore.Free;
        }

        return sunday;
    }

    private static int StrengthSessionsWanted(WeekContext week) =>
        Math.Min(Math.Min(T4StrengthSessions(week.Profile.Goal, week.Profile.StrengthExperience), BitOperations.PopCount((uint)week.TrainingDays)), week.Race.MaxStrengthSessions);

    private static PlanSummary Summarize(IReadOnlyList<Session> sessions, bool volumeLimitedByTime)
    {
        int runMinutes = 0, hardMinutes = 0, hardRuns = 0, strength = 0, plyo = 0, strengthMinutes = 0;
        var setsByMuscle = new Dictionary<string, double>(ExerciseCatalog.Muscles.Count, StringComparer.Ordinal);
        foreach (var muscle in ExerciseCatalog.Muscles)
        {
            setsByMuscle[muscle] = 0;
        }

        foreach (var session in sessions)
        {
            switch (session.Kind)
            {
                case SessionKind.Run:
                    runMinutes += session.DurationMinutes;
                    hardMinutes += session.HardMinutes;
                    hardRuns += session.IsHardRun ? 1 : 0;
                    break;
                case SessionKind.Strength:
                    strength++;
                    strengthMinutes += session.DurationMinutes;
                    foreach (var exercise in session.Exercises)
                    {
                        foreach (var muscle in exercise.PrimaryMuscles)
                        {
                            setsByMuscle[muscle] += exercise.Sets;
                        }

                        foreach (var muscle in exercise.SecondaryMuscles)
                        {
                            setsByMuscle[muscle] += exercise.Sets * T1IndirectSetCredit;
                        }
                    }

                    break;
                case SessionKind.Plyometrics:
                    plyo++;
                    break;
            }
        }

        return new PlanSummary
        {
            RunMinutes = runMinutes,
            HardRunMinutes = hardMinutes,
            HardRunSessions = hardRuns,
            StrengthSessions = strength,
            PlyometricsSessions = plyo,
            StrengthMinutes = strengthMinutes,
            SetsByMuscle = setsByMuscle,
            VolumeLimitedByTime = volumeLimitedByTime,
        };
    }

    /// <summary>
    /// R1's reference for next week: this week's planned run time, unless this week is a deload
    /// (the last build week stays the reference) or a partial first week (its full-week target).
    /// </summary>
    private static int BuildReference(WeekContext week, RunVolume runs, PlanSummary summary)
    {
        if (week.Deload)
        {
            return week.Prior?.BuildRunMinutes ?? runs.TargetMinutes;
        }

        // RC2, RC4: the taper, race and recovery weeks are cut from the peak: it stays the reference.
        if (week.Race.Unloading)
        {
            return week.Prior?.BuildRunMinutes ?? runs.TargetMinutes;
        }

        // D1: a week shortened by days off is a reduced week: it holds the reference, so the next
        // week neither loses ground nor takes an R1 step it did not train.
        if (week.DaysOff != 0)
        {
            return week.Prior?.BuildRunMinutes ?? runs.TargetMinutes;
        }

        var partial = week.Request.StartDate is { } start && start > week.Request.Week.Monday;
        return partial ? runs.TargetMinutes : summary.RunMinutes;
    }

    private static PlanProgress NextProgress(WeekContext week, RunVolume runs, StrengthVolume sets, PlanSummary summary, IReadOnlyList<Session> sessions)
    {
        var longest = 0;
        foreach (var session in sessions)
        {
            // RC4: a race is no training run: it does not widen R2's limit for the weeks after it.
            if (session.Kind == SessionKind.Run && !session.IsRace)
            {
                longest = Math.Max(longest, session.DurationMinutes);
            }
        }

        var previousLongest = week.Prior?.RecentLongestRuns ?? [InitialLongestRun(week.Profile)];
        var recent = new int[Math.Min(previousLongest.Count + 1, R2WindowWeeks)];
        recent[0] = longest;
        for (var i = 1; i < recent.Length; i++)
        {
            recent[i] = previousLongest[i - 1];
        }

        return new PlanProgress
        {
            WeekIndex = week.WeekIndex,
            BuildRunMinutes = BuildReference(week, runs, summary),
            RecentLongestRuns = recent,
            RunWalkStage = runs.NextRunWalkStage,
            HillSprintReps = runs.NextHillSprintReps,
            IntervalReps = runs.NextIntervalReps,
            SetTarget = sets.NextSetTarget,
            MissedStreak = week.MissedStreak,
        };
    }
}
