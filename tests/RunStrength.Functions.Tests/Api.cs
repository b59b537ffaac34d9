using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using RunStrength.Functions.Account;
using RunStrength.Functions.Calendar;
using RunStrength.Functions.Logs;
using RunStrength.Functions.Plans;
using RunStrength.Functions.Profiles;
using RunStrength.Functions.Scheduling;
using RunStrength.Planning;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Storage;

namespace RunStrength.Functions.Tests;

/// <summary>The function classes wired to NSubstitute stores and a fake clock: Wednesday 2 December 2026, 10:00 UTC.</summary>
public sealed class Api
{
    public static readonly IsoWeek ThisWeek = new(2026, 49);

    public IProfileStore Profiles { get; } = Substitute.For<IProfileStore>();
    public IPlanStore Plans { get; } = Substitute.For<IPlanStore>();
    public ISessionLogStore Logs { get; } = Substitute.For<ISessionLogStore>();
    public ICalendarTokenStore Tokens { get; } = Substitute.For<ICalendarTokenStore>();
    public IUserEraser Eraser { get; } = Substitute.For<IUserEraser>();
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));

    public Api()
    {
        Plans.WriteUsersAsync(default!, default).ReturnsForAnyArgs(ShardWrite.Empty);
        Plans.RescheduleAsync(default!, default!, default, default, default).ReturnsForAnyArgs(ShardWrite.Empty);
    }

    public ProfileFunctions ProfileFunctions => new(TestHttp.Authenticator(), Profiles, new WeekPlanner(Plans, Logs, Clock, Options.Create(new WeeklyPlanOptions())), Clock, NullLogger<ProfileFunctions>.Instance);
    public PlanFunctions PlanFunctions => new(TestHttp.Authenticator(), Profiles, Plans, Clock, Options.Create(new WeeklyPlanOptions()), Cursor);

    /// <summary>Continuation tokens signed with a key of the tests' own.</summary>
    public static PlanCursor Cursor { get; } = new(Options.Create(new CursorOptions { SecretKey = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray()) }));
    public SessionLogFunctions LogFunctions => new(TestHttp.Authenticator(), Plans, Logs);
    public CalendarFunctions CalendarFunctions => new(TestHttp.Authenticator(), Tokens, Profiles, Plans, Clock, Options.Create(new CalendarOptions()));
    public AccountFunctions AccountFunctions => new(TestHttp.Authenticator(), Eraser, NullLogger<AccountFunctions>.Instance);

    public static Profile Profile(string timeZone = "Europe/Amsterdam") => new()
    {
        Goal = Goal.Balanced,
        RunningExperience = Experience.Intermediate,
        StrengthExperience = Experience.Beginner,
        AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday, IsoDayOfWeek.Sunday],
        LongRunDay = IsoDayOfWeek.Sunday,
        MaxSessionMinutes = 60,
        WeeklyRunMinutes = 120,
        Equipment = [Equipment.Gym],
        Terrain = [Terrain.Hills],
        BirthYear = 1990,
        TimeZone = timeZone,
    };

    public const string ProfileBody = """
        { "goal": "balanced", "runningExperience": "intermediate", "strengthExperience": "beginner",
          "availableDays": ["mon", "wed", "fri", "sun"], "longRunDay": "sun", "maxSessionMinutes": 60,
          "weeklyRunMinutes": 120, "equipment": ["gym"], "terrain": ["hills"], "birthYear": 1990,
          "timeZone": "Europe/Amsterdam", "units": "metric" }
        """;

    public static StoredProfile Stored(string userId, Profile? profile = null, long version = 1) =>
        new(userId, UserKey.For(userId), profile ?? Profile(), version, DateTimeOffset.UnixEpoch, $"W/\"storage-{version}\"");

    public static WeekPlan Plan(IsoWeek week, Profile? profile = null) => PlanGenerator.Generate(new PlanRequest
    {
        Profile = profile ?? Profile(),
        ProfileVersion = 1,
        Week = week,
        GeneratedAt = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero),
    });

    /// <summary>Makes the store hold one profile for <paramref name="userId"/>.</summary>
    public Api WithProfile(string userId, long version = 1, Profile? profile = null)
    {
        Profiles.GetAsync(userId, Arg.Any<CancellationToken>()).Returns(Stored(userId, profile, version));
        return this;
    }

    public Api WithPlan(string userId, IsoWeek week)
    {
        Plans.GetAsync(userId, week, Arg.Any<CancellationToken>()).Returns(Plan(week));
        return this;
    }
}
