using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Serialization;
using RunStrength.Planning.Targets;

namespace RunStrength.Planning.Tests;

/// <summary>Z1, Z2, L1-L3 as they reach a plan: targets on every run block, loads on every lift.</summary>
public sealed class TargetsInPlanTests
{
    private static Profile Runner(Profile? with = null) => with ?? new ProfileBuilder().ForGoal(Goal.Endurance).Running(Experience.Advanced, 240).Build() with
    {
        RecentRace = new RaceResult(10, TimeSpan.FromMinutes(50), new LocalDate(2026, 10, 18)),
        MaxHeartRate = 190,
        RestingHeartRate = 50,
        AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday],
        LongRunDay = IsoDayOfWeek.Sunday,
        MaxSessionMinutes = 90,
    };

    [Fact]
    public void Z1EveryRunBlockCarriesItsZoneWithPaceAndHeartRateFromTheProfile()
    {
        var plans = Simulation.Run(Runner(), 3);
        var runBlocks = plans.SelectMany(p => p.Sessions).Where(s => s.Kind == SessionKind.Run).SelectMany(s => s.Blocks.Select(b => (s, b))).ToArray();

        Assert.NotEmpty(runBlocks);
        Assert.All(runBlocks, x => Assert.NotNull(x.b.Target));
        var easy = runBlocks.First(x => x.s.Type == "long-run").b.Target!;
        Assert.Equal(RunZone.Easy, easy.Zone);
        Assert.Equal(new Band(351, 404), easy.PaceSecPerKm);
        Assert.Equal(new Band(134, 148), easy.HeartRateBpm);
        Assert.All(runBlocks.Where(x => x.s.Type == "hill-sprints" && x.b.Name == "main"), x => Assert.Equal((RunZone.Sprint, (Band?)null), (x.b.Target!.Zone, x.b.Target.PaceSecPerKm)));
        Assert.Contains(runBlocks, x => x.b.Target!.Zone is RunZone.Interval or RunZone.Tempo or RunZone.Sprint);
        Assert.All(plans.SelectMany(p => p.Sessions).Where(s => s.Kind != SessionKind.Run).SelectMany(s => s.Blocks), b => Assert.Null(b.Target));
    }

    [Fact]
    public void Z2WithoutNumbersARunBlockStillNamesItsZoneAndAnEstimatedHeartRate()
    {
        var plan = Simulation.First(new ProfileBuilder().ForGoal(Goal.Endurance).Build());
        var target = plan.Sessions.First(s => s.IsLongRun).Blocks.First(b => b.Name == "main").Target!;

        Assert.Null(target.PaceSecPerKm);
        Assert.NotNull(target.HeartRateBpm);
        var json = PlanJson.Serialize(plan);
        Assert.Contains("\"target\":{\"zone\":\"easy\",\"heartRateBpm\":{\"min\":", json, StringComparison.Ordinal);
    }

    [Fact]
    public void L2SetsLoggedAtTheTopOfTheRangeAtSixtyKgAddLoadInPlateSteps()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Muscle).Strength(Experience.Intermediate).Build();
        var first = Simulation.First(profile);
        var lift = first.Sessions.SelectMany(s => s.Exercises).First(e => e.Equipment == Equipment.Gym && e.Pattern == MovementPattern.Squat);
        var logs = first.Sessions.Where(s => s.Exercises.Contains(lift)).Select(s => new SessionLog
        {
            SessionId = s.Id,
            Status = SessionStatus.Completed,
            Exercises = [new ExerciseLog(lift.Id, [.. Enumerable.Repeat(new SetLog(lift.RepsMax, lift.TargetRir, 60m), lift.Sets)])],
        }).Take(1).ToArray();

        var next = PlanGenerator.Generate(Simulation.Request(profile, Simulation.FirstWeek.Next(), first, logs));
        var progressed = next.Sessions.SelectMany(s => s.Exercises).First(e => e.Id == lift.Id);

        Assert.Null(lift.LoadKg);
        Assert.Contains("more time", lift.LoadNote, StringComparison.Ordinal);
        Assert.Equal(LoadAction.AddLoad, progressed.Progression);
        Assert.Equal(62.5, progressed.LoadKg);
        Assert.Equal("62.5 kg", progressed.Load);
        Assert.Null(progressed.LoadNote);
        Assert.Equal(0, progressed.LoadKg!.Value % 2.5, 9);
    }

    [Fact]
    public void L3ImperialLoadsAreWrittenInPoundsAndSurviveStorage()
    {
        var profile = new ProfileBuilder().ForGoal(Goal.Muscle).Strength(Experience.Intermediate).Build() with { Units = Units.Imperial };
        var plans = Simulation.Run(profile, 3, Simulation.Logger(RunStrength.Planning.Simulation.LogMode.Done));
        var loaded = plans[2].Sessions.SelectMany(s => s.Exercises).First(e => e.LoadKg is not null && e.Equipment == Equipment.Gym);

        Assert.EndsWith(" lb", loaded.Load, StringComparison.Ordinal);
        Assert.Equal(0, Math.Round(loaded.LoadKg!.Value / Loads.KgPerLb, 1) % 5, 6);
        var read = PlanJson.Deserialize<WeekPlan>(PlanJson.Serialize(plans[2]));
        Assert.Equal(PlanJson.Serialize(plans[2]), PlanJson.Serialize(read));
    }

    [Fact]
    public void T6BodyweightWorkNeverCarriesALoadOrACalibration()
    {
        var plans = Simulation.Run(new ProfileBuilder().Build() with { Equipment = [Equipment.Bodyweight] }, 3, Simulation.Logger(RunStrength.Planning.Simulation.LogMode.Done));

        Assert.All(plans.SelectMany(p => p.Sessions).SelectMany(s => s.Exercises), e => Assert.Equal((null, null, null), (e.LoadKg, e.Load, e.LoadNote)));
    }
}
