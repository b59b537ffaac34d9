using BenchmarkDotNet.Attributes;
using NodaTime;
using RunStrength.Planning;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;

namespace RunStrength.Benchmarks;

/// <summary>
/// Generating one week for a user, the unit of work of the weekly run. The baseline builds a week
/// with no history; the others progress from last week's plan and its logs.
/// </summary>
[MemoryDiagnoser]
public class PlanGenerationBenchmarks
{
    private PlanRequest _first = null!;
    private PlanRequest _progressing = null!;
    private PlanRequest _logged = null!;

    [GlobalSetup]
    public void Setup()
    {
        var profile = new Profile
        {
            Goal = Goal.Balanced,
            RunningExperience = Experience.Intermediate,
            StrengthExperience = Experience.Intermediate,
            AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday],
            LongRunDay = IsoDayOfWeek.Sunday,
            MaxSessionMinutes = 75,
            WeeklyRunMinutes = 150,
            Equipment = [Equipment.Gym],
            Terrain = [Terrain.Hills],
            BirthYear = 1988,
            TimeZone = "Europe/Amsterdam",
        };
        var week = new IsoWeek(2026, 49);
        var at = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
        _first = new PlanRequest { Profile = profile, ProfileVersion = 1, Week = week, GeneratedAt = at };
        var previous = PlanGenerator.Generate(_first);
        _progressing = _first with { Week = week.Next(), Previous = previous };
        var logs = previous.Sessions.Where(s => s.Kind != SessionKind.Rest).Select(s => new SessionLog
        {
            SessionId = s.Id,
            Status = SessionStatus.Completed,
            Rpe = s.Intensity.Rpe,
            Exercises = s.Exercises.Select(e => new ExerciseLog(e.Id, Enumerable.Repeat(new SetLog(e.RepsMax, e.TargetRir), e.Sets).ToArray())).ToArray(),
        }).ToArray();
        _logged = _progressing with { PreviousLogs = logs };
    }

    [Benchmark(Baseline = true)]
    public WeekPlan FirstWeek() => PlanGenerator.Generate(_first);

    [Benchmark]
    public WeekPlan NextWeekWithoutLogs() => PlanGenerator.Generate(_progressing);

    [Benchmark]
    public WeekPlan NextWeekWithLoggedSets() => PlanGenerator.Generate(_logged);
}
