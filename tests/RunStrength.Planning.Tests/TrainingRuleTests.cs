using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Simulation;

namespace RunStrength.Planning.Tests;

/// <summary>One or more examples per rule of docs/training-rules.md, named by what the rule promises.</summary>
public sealed class TrainingRuleTests
{
    private static readonly IsoDayOfWeek[] AllDays = Enum.GetValues<IsoDayOfWeek>()[1..];
    private static readonly IsoDayOfWeek[] FiveDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Sunday];

    private static IEnumerable<Session> Of(WeekPlan plan, string type) => plan.Sessions.Where(s => s.Type == type);

    [Theory]
    [InlineData(new[] { Terrain.Hills }, true)]
    [InlineData(new[] { Terrain.Stairs }, true)]
    [InlineData(new[] { Terrain.Flat }, false)]
    [InlineData(new[] { Terrain.Flat, Terrain.Track, Terrain.Trail }, false)]
    public void R5HillSprintsOnlyWithHillOrStairsAccess(Terrain[] terrain, bool expected)
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Muscle).OnTerrain(terrain).Build();

        Assert.Equal(expected, Of(Simulation.First(profile), "hill-sprints").Any());
    }

    [Fact]
    public void S7HillSprintsWalkBackDownAndNothingIsFastDownhill()
    {
        var plans = Simulation.Run(new ProfileBuilder().ForGoal(Goal.Endurance).Running(Experience.Advanced, 300).Days(FiveDays).Build(), 8);
        var sprints = plans.SelectMany(p => Of(p, "hill-sprints")).ToList();

        Assert.NotEmpty(sprints);
        Assert.All(sprints, s => Assert.Contains("walk back down", s.Blocks.Single(b => b.Name == "main").Recovery, StringComparison.Ordinal));
        Assert.DoesNotContain(plans.SelectMany(p => p.Sessions).SelectMany(s => s.Blocks), b => (b.Work ?? b.Detail ?? "").Contains("downhill", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void R5HillSprintRepsStartAtThreeOrFourAndBuildByOneToAtMostTen()
    {
        var plans = Simulation.Run(new ProfileBuilder().ForGoal(Goal.Muscle).Build(), 16);
        var reps = plans.Where(p => p.Phase == Phase.Build).Select(p => Of(p, "hill-sprints").Single().Blocks[1].Repeats!.Value).ToList();

        Assert.Equal(4, reps[0]);
        Assert.Equal([4, 5, 6, 7, 8, 9, 10, 10, 10, 10, 10, 10], reps);
    }

    [Fact]
    public void R4NonRunnerStartsWithRunWalkAndRunsThirtyMinutesContinuouslyAfterNineBuildWeeks()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Balanced).Running(Experience.None, 0).Strength(Experience.None).Build();
        var plans = Simulation.Run(profile, 13);

        var first = Of(plans[0], "run-walk").ToList();
        Assert.Equal(3, first.Count);
        Assert.Equal("1 min easy running", first[0].Blocks[1].Work);
        Assert.Equal("1:30 min walking", first[0].Blocks[1].Recovery);
        Assert.Equal(30, Of(plans[10], "run-walk").First().Blocks[1].Minutes);
        Assert.Contains(plans[12].Sessions, s => s.Type is "long-run" or "easy-run");
        Assert.All(plans.Take(12), p => Assert.Equal(0, p.Summary.HardRunSessions));
    }

    [Fact]
    public void R3AdvancedEnduranceRunnerGetsTwoHardRunsAndTheRestEasy()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Endurance).Running(Experience.Advanced, 300).Strength(Experience.Intermediate).Days(FiveDays).LongRun(IsoDayOfWeek.Sunday).Build();

        var plan = Simulation.First(profile);

        Assert.Equal(2, plan.Summary.HardRunSessions);
        Assert.True(plan.Summary.HardRunMinutes <= 0.2 * plan.Summary.RunMinutes, $"{plan.Summary.HardRunMinutes} of {plan.Summary.RunMinutes}");
    }

    [Theory]
    [InlineData(Experience.Beginner, Experience.Advanced, 40)]
    [InlineData(Experience.Intermediate, Experience.Intermediate, 80)]
    [InlineData(Experience.Advanced, Experience.Advanced, 100)]
    [InlineData(Experience.Advanced, Experience.Intermediate, 80)]
    [InlineData(Experience.Advanced, Experience.Beginner, 40)]
    public void R7PlyometricContactsFollowTheWeakerOfRunningAndLifting(Experience running, Experience strength, int contacts)
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Endurance).Running(running, 150).Strength(strength).Days(FiveDays).Build();

        var plyo = Of(Simulation.First(profile), "plyometrics").ToList();

        Assert.InRange(plyo.Count, 1, 2);
        Assert.All(plyo, p => Assert.Equal(contacts, p.Contacts));
    }

    [Fact]
    public void R6NoPlyometricsTheDayBeforeAKeyRun()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Endurance).Running(Experience.Advanced, 300).Days(FiveDays).Build();

        foreach (var plan in Simulation.Run(profile, 8))
        {
            var keyDays = plan.Sessions.Where(s => s.IsHardRun || s.IsLongRun).Select(s => (int)s.Day).ToHashSet();
            Assert.DoesNotContain(plan.Sessions.Where(s => s.Kind == SessionKind.Plyometrics), s => keyDays.Contains((int)s.Day + 1));
        }
    }

    [Theory]
    [InlineData(Goal.Muscle, Experience.None, Experience.None, 0, 1996, 45)]
    [InlineData(Goal.Balanced, Experience.Beginner, Experience.None, 50, 1961, 50)]
    public void W7ADaysSessionsTogetherFitMaxSessionMinutes(Goal goal, Experience running, Experience strength, int weekly, int born, int minutes)
    {
        var profile = new ProfileBuilder().ForGoal(goal).Running(running, weekly).Strength(strength)
            .Days(IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday).LongRun(IsoDayOfWeek.Saturday)
            .MaxMinutes(minutes).WithEquipment(Equipment.Bodyweight).OnTerrain(Terrain.Flat, Terrain.Stairs).BornIn(born).Build();

        foreach (var plan in Simulation.Run(profile, 12))
        {
            Assert.All(plan.Sessions.GroupBy(s => s.Day), day => Assert.True(day.Sum(s => s.DurationMinutes) <= minutes, $"{plan.Week} {day.Key}: {day.Sum(s => s.DurationMinutes)} min"));
        }
    }

    [Fact]
    public void R9EnduranceRunningGrowsEveryBuildWeekWithinR1AndSpreadsOverMoreRuns()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Endurance).Running(Experience.Advanced, 360).Strength(Experience.Beginner)
            .Days(AllDays).LongRun(IsoDayOfWeek.Sunday).MaxMinutes(120).WithEquipment(Equipment.Dumbbells).OnTerrain(Terrain.Hills, Terrain.Flat, Terrain.Trail).Build();

        var plans = Simulation.Run(profile, 8);
        var minutes = plans.Select(p => p.Summary.RunMinutes).ToList();

        Assert.True(minutes[1] > minutes[0] && minutes[2] > minutes[1] && minutes[4] > minutes[2], string.Join(", ", minutes));
        Assert.All(new[] { (0, 1), (1, 2), (2, 4), (4, 5), (5, 6) }, pair => Assert.True(minutes[pair.Item2] <= minutes[pair.Item1] * 1.1, string.Join(", ", minutes)));
        foreach (var plan in plans)
        {
            var runs = plan.Sessions.Where(s => s.Kind == SessionKind.Run).ToList();
            var longRun = runs.Single(s => s.IsLongRun).DurationMinutes;
            Assert.True(runs.Count >= 6, $"{plan.Week}: {runs.Count} runs");
            Assert.All(runs.Where(s => s.Type == "easy-run"), s => Assert.True(s.DurationMinutes <= longRun * 0.75, $"{plan.Week}: easy {s.DurationMinutes} against long {longRun}"));
        }
    }

    [Fact]
    public void W8TrainedLifterOnFiveDaysNeverHasHeavyLegsOnConsecutiveDays()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Muscle).Running(Experience.Intermediate, 70).Strength(Experience.Advanced)
            .Days(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday)
            .LongRun(IsoDayOfWeek.Saturday).MaxMinutes(75).WithEquipment(Equipment.Gym, Equipment.Dumbbells).Build();

        foreach (var plan in Simulation.Run(profile, 8))
        {
            var legs = plan.Sessions.Where(s => s.IsHeavyLegs).Select(s => (int)s.Day).ToList();
            Assert.NotEmpty(legs);
            Assert.All(legs, d => Assert.DoesNotContain(d + 1, legs));
        }
    }

    [Fact]
    public void R8OlderNoviceGetsNoSprintsInTheFirstBlockThenStridesThenSprintsThatStay()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Balanced).Running(Experience.Beginner, 50).Strength(Experience.None)
            .Days(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday).LongRun(IsoDayOfWeek.Saturday)
            .MaxMinutes(45).WithEquipment(Equipment.Bodyweight).OnTerrain(Terrain.Flat, Terrain.Stairs).BornIn(1961).Build();

        var plans = Simulation.Run(profile, 12);

        Assert.All(plans.Take(4), p => Assert.Equal(0, p.Summary.HardRunSessions));
        Assert.All(plans.Take(8), p => Assert.Empty(Of(p, "hill-sprints")));
        Assert.Contains(plans.Skip(4).Take(4), p => Of(p, "strides").Any());
        Assert.All(plans.Skip(8).Where(p => p.Phase == Phase.Build), p => Assert.Single(Of(p, "hill-sprints")));
    }

    [Fact]
    public void R5HillSprintsStayInEveryBuildWeekWhenTheWeekIsShort()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Balanced).Running(Experience.Beginner, 50).Strength(Experience.Beginner)
            .Days(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday).LongRun(IsoDayOfWeek.Saturday)
            .MaxMinutes(45).WithEquipment(Equipment.Bodyweight).OnTerrain(Terrain.Flat, Terrain.Stairs).Build();

        var plans = Simulation.Run(profile, 12);

        Assert.All(plans, p => Assert.Single(Of(p, "hill-sprints")));
    }

    [Fact]
    public void R7NoviceLifterWhoRunsWellGetsNoBounding()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Endurance).Running(Experience.Advanced, 360).Strength(Experience.Beginner).Days(AllDays).Build();

        var plyo = Of(Simulation.First(profile), "plyometrics").ToList();

        Assert.NotEmpty(plyo);
        Assert.All(plyo, p => Assert.DoesNotContain(p.Blocks, b => b.Name == "bounding"));
    }

    [Fact]
    public void R7PlyometricsAreTwoDaysApartAndBeforeAnyRunThatDay()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Endurance).Running(Experience.Advanced, 360).Strength(Experience.Beginner)
            .Days(AllDays).LongRun(IsoDayOfWeek.Sunday).MaxMinutes(120).WithEquipment(Equipment.Dumbbells).OnTerrain(Terrain.Hills, Terrain.Flat, Terrain.Trail).Build();

        foreach (var plan in Simulation.Run(profile, 4))
        {
            var plyoDays = plan.Sessions.Where(s => s.Kind == SessionKind.Plyometrics).Select(s => (int)s.Day).ToList();
            Assert.All(plyoDays, d => Assert.DoesNotContain(d + 1, plyoDays));
            Assert.All(plan.Sessions.Select((s, i) => (s, i)).Where(x => x.s.Kind == SessionKind.Plyometrics),
                x => Assert.DoesNotContain(plan.Sessions.Take(x.i), before => before.Day == x.s.Day && before.Kind == SessionKind.Run));
        }
    }

    [Theory]
    [InlineData(Goal.Muscle, Experience.None, 8)]
    [InlineData(Goal.Muscle, Experience.Advanced, 12)]
    [InlineData(Goal.Balanced, Experience.Beginner, 6)]
    [InlineData(Goal.Endurance, Experience.Intermediate, 4)]
    public void T1FirstWeekStartsAtTheBottomOfTheGoalsSetRange(Goal goal, Experience strength, int sets)
    {
        // Time enough for the strength session and the run that shares its day (W7, T9).
        var profile = new ProfileBuilder().ForGoal(goal).Strength(strength).MaxMinutes(120).Build();

        var plan = Simulation.First(profile);

        Assert.All(plan.Summary.SetsByMuscle, m => Assert.InRange(m.Value, sets, sets + 0.5));
    }

    [Fact]
    public void T1CompoundLiftsCountHalfASetForMusclesWorkedIndirectly()
    {
        var plan = Simulation.First(new ProfileBuilder().ForGoal(Goal.Muscle).Strength(Experience.None).MaxMinutes(90).Build());
        var bench = plan.Sessions.SelectMany(s => s.Exercises).Where(e => e.Pattern == MovementPattern.HorizontalPush).Sum(e => e.Sets);
        var press = plan.Sessions.SelectMany(s => s.Exercises).Where(e => e.Pattern == MovementPattern.VerticalPush).Sum(e => e.Sets);

        Assert.Equal(press + (bench * 0.5), plan.Summary.SetsByMuscle["shoulders"]);
    }

    [Theory]
    [InlineData(Goal.Muscle, Experience.Advanced, 5)]
    [InlineData(Goal.Muscle, Experience.None, 3)]
    [InlineData(Goal.Balanced, Experience.Intermediate, 4)]
    public void T7NoLiftOverFiveSetsPullingAtLeastTwoThirdsOfPushingAndAHamstringCurl(Goal goal, Experience strength, int days)
    {
        var profile = new ProfileBuilder().ForGoal(goal).Strength(strength).MaxMinutes(90)
            .Days([.. new[] { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday }.Take(days)]).Build();

        foreach (var plan in Simulation.Run(profile, 8))
        {
            var exercises = plan.Sessions.SelectMany(s => s.Exercises).ToList();
            Assert.All(exercises, e => Assert.True(e.Sets <= TrainingRules.T7MaxSetsPerExercise, $"{plan.Week}: {e.Name} {e.Sets} sets"));
            var push = exercises.Where(e => e.Pattern is MovementPattern.HorizontalPush or MovementPattern.VerticalPush).Sum(e => e.Sets);
            var pull = exercises.Where(e => e.Pattern == MovementPattern.Pull).Sum(e => e.Sets);
            Assert.True(pull * 1.5 >= push, $"{plan.Week}: pull {pull} against push {push}");
            Assert.Contains(exercises, e => e.Id.Contains("curl", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(Experience.None, 2, 3)]
    [InlineData(Experience.Beginner, 2, 3)]
    [InlineData(Experience.Intermediate, 0, 3)]
    [InlineData(Experience.Advanced, 0, 3)]
    public void T2RepsInReserveStayInRangeAndNovicesStayAtTwoToThree(Experience strength, int min, int max)
    {
        var plans = Simulation.Run(new ProfileBuilder().ForGoal(Goal.Muscle).Strength(strength).BornIn(1995).Build(), 12, Simulation.RandomLogger(7));

        Assert.All(plans.SelectMany(p => p.Sessions).SelectMany(s => s.Exercises), e => Assert.InRange(e.TargetRir, min, max));
    }

    private static Exercise Squat(int targetReps = 10, int sets = 3) => new()
    {
        Id = "back-squat", Name = "Barbell back squat", Pattern = MovementPattern.Squat, Equipment = Equipment.Gym,
        PrimaryMuscles = ["quads"], SecondaryMuscles = ["glutes"], Sets = sets, RepsMin = 6, RepsMax = 10,
        TargetReps = targetReps, TargetRir = 2, LoadSteps = 3, Progression = LoadAction.AddReps, ProgressionRule = "T3",
    };

    [Fact]
    public void T3LoadGoesUpOnlyWhenEverySetReachedTheTopAtTheTargetRir()
    {
        var sets = new[] { new SetLog(10, 2), new SetLog(10, 2), new SetLog(10, 3) };

        var result = StrengthPrescription.Progress(Squat(), 6, 10, sets, Adjustment.Progress);

        Assert.Equal((6, 4, LoadAction.AddLoad), result);
    }

    [Theory]
    [InlineData(9, 2)]
    [InlineData(10, 1)]
    public void T3OneSetShortOfTheTopOrTheRirKeepsTheLoad(int reps, int rir)
    {
        var sets = new[] { new SetLog(10, 2), new SetLog(10, 2), new SetLog(reps, rir) };

        var (_, load, action) = StrengthPrescription.Progress(Squat(), 6, 10, sets, Adjustment.Progress);

        Assert.Equal(3, load);
        Assert.NotEqual(LoadAction.AddLoad, action);
    }

    [Fact]
    public void T3MarkedDoneWithoutSetsNeverAddsLoad()
    {
        var (reps, load, action) = StrengthPrescription.Progress(Squat(targetReps: 10), 6, 10, [], Adjustment.Progress);

        Assert.Equal((10, 3, LoadAction.Hold), (reps, load, action));
    }

    [Fact]
    public void T3SetsWithoutRirNeverAddLoad()
    {
        var sets = new[] { new SetLog(10, null), new SetLog(10, null), new SetLog(10, null) };

        Assert.Equal(3, StrengthPrescription.Progress(Squat(), 6, 10, sets, Adjustment.Progress).LoadSteps);
    }

    [Fact]
    public void T3RepsGoUpWhenTheTargetWasMetBelowTheTop()
    {
        var sets = new[] { new SetLog(8, 2), new SetLog(8, 2), new SetLog(8, 1) };

        Assert.Equal((9, 3, LoadAction.AddReps), StrengthPrescription.Progress(Squat(targetReps: 8), 6, 10, sets, Adjustment.Progress));
    }

    [Fact]
    public void T3AddedLoadAppearsInNextWeeksPlanFromLoggedSets()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Muscle).Strength(Experience.Intermediate).Build();
        var plans = Simulation.Run(profile, 2, plan => plan.Sessions.Where(s => s.Kind != SessionKind.Rest).Select(s => new SessionLog
        {
            SessionId = s.Id,
            Status = SessionStatus.Completed,
            Exercises = s.Exercises.Select(e => new ExerciseLog(e.Id, Enumerable.Repeat(new SetLog(e.RepsMax, e.TargetRir), e.Sets).ToArray())).ToArray(),
        }).ToArray());

        var exercises = plans[1].Sessions.SelectMany(s => s.Exercises).ToList();
        Assert.All(exercises.Where(e => e.Equipment != Equipment.Bodyweight), e => Assert.Equal((1, LoadAction.AddLoad, e.RepsMin), (e.LoadSteps, e.Progression, e.TargetReps)));
        Assert.All(exercises.Where(e => e.Equipment == Equipment.Bodyweight), e => Assert.NotEqual(LoadAction.AddLoad, e.Progression));
    }

    [Fact]
    public void T6BodyweightExercisesNeverProgressByLoad()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Muscle).Strength(Experience.Intermediate).WithEquipment(Equipment.Bodyweight).Build();

        var plans = Simulation.Run(profile, 12, Simulation.Logger(LogMode.Done));

        Assert.All(plans.SelectMany(p => p.Sessions).SelectMany(s => s.Exercises), e =>
        {
            Assert.NotEqual(LoadAction.AddLoad, e.Progression);
            Assert.Equal(0, e.LoadSteps);
        });
        Assert.Contains(Simulation.Run(profile, 2)[1].Sessions.SelectMany(s => s.Exercises), e => e.Progression == LoadAction.AddReps);
    }

    [Theory]
    [InlineData(LogMode.None)]
    [InlineData(LogMode.Done)]
    public void T8NovicesChangeOneThingAtATimeBetweenBuildWeeks(LogMode mode)
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Muscle).Strength(Experience.None).MaxMinutes(90).Build();

        var plans = Simulation.Run(profile, 12, Simulation.Logger(mode));

        for (var i = 1; i < plans.Count; i++)
        {
            if (plans[i].Phase != Phase.Build || plans[i - 1].Phase != Phase.Build || plans[i].BlockWeek == 1)
            {
                continue;
            }

            var (before, after) = (Exercises(plans[i - 1]), Exercises(plans[i]));
            var changed = new[]
            {
                plans[i].Summary.SetsByMuscle["quads"] != plans[i - 1].Summary.SetsByMuscle["quads"],
                after.Any(e => before.TryGetValue(e.Key, out var b) && (b.TargetReps != e.Value.TargetReps || b.LoadSteps != e.Value.LoadSteps)),
                after.Any(e => before.TryGetValue(e.Key, out var b) && b.TargetRir != e.Value.TargetRir),
            };
            Assert.True(changed.Count(c => c) <= 1, $"{plans[i].Week}: sets, reps or load, effort changed: {string.Join(", ", changed)}");
        }

        static Dictionary<string, Exercise> Exercises(WeekPlan plan) =>
            plan.Sessions.SelectMany(s => s.Exercises).GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First());
    }

    [Fact]
    public void T4EveryMuscleIsTrainedAtLeastTwiceAWeek()
    {
        var plan = Simulation.First(new ProfileBuilder().ForGoal(Goal.Muscle).Strength(Experience.Intermediate).Days(FiveDays).MaxMinutes(75).Build());

        foreach (var muscle in ExerciseCatalog.Muscles)
        {
            var sessions = plan.Sessions.Count(s => s.Exercises.Any(e => e.PrimaryMuscles.Contains(muscle) || e.SecondaryMuscles.Contains(muscle)));
            Assert.True(sessions >= 2, $"{muscle} trained in {sessions} sessions");
        }
    }

    [Fact]
    public void T5EveryPatternHasAVariantForEachEquipmentSet()
    {
        foreach (var pattern in ExerciseCatalog.Patterns)
        {
            foreach (var equipment in Enum.GetValues<Equipment>())
            {
                Assert.True(ExerciseCatalog.HasVariant(pattern, equipment), $"{pattern} with {equipment}");
            }
        }
    }

    [Theory]
    [InlineData(Equipment.Bodyweight)]
    [InlineData(Equipment.Kettlebell)]
    [InlineData(Equipment.Dumbbells)]
    public void T5ExercisesUseOnlyTheEquipmentAvailable(Equipment equipment)
    {
        var plan = Simulation.First(new ProfileBuilder().WithEquipment(equipment).Build());

        // Bodyweight work needs no equipment, so any list may hold it (T6).
        Assert.All(plan.Sessions.SelectMany(s => s.Exercises), e => Assert.Contains(e.Equipment, new[] { equipment, Equipment.Bodyweight }));
        Assert.Contains(plan.Sessions.SelectMany(s => s.Exercises), e => e.Equipment == equipment);
    }

    [Theory]
    [InlineData(Goal.Muscle, "strength", "run")]
    [InlineData(Goal.Endurance, "run", "strength")]
    public void W2OnASharedDayTheGoalsSessionComesFirst(Goal goal, string first, string second)
    {
        var profile = new ProfileBuilder().ForGoal(goal).Days(IsoDayOfWeek.Monday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday).Build();

        var plan = Simulation.First(profile);
        var shared = plan.Sessions.GroupBy(s => s.Day).First(g => g.Any(s => s.Kind == SessionKind.Run) && g.Any(s => s.Kind == SessionKind.Strength)).ToList();

        Assert.Equal([first, second], shared.Where(s => s.Kind is SessionKind.Run or SessionKind.Strength).Select(s => s.Kind.ToString().ToLowerInvariant()));
        Assert.All(shared.Where(s => s.Kind is SessionKind.Run or SessionKind.Strength), s => Assert.Contains("W2", s.Rules));
    }

    [Theory]
    [InlineData(IsoDayOfWeek.Wednesday)]
    [InlineData(IsoDayOfWeek.Saturday)]
    public void W4LongRunLandsOnTheChosenDay(IsoDayOfWeek day)
    {
        var plan = Simulation.First(new ProfileBuilder().Days(IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Saturday).LongRun(day).Build());

        Assert.Equal(day, plan.Sessions.Single(s => s.IsLongRun).Day);
    }

    [Theory]
    [InlineData(Goal.Muscle, 0.0, 0.35)]
    [InlineData(Goal.Endurance, 0.75, 0.90)]
    public void W5GoalSetsTheSplitOfTrainingTime(Goal goal, double minRunShare, double maxRunShare)
    {
        var profile = new ProfileBuilder().ForGoal(goal).Running(Experience.Intermediate, 200).Days(FiveDays).Build();

        var summary = Simulation.First(profile).Summary;
        var share = summary.RunMinutes / (double)(summary.RunMinutes + summary.StrengthMinutes);

        Assert.InRange(share, minRunShare, maxRunShare);
    }

    [Fact]
    public void W6SixtyPlusGetsAnExtraRestDayAndSlowerRunGrowth()
    {
        var days = new[] { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday };
        var young = Simulation.Run(new ProfileBuilder().ForGoal(Goal.Endurance).Days(days).BornIn(1990).Build(), 3);
        var older = Simulation.Run(new ProfileBuilder().ForGoal(Goal.Endurance).Days(days).BornIn(1960).Build(), 3);

        static int RestDays(WeekPlan plan) => 7 - plan.Sessions.Where(s => s.Kind != SessionKind.Rest).Select(s => s.Day).Distinct().Count();
        Assert.Equal(RestDays(young[0]) + 1, RestDays(older[0]));
        Assert.Contains(older[0].Sessions, s => s.Rules.Contains("W6"));
        Assert.True(older[2].Summary.RunMinutes <= older[1].Summary.RunMinutes * 1.05 + 1);
        Assert.True(older[0].Summary.RunMinutes < young[0].Summary.RunMinutes);
    }

    [Fact]
    public void P1DeloadCutsRunTimeSetsAndHardRepsByAThirdToAHalf()
    {
        var plans = Simulation.Run(new ProfileBuilder().ForGoal(Goal.Balanced).MaxMinutes(90).Build(), 4);
        var (build, deload) = (plans[2], plans[3]);

        Assert.Equal(Phase.Deload, deload.Phase);
        Assert.InRange(deload.Summary.RunMinutes / (double)build.Summary.RunMinutes, 0.5, 0.7);
        Assert.InRange(deload.Summary.SetsByMuscle["quads"] / build.Summary.SetsByMuscle["quads"], 0.5, 0.7);
        var reps = (double)Of(deload, "hill-sprints").Single().Blocks[1].Repeats!.Value / Of(build, "hill-sprints").Single().Blocks[1].Repeats!.Value;
        Assert.InRange(reps, 0.5, 0.7);
        Assert.Equal(build.Summary.StrengthSessions, deload.Summary.StrengthSessions);
    }

    [Fact]
    public void P1DeloadKeepsEverySessionAndShortensEachOneTheLongRunIncluded()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Muscle).Running(Experience.Intermediate, 70).Strength(Experience.Advanced)
            .Days(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday)
            .LongRun(IsoDayOfWeek.Saturday).MaxMinutes(75).WithEquipment(Equipment.Gym, Equipment.Dumbbells).Build();

        var plans = Simulation.Run(profile, 4);
        var (build, deload) = (plans[2], plans[3]);

        Assert.Equal(Phase.Deload, deload.Phase);
        Assert.Equal(Counts(build), Counts(deload));
        Assert.True(Longest(deload, "long-run") < Longest(build, "long-run"), $"{Longest(deload, "long-run")} against {Longest(build, "long-run")}");
        foreach (var type in build.Sessions.Where(s => s.Kind != SessionKind.Rest).Select(s => s.Type).Distinct())
        {
            Assert.True(Longest(deload, type) < Longest(build, type), $"{type}: {Longest(deload, type)} against {Longest(build, type)}");
        }

        static string Counts(WeekPlan plan) => string.Join(",", plan.Sessions.GroupBy(s => s.Type).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}"));
        static int Longest(WeekPlan plan, string type) => plan.Sessions.Where(s => s.Type == type).Max(s => s.DurationMinutes);
    }

    private static Func<WeekPlan, IReadOnlyList<SessionLog>> Logs(Func<Session, int, SessionLog?> log) =>
        plan => plan.Sessions.Where(s => s.Kind != SessionKind.Rest).Select((s, i) => log(s, i)).OfType<SessionLog>().ToArray();

    [Fact]
    public void P2CompletionUnderSeventyPercentHoldsTheLoad()
    {
        var profile = new ProfileBuilder().Build();
        var plans = Simulation.Run(profile, 2, Logs((s, i) => new SessionLog { SessionId = s.Id, Status = i % 2 == 0 ? SessionStatus.Completed : SessionStatus.Skipped }));

        Assert.Equal(Adjustment.Hold, plans[1].Adjustment);
        Assert.True(plans[1].Summary.RunMinutes <= plans[0].Summary.RunMinutes);
    }

    [Fact]
    public void P2RpeWellAboveTargetHoldsTheLoad()
    {
        var plans = Simulation.Run(new ProfileBuilder().Build(), 2, Logs((s, _) => new SessionLog { SessionId = s.Id, Status = SessionStatus.Completed, Rpe = Math.Min(10, s.Intensity.Rpe + 3) }));

        Assert.Equal(Adjustment.Hold, plans[1].Adjustment);
        Assert.Contains("harder than planned", plans[1].AdjustmentReason, StringComparison.Ordinal);
    }

    [Fact]
    public void P2ThreeMissedInARowTriggersAGentleReentryWeek()
    {
        var plans = Simulation.Run(new ProfileBuilder().Build(), 2, Logs((s, i) => new SessionLog { SessionId = s.Id, Status = i < 3 ? SessionStatus.Skipped : SessionStatus.Completed }));

        Assert.Equal(Adjustment.Reentry, plans[1].Adjustment);
        Assert.Equal(0, plans[1].Summary.HardRunSessions);
        Assert.True(plans[1].Summary.RunMinutes < plans[0].Summary.RunMinutes * 0.7);
    }

    [Fact]
    public void P2NoLogsAtAllProgressAsIfCompletedAtTarget()
    {
        var plans = Simulation.Run(new ProfileBuilder().Build(), 2);

        Assert.Equal(Adjustment.Progress, plans[1].Adjustment);
        Assert.True(plans[1].Summary.RunMinutes > plans[0].Summary.RunMinutes);
    }

    [Fact]
    public void P4StrengthLoggedAndRunsUnloggedStillProgresses()
    {
        var plans = Simulation.Run(new ProfileBuilder().Build(), 2, Simulation.Logger(LogMode.RunsUnlogged));

        Assert.Equal(Adjustment.Progress, plans[1].Adjustment);
        Assert.True(plans[1].Summary.RunMinutes > plans[0].Summary.RunMinutes);
    }

    [Fact]
    public void P4OnlySkippedAndPartialLogsCountAgainstCompletion()
    {
        // Two sessions logged, one skipped: the rest are unknown, so 1 of 6 missed, not 5 of 6.
        var plans = Simulation.Run(new ProfileBuilder().Build(), 2, Logs((s, i) => i switch
        {
            0 => new SessionLog { SessionId = s.Id, Status = SessionStatus.Completed },
            1 => new SessionLog { SessionId = s.Id, Status = SessionStatus.Skipped },
            _ => null,
        }));

        Assert.Equal(Adjustment.Progress, plans[1].Adjustment);
    }

    [Fact]
    public void PartialFirstWeekPlansOnlyTheRemainingDays()
    {
        var profile = new ProfileBuilder().Build();
        var thursday = Simulation.FirstWeek.Date(IsoDayOfWeek.Thursday);

        var plan = PlanGenerator.Generate(Simulation.Request(profile, Simulation.FirstWeek, null, []) with { StartDate = thursday });

        Assert.NotEmpty(plan.Sessions);
        Assert.All(plan.Sessions, s => Assert.True(s.Date >= thursday));
        Assert.Equal("s1", plan.Sessions[0].Id);
    }
}
