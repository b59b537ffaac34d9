using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Simulation;

namespace RunStrength.Cli;

/// <summary>The nine personas the training documentation shows, and their simulated weeks.</summary>
public static class Personas
{
    public static readonly IsoWeek FirstWeek = new(2026, 49);

    /// <summary>How the personas log: every session as planned, as <c>simulate --logs done</c> does.</summary>
    public const LogMode Logging = LogMode.Done;

    private static readonly IsoDayOfWeek[] EveryDay =
        [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday];

    public static IReadOnlyList<(string Name, Profile Profile)> All { get; } =
    [
        ("Untrained, wants muscle", new Profile
        {
            Goal = Goal.Muscle, RunningExperience = Experience.None, StrengthExperience = Experience.None,
            AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday],
            LongRunDay = null, MaxSessionMinutes = 60, WeeklyRunMinutes = 0,
            Equipment = [Equipment.Gym], Terrain = [Terrain.Flat], BirthYear = 1996, TimeZone = "Europe/Amsterdam",
        }),
        ("Trained lifter with hill access", new Profile
        {
            Goal = Goal.Muscle, RunningExperience = Experience.Intermediate, StrengthExperience = Experience.Advanced,
            AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday],
            LongRunDay = IsoDayOfWeek.Saturday, MaxSessionMinutes = 75, WeeklyRunMinutes = 70,
            Equipment = [Equipment.Gym, Equipment.Dumbbells], Terrain = [Terrain.Hills, Terrain.Flat], BirthYear = 1990, TimeZone = "America/Denver",
        }),
        ("Advanced endurance runner", new Profile
        {
            Goal = Goal.Endurance, RunningExperience = Experience.Advanced, StrengthExperience = Experience.Beginner,
            AvailableDays = EveryDay,
            LongRunDay = IsoDayOfWeek.Sunday, MaxSessionMinutes = 120, WeeklyRunMinutes = 360,
            Equipment = [Equipment.Dumbbells], Terrain = [Terrain.Hills, Terrain.Flat, Terrain.Trail], BirthYear = 1985, TimeZone = "Australia/Sydney",
        }),
        ("Beginner aged 65 who never lifted", new Profile
        {
            Goal = Goal.Balanced, RunningExperience = Experience.Beginner, StrengthExperience = Experience.None,
            AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday],
            LongRunDay = IsoDayOfWeek.Saturday, MaxSessionMinutes = 45, WeeklyRunMinutes = 50,
            Equipment = [Equipment.Bodyweight], Terrain = [Terrain.Flat, Terrain.Stairs], BirthYear = 1961, TimeZone = "Europe/London",
        }),
        ("Advanced lifter who does not run", new Profile
        {
            Goal = Goal.Muscle, RunningExperience = Experience.None, StrengthExperience = Experience.Advanced,
            AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday],
            LongRunDay = null, MaxSessionMinutes = 90, WeeklyRunMinutes = 0,
            Equipment = [Equipment.Gym, Equipment.Dumbbells], Terrain = [Terrain.Flat], BirthYear = 1992, TimeZone = "Europe/Berlin",
        }),
        ("Endurance runner with bodyweight only", new Profile
        {
            Goal = Goal.Endurance, RunningExperience = Experience.Intermediate, StrengthExperience = Experience.Beginner,
            AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday],
            LongRunDay = IsoDayOfWeek.Sunday, MaxSessionMinutes = 90, WeeklyRunMinutes = 180,
            Equipment = [Equipment.Bodyweight], Terrain = [Terrain.Flat, Terrain.Trail], BirthYear = 1994, TimeZone = "America/New_York",
        }),
        ("Balanced, aged 45, three days", new Profile
        {
            Goal = Goal.Balanced, RunningExperience = Experience.Beginner, StrengthExperience = Experience.Intermediate,
            AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Saturday],
            LongRunDay = IsoDayOfWeek.Saturday, MaxSessionMinutes = 60, WeeklyRunMinutes = 60,
            Equipment = [Equipment.Dumbbells, Equipment.Kettlebell], Terrain = [Terrain.Hills, Terrain.Flat], BirthYear = 1981, TimeZone = "Europe/Madrid",
        }),
        ("Runner aged 70 who never lifted", new Profile
        {
            Goal = Goal.Endurance, RunningExperience = Experience.Intermediate, StrengthExperience = Experience.None,
            AvailableDays = [IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday],
            LongRunDay = IsoDayOfWeek.Sunday, MaxSessionMinutes = 60, WeeklyRunMinutes = 120,
            Equipment = [Equipment.Dumbbells, Equipment.Bodyweight], Terrain = [Terrain.Hills, Terrain.Flat], BirthYear = 1956, TimeZone = "America/Chicago",
        }),
        ("Half marathon in ten weeks, 10 km in 50:00", new Profile
        {
            Goal = Goal.Endurance, RunningExperience = Experience.Intermediate, StrengthExperience = Experience.Intermediate,
            AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday],
            LongRunDay = IsoDayOfWeek.Sunday, MaxSessionMinutes = 120, WeeklyRunMinutes = 180,
            Equipment = [Equipment.Gym], Terrain = [Terrain.Flat], BirthYear = 1989, TimeZone = "Europe/Amsterdam",
            RecentRace = new RaceResult(10, TimeSpan.FromMinutes(50), new LocalDate(2026, 10, 11)),
            MaxHeartRate = 188, RestingHeartRate = 52,
            // The Sunday of week 11: weeks 1-12 show build, peak, taper, race week and recovery.
            Race = new RaceGoal(FirstWeek.Monday.PlusWeeks(10).PlusDays(6), 21.0975, "City half"),
        }),
    ];

    /// <summary>Weeks 1..count from <see cref="FirstWeek"/>, each built on the one before and its <see cref="Logging"/> logs.</summary>
    public static IReadOnlyList<WeekPlan> Weeks(Profile profile, int count) =>
        PlanSimulator.Run(profile, FirstWeek, count, Logging);
}
