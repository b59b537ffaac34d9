using RunStrength.Planning;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;

namespace RunStrength.Storage.Tests;

internal static class TestData
{
    public static readonly IsoWeek Week = new(2026, 49);

    /// <summary>User ids as tokens may carry them: key-forbidden characters, spaces, unicode, very long.</summary>
    public static readonly string[] OddUserIds =
    [
        "auth0|a/b\\c#d?e%f",
        "user with spaces",
        "ünïcødé 用户 🏃",
        new string('x', 250),
        "tab\tand\u0001control",
        "'; DROP TABLE profiles; --",
        "PartitionKey eq 'x'",
    ];

    public static Profile Profile(Goal goal = Goal.Balanced) => new()
    {
        Goal = goal,
        RunningExperience = Experience.Intermediate,
        StrengthExperience = Experience.Beginner,
        AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday, IsoDayOfWeek.Sunday],
        LongRunDay = IsoDayOfWeek.Sunday,
        MaxSessionMinutes = 60,
        WeeklyRunMinutes = 120,
        Equipment = [Equipment.Dumbbells],
        Terrain = [Terrain.Hills],
        BirthYear = 1990,
        TimeZone = "Europe/Amsterdam",
    };

    private static readonly WeekPlan Template = PlanGenerator.Generate(new PlanRequest
    {
        Profile = Profile(),
        ProfileVersion = 1,
        Week = Week,
        GeneratedAt = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero),
    });

    public static WeekPlan Plan(IsoWeek week, long profileVersion = 1) =>
        Template with { Week = week.ToString(), WeekStart = week.Monday, ProfileVersion = profileVersion };

    /// <summary>A user id whose shard is <paramref name="shard"/>, for tests that need users side by side.</summary>
    public static string UserInShard(string shard, int index)
    {
        for (var i = 0; ; i++)
        {
            var id = $"user-{index}-{i}";
            if (UserKey.For(id).Shard == shard)
            {
                return id;
            }
        }
    }
}
