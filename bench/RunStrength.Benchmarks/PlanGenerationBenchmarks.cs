using BenchmarkDotNet.Attributes;
using NodaTime;
using RunStrength.Planning;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;

namespace RunStrength.Benchmarks;

/// <summary>
/// Generating one week for a user, the unit of work of the weekly run. The baseline builds a week
/// with no history; the others progress from last week's plan and its logs, two of them for a
/// person training for a half marathon (a taper week, and race week with its race session).
/// </summary>
[MemoryDiagnoser]
public class PlanGenerationBenchmarks
{
    private PlanRequest _first = null!;
    private PlanRequest _progressing = null!;
    private PlanRequest _logged = null!;
    private PlanRequest _taper = null!;
    private PlanRequest _race = null!;

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

        // The race is the Sunday of 2026-W52: W50 and W51 taper, W52 is race week.
        var racing = profile with { Race = new RaceGoal(new LocalDate(2026, 12, 27), 21.0975, "City half"), ThresholdPaceSecPerKm = 290 };
        var peak = PlanGenerator.Generate(_first with { Profile = racing });
        _taper = _first with { Profile = racing, Week = week.Next(), Previous = peak, PreviousLogs = Done(peak) };
        var taper = PlanGenerator.Generate(_taper);
        var taper2 = PlanGenerator.Generate(_taper with { Week = week.Next().Next(), Previous = taper, PreviousLogs = Done(taper) });
        _race = _taper with { Week = week.Next().Next().Next(), Previous = taper2, PreviousLogs = Done(taper2) };
    }

    private static SessionLog[] Done(WeekPlan plan) => plan.Sessions.Where(s => s.Kind != SessionKind.Rest).Select(s => new SessionLog
    {
        SessionId = s.Id,
        Status = SessionStatus.Completed,
        Rpe = s.Intensity.Rpe,
        Exercises = s.Exercises.Select(e => new ExerciseLog(e.Id, Enumerable.Repeat(new SetLog(e.RepsMax, e.TargetRir), e.Sets).ToArray())).ToArray(),
    }).ToArray();

    [Benchmark(Baseline = true)]
    public WeekPlan FirstWeek() => PlanGenerator.Generate(_first);

    [Benchmark]
    public WeekPlan NextWeekWithoutLogs() => PlanGenerator.Generate(_progressing);

    [Benchmark]
    public WeekPlan NextWeekWithLoggedSets() => PlanGenerator.Generate(_logged);

    [Benchmark]
    public WeekPlan TaperWeekWithLoggedSets() => PlanGenerator.Generate(_taper);

    [Benchmark]
    public WeekPlan RaceWeekWithLoggedSets() => PlanGenerator.Generate(_race);
}
