using RunStrength.Planning;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;

namespace RunStrength.Samples;

/// <summary>The four personas the training documentation shows, and their first weeks.</summary>
public static class Personas
{
    public static readonly IsoWeek FirstWeek = new(2026, 49);
    public static readonly DateTimeOffset GeneratedAt = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

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
            AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday],
            LongRunDay = IsoDayOfWeek.Sunday, MaxSessionMinutes = 120, WeeklyRunMinutes = 360,
            Equipment = [Equipment.Dumbbells], Terrain = [Terrain.Hills, Terrain.Flat, Terrain.Trail], BirthYear = 1985, TimeZone = "Australia/Sydney",
        }),
        ("Beginner aged 65", new Profile
        {
            Goal = Goal.Balanced, RunningExperience = Experience.Beginner, StrengthExperience = Experience.None,
            AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday],
            LongRunDay = IsoDayOfWeek.Saturday, MaxSessionMinutes = 45, WeeklyRunMinutes = 50,
            Equipment = [Equipment.Bodyweight], Terrain = [Terrain.Flat, Terrain.Stairs], BirthYear = 1961, TimeZone = "Europe/London",
        }),
    ];

    /// <summary>Weeks 1..count, each built from the one before with no logs (the user did not log).</summary>
    public static IReadOnlyList<WeekPlan> Weeks(Profile profile, int count)
    {
        var plans = new List<WeekPlan>(count);
        WeekPlan? previous = null;
        for (var i = 0; i < count; i++)
        {
            previous = PlanGenerator.Generate(new PlanRequest
            {
                Profile = profile,
                ProfileVersion = 1,
                Week = FirstWeek.Plus(i),
                GeneratedAt = GeneratedAt,
                Previous = previous,
            });
            plans.Add(previous);
        }

        return plans;
    }
}
