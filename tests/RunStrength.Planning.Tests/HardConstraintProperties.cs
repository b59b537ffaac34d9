using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Simulation;

namespace RunStrength.Planning.Tests;

/// <summary>
/// The hard safety constraints of docs/training-rules.md, checked for random profiles over 12
/// weeks under each of the five logging users (none, done, struggle, skip, runs-unlogged).
/// </summary>
[Properties(Replay = PropertySeed.Replay)]
public sealed class HardConstraintProperties
{
    private const int Weeks = 12;
    private const int Cases = 1000;

    private static IReadOnlyList<WeekPlan> History(Profile profile, LogMode mode) =>
        Simulation.Run(profile, Weeks, Simulation.Logger(mode));

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property W7ADaysSessionsFitMaxSessionMinutes(Profile profile, LogMode mode)
    {
        foreach (var plan in History(profile, mode))
        {
            foreach (var day in plan.Sessions.GroupBy(s => s.Day))
            {
                var minutes = day.Sum(s => s.DurationMinutes);
                if (minutes > profile.MaxSessionMinutes)
                {
                    return false.Label($"{plan.Week} {day.Key}: {minutes} of {profile.MaxSessionMinutes} min");
                }
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property W8HeavyLegsNeverOnConsecutiveDays(Profile profile, LogMode mode) =>
        NeverOnConsecutiveDays(History(profile, mode), s => s.IsHeavyLegs, s => s.IsHeavyLegs);

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property R3HardRunsNeverOnConsecutiveDays(Profile profile, LogMode mode) =>
        NeverOnConsecutiveDays(History(profile, mode), s => s.IsHardRun, s => s.IsHardRun);

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property W1NoHardRunTheDayAfterHeavyLegs(Profile profile, LogMode mode) =>
        NeverOnConsecutiveDays(History(profile, mode), s => s.IsHeavyLegs, s => s.IsHardRun);

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property R7PlyometricsAtLeast48HoursApart(Profile profile, LogMode mode) =>
        NeverOnConsecutiveDays(History(profile, mode), s => s.Kind == SessionKind.Plyometrics, s => s.Kind == SessionKind.Plyometrics);

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property R7PlyometricsNeverAfterARunTheSameDay(Profile profile, LogMode mode)
    {
        foreach (var plan in History(profile, mode))
        {
            for (var i = 0; i < plan.Sessions.Count; i++)
            {
                var plyo = plan.Sessions[i];
                if (plyo.Kind == SessionKind.Plyometrics && plan.Sessions.Take(i).Any(s => s.Day == plyo.Day && s.Kind == SessionKind.Run))
                {
                    return false.Label($"{plan.Week} {plyo.Day}: plyometrics after a run");
                }
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property R8NoNearMaximalSprintsInTheFirstBlockForOlderNovices(Profile profile, LogMode mode)
    {
        var plans = History(profile, mode);
        if (profile.AgeIn(Simulation.FirstWeek.Year) < TrainingRules.W6OlderAge || !WeekContext.IsBeginner(profile))
        {
            return true.ToProperty();
        }

        var sprint = plans.Take(2 * TrainingRules.P1BlockWeeks).SelectMany(p => p.Sessions)
            .FirstOrDefault(s => s.Type == "hill-sprints" || s.Blocks.Any(b => b.Work?.Contains("near-maximal", StringComparison.Ordinal) == true));
        var hard = plans.Take(TrainingRules.P1BlockWeeks).FirstOrDefault(p => p.Summary.HardRunSessions > 0);
        return (sprint is null && hard is null).Label($"{sprint?.Date} {sprint?.Type}; hard run in {hard?.Week}");
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property P1DeloadKeepsFrequencyAndShortensEverySession(Profile profile, LogMode mode)
    {
        var plans = History(profile, mode);
        for (var i = 1; i < plans.Count; i++)
        {
            var (before, deload) = (plans[i - 1], plans[i]);
            if (deload.Phase != Phase.Deload || before.Adjustment == Adjustment.Reentry)
            {
                continue;
            }

            foreach (var group in before.Sessions.Where(s => s.Kind != SessionKind.Rest).GroupBy(Group))
            {
                var kept = deload.Sessions.Where(s => Group(s) == group.Key).Select(s => s.DurationMinutes).OrderDescending().ToList();
                var was = group.Select(s => s.DurationMinutes).OrderDescending().ToList();
                if (kept.Count < was.Count)
                {
                    return false.Label($"{Generators.Describe(profile)}: {deload.Week}: {kept.Count} {group.Key} sessions after {was.Count}");
                }

                // Every session, not just the longest: the k-th longest is no longer than last week's k-th longest.
                for (var k = 0; k < was.Count; k++)
                {
                    if (kept[k] > was[k])
                    {
                        return false.Label($"{Generators.Describe(profile)}: {deload.Week}: {group.Key} sessions {string.Join(", ", kept)} min after {string.Join(", ", was)}");
                    }
                }
            }

            // Lighter in running and in strength: less of each in all.
            if (before.Summary.StrengthMinutes > 0 && deload.Summary.StrengthMinutes >= before.Summary.StrengthMinutes)
            {
                return false.Label($"{Generators.Describe(profile)}: {deload.Week}: strength {deload.Summary.StrengthMinutes} min after {before.Summary.StrengthMinutes}");
            }

            if (before.Summary.RunMinutes > 0 && deload.Summary.RunMinutes >= before.Summary.RunMinutes)
            {
                return false.Label($"{Generators.Describe(profile)}: {deload.Week}: running {deload.Summary.RunMinutes} min after {before.Summary.RunMinutes}");
            }

            var longBefore = before.Sessions.Where(s => s.IsLongRun).Select(s => s.DurationMinutes).DefaultIfEmpty(0).Max();
            var longAfter = deload.Sessions.Where(s => s.IsLongRun).Select(s => s.DurationMinutes).DefaultIfEmpty(0).Max();
            if (longBefore > 0 && longAfter >= longBefore)
            {
                return false.Label($"{deload.Week}: long run {longAfter} min after {longBefore}");
            }
        }

        return true.ToProperty();

        // Runs other than the long run are one group: R3 may turn a deload's hard run easy when its
        // share of the shorter week is too large, which keeps the run and its day.
        static string Group(Session s) => s.Kind switch
        {
            SessionKind.Run => s.IsLongRun ? "long run" : "run",
            _ => s.Kind.ToString(),
        };
    }

    /// <summary>
    /// T10: outside a deload every strength session is worth doing: a full-body session has a set
    /// of a knee-dominant lift, a hip hinge, a press and a pull; a lower-body session the first
    /// two, an upper-body session the last two. So every major movement is trained every week.
    /// </summary>
    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property T10EveryBuildWeekStrengthSessionHasASetOfEachMajorMovement(Profile profile, LogMode mode)
    {
        foreach (var plan in History(profile, mode).Where(p => p.Phase != Phase.Deload))
        {
            var strength = plan.Sessions.Where(s => s.Kind == SessionKind.Strength).ToList();
            foreach (var session in strength)
            {
                var wanted = session.Type switch
                {
                    "lower-body" => MajorMovements.Knee | MajorMovements.Hinge,
                    "upper-body" => MajorMovements.Push | MajorMovements.Pull,
                    _ => MajorMovements.All,
                };
                if ((MajorMovements.Of(session) & wanted) != wanted)
                {
                    return false.Label($"{Generators.Describe(profile)}: {plan.Week} {session.Day} {session.Type}: {string.Join(", ", session.Exercises.Select(e => $"{e.Id} {e.Sets}"))}");
                }
            }

            var week = strength.Aggregate(MajorMovements.None, (all, s) => all | MajorMovements.Of(s));
            if (strength.Count > 0 && week != MajorMovements.All)
            {
                return false.Label($"{Generators.Describe(profile)}: {plan.Week}: the week trains only {week}");
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property P4UnloggedSessionsNeverCountAsMissed(Profile profile, bool runsUnlogged)
    {
        var plans = History(profile, runsUnlogged ? LogMode.RunsUnlogged : LogMode.Done);
        var bad = plans.FirstOrDefault(p => p.Adjustment is Adjustment.Hold or Adjustment.Reduce or Adjustment.Reentry);
        return (bad is null).Label($"{bad?.Week}: {bad?.Adjustment} after a week done as planned");
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property T9StrengthMinutesMatchSetsRepsAndRestWithinTenPercent(Profile profile, LogMode mode)
    {
        foreach (var plan in History(profile, mode))
        {
            foreach (var session in plan.Sessions.Where(s => s.Kind == SessionKind.Strength))
            {
                var expected = TimeModel.Minutes(session);
                if (Math.Abs(session.DurationMinutes - expected) > expected * 0.1)
                {
                    return false.Label($"{plan.Week} {session.Day}: {session.DurationMinutes} min, sets, reps and rest say {expected:0.0}");
                }

                foreach (var e in session.Exercises)
                {
                    var (min, max) = TimeModel.RestRange(e);
                    if (e.RestSeconds < min || e.RestSeconds > max || e.SecondsPerRep != TimeModel.SecondsPerRep(e) || e.PerSide != TimeModel.PerSide(e))
                    {
                        return false.Label($"{plan.Week} {e.Id}: rest {e.RestSeconds} s (rule {min}-{max}), {e.SecondsPerRep} s a rep, per side {e.PerSide}");
                    }
                }
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property T6BodyweightWorkNeverProgressesByLoad(Profile profile, LogMode mode)
    {
        var loaded = History(profile, mode).SelectMany(p => p.Sessions).SelectMany(s => s.Exercises)
            .FirstOrDefault(e => e.Equipment == Equipment.Bodyweight && (e.LoadSteps != 0 || e.Progression == LoadAction.AddLoad || e.Name.Contains("load", StringComparison.OrdinalIgnoreCase)));
        return (loaded is null).Label($"{loaded?.Id}: {loaded?.Progression}, {loaded?.LoadSteps} load steps");
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property AnExcludedExerciseIsNeverPrescribed(Profile profile, LogMode mode, int pick)
    {
        // Exclude some of what the person would otherwise be given in their first week.
        var offered = Simulation.First(profile).Sessions.SelectMany(s => s.Exercises).Select(e => e.Id).Distinct().ToList();
        var excluded = offered.Where((_, i) => ((pick >> (i % 31)) & 1) == 1).ToArray();
        var plans = History(profile with { ExcludedExercises = excluded }, mode);
        var prescribed = plans.SelectMany(p => p.Sessions).SelectMany(s => s.Exercises).FirstOrDefault(e => excluded.Contains(e.Id));
        return (prescribed is null).Label($"{prescribed?.Id} prescribed though excluded");
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property T7NoLiftOverFiveSetsInASession(Profile profile, LogMode mode)
    {
        var over = History(profile, mode).SelectMany(p => p.Sessions).SelectMany(s => s.Exercises).FirstOrDefault(e => e.Sets > TrainingRules.T7MaxSetsPerExercise);
        return (over is null).Label($"{over?.Id}: {over?.Sets} sets");
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property T7PullingAtLeastTwoThirdsOfPushingInRealSetsEveryWeek(Profile profile, LogMode mode)
    {
        foreach (var plan in History(profile, mode))
        {
            var exercises = plan.Sessions.SelectMany(s => s.Exercises).ToList();
            var push = exercises.Where(e => e.Pattern is MovementPattern.HorizontalPush or MovementPattern.VerticalPush).Sum(e => e.Sets);
            var pull = exercises.Where(e => e.Pattern == MovementPattern.Pull).Sum(e => e.Sets);
            if (pull * 1.5 < push)
            {
                return false.Label($"{Generators.Describe(profile)}: {plan.Week}: pull {pull} against push {push}");
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property T7AHamstringCurlOrNordicEveryWeekTheLowerBodyIsTrained(Profile profile, LogMode mode)
    {
        foreach (var plan in History(profile, mode))
        {
            var exercises = plan.Sessions.SelectMany(s => s.Exercises).ToList();
            var lower = exercises.Any(e => e.Pattern is MovementPattern.Squat or MovementPattern.Hinge or MovementPattern.Lunge);
            if (lower && !exercises.Any(e => e.Id.Contains("curl", StringComparison.Ordinal)))
            {
                return false.Label($"{Generators.Describe(profile)}: {plan.Week}: lower body without knee flexion: {string.Join(", ", exercises.Select(e => e.Id).Distinct())}");
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property T8NovicesChangeAtMostOneOfSetsRepsAndEffortBetweenBuildWeeks(Profile profile, LogMode mode)
    {
        if (!TrainingRules.IsNovice(profile.StrengthExperience))
        {
            return true.ToProperty();
        }

        var plans = History(profile, mode);
        for (var i = 1; i < plans.Count; i++)
        {
            var (before, after) = (plans[i - 1], plans[i]);
            if (after.Phase != Phase.Build || before.Phase != Phase.Build || after.BlockWeek == 1)
            {
                continue;
            }

            var (was, now) = (Lifts(before), Lifts(after));
            var changed = new[]
            {
                now.Any(e => was.TryGetValue(e.Key, out var b) && b.Sets != e.Value.Sets),
                now.Any(e => was.TryGetValue(e.Key, out var b) && (b.TargetReps != e.Value.TargetReps || b.LoadSteps != e.Value.LoadSteps)) || now.Values.Any(e => e.Progression == LoadAction.HarderVariant),
                now.Any(e => was.TryGetValue(e.Key, out var b) && b.TargetRir != e.Value.TargetRir),
            };
            if (changed.Count(c => c) > 1)
            {
                return false.Label($"{Generators.Describe(profile)}: {after.Week}: sets {changed[0]}, reps or load {changed[1]}, effort {changed[2]}");
            }
        }

        return true.ToProperty();

        // Each lift's sets summed over the week, its reps, load and effort as in its first session.
        static Dictionary<string, Exercise> Lifts(WeekPlan plan) =>
            plan.Sessions.SelectMany(s => s.Exercises).GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First() with { Sets = g.Sum(e => e.Sets) });
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property ReplanKeepsW8R3R7AcrossTheSeamBetweenKeptAndReplannedDays(Profile before, Profile after, LogMode mode, byte weekPick, byte dayPick)
    {
        var weeks = 1 + (weekPick % Weeks);
        var plans = Simulation.Run(before, weeks, Simulation.Logger(mode)).ToList();
        var logs = Simulation.Logger(mode)?.Invoke(plans[^1]) ?? [];
        var week = Simulation.FirstWeek.Plus(weeks);
        var current = PlanGenerator.Generate(Simulation.Request(before, week, plans[^1], logs));
        var from = week.Date((IsoDayOfWeek)(1 + (dayPick % 7)));

        var replanned = PlanGenerator.Replan(Simulation.Request(after, week, plans[^1], logs), current, [], from);

        var seam = new[] { plans[^1], replanned };
        var label = $"{Generators.Describe(before)} -> {Generators.Describe(after)} from {from}";
        return NeverOnConsecutiveDays(seam, s => s.IsHeavyLegs, s => s.IsHeavyLegs).Label($"W8 {label}")
            .And(NeverOnConsecutiveDays(seam, s => s.IsHardRun, s => s.IsHardRun).Label($"R3 {label}"))
            .And(NeverOnConsecutiveDays(seam, s => s.IsHeavyLegs, s => s.IsHardRun).Label($"W1 {label}"))
            .And(NeverOnConsecutiveDays(seam, s => s.Kind == SessionKind.Plyometrics, s => s.Kind == SessionKind.Plyometrics).Label($"R7 {label}"));
    }

    /// <summary>No <paramref name="first"/> session the day before a <paramref name="second"/> one, across week boundaries too.</summary>
    private static Property NeverOnConsecutiveDays(IReadOnlyList<WeekPlan> plans, Func<Session, bool> first, Func<Session, bool> second)
    {
        var firstDays = new HashSet<int>();
        var secondDays = new HashSet<int>();
        for (var week = 0; week < plans.Count; week++)
        {
            foreach (var session in plans[week].Sessions)
            {
                var day = (week * 7) + (int)session.Day;
                if (first(session))
                {
                    firstDays.Add(day);
                }

                if (second(session))
                {
                    secondDays.Add(day);
                }
            }
        }

        var clash = firstDays.Where(d => secondDays.Contains(d + 1)).Order().ToList();
        return (clash.Count == 0).Label($"week {(clash.FirstOrDefault() / 7) + 1}, day {clash.FirstOrDefault() % 7}: back to back");
    }
}
