using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RunStrength.Functions.Scheduling;
using RunStrength.Planning.Profiles;
using RunStrength.Storage;
using RunStrength.Testing;

namespace RunStrength.Functions.Tests.Scheduling;

/// <summary>The real stores on Azurite (tables unique to the test class) and a runner on a fake clock.</summary>
[Collection(AzuriteGroup.Name)]
public abstract class RunnerTest : IAsyncLifetime
{
    public static readonly string[] Zones =
    [
        "Pacific/Honolulu", "America/Los_Angeles", "America/Denver", "America/New_York", "America/Sao_Paulo", "UTC",
        "Europe/London", "Europe/Amsterdam", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "Pacific/Kiritimati",
    ];

    /// <summary>Saturday 5 December 2026, 12:00 UTC: every zone's week 2026-W50 starts within 48 hours.</summary>
    public static readonly DateTimeOffset Saturday = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    protected RunnerTest(AzuriteFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = fixture.Azurite.ConnectionString,
            ["Storage:TablePrefix"] = "r" + Guid.NewGuid().ToString("N")[..12],
        }).Build();
        _services = new ServiceCollection().AddRunStrengthStorage(configuration).BuildServiceProvider();
    }

    protected FakeTimeProvider Clock { get; private set; } = new(Saturday);

    /// <summary>Starts the fake clock at another instant (a fake clock only moves forward).</summary>
    protected void StartClockAt(DateTimeOffset now) => Clock = new FakeTimeProvider(now);
    protected IProfileStore Profiles => _services.GetRequiredService<IProfileStore>();
    protected IPlanStore Plans => _services.GetRequiredService<IPlanStore>();
    protected ISessionLogStore Logs => _services.GetRequiredService<ISessionLogStore>();
    protected IRunCheckpointStore Runs => _services.GetRequiredService<IRunCheckpointStore>();
    protected Tables Tables => _services.GetRequiredService<Tables>();

    protected WeeklyPlanRunner Runner(IPlanStore? plans = null) =>
        new(Profiles, plans ?? Plans, Logs, Runs, Clock, Options.Create(new WeeklyPlanOptions()), NullLogger<WeeklyPlanRunner>.Instance);

    protected Task<WeeklyRunSummary> TickAsync(IPlanStore? plans = null, string? runId = null, CancellationToken cancellationToken = default) =>
        Runner(plans).RunAsync(runId ?? WeeklyPlanTimer.RunId(Clock.GetUtcNow()), cancellationToken);

    public static Profile Profile(string zone, int variant = 0) => new()
    {
        Goal = (Goal)(variant % 3),
        RunningExperience = (Experience)(variant % 4),
        StrengthExperience = (Experience)((variant / 4) % 4),
        AvailableDays = variant % 2 == 0
            ? [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday, IsoDayOfWeek.Sunday]
            : [IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday],
        MaxSessionMinutes = 45 + (variant % 4 * 10),
        WeeklyRunMinutes = variant % 4 == 0 ? 0 : 60 + (variant % 5 * 20),
        Equipment = [(Equipment)(variant % 4)],
        Terrain = variant % 3 == 0 ? [Terrain.Flat] : [Terrain.Hills],
        BirthYear = 1950 + (variant % 60),
        TimeZone = zone,
    };

    protected async Task<List<string>> CreateUsersAsync(int count, int perZone = 0)
    {
        var users = Enumerable.Range(0, count).Select(i => $"user-{i}@example.test").ToList();
        await Parallel.ForEachAsync(users.Select((u, i) => (u, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, ct) =>
        {
            var zone = Zones[(perZone > 0 ? user.i / perZone : user.i) % Zones.Length];
            await Profiles.CreateAsync(user.u, Profile(zone, user.i), ct);
        });
        return users;
    }

    /// <summary>Plan rows (not markers) per user key, read straight from the table.</summary>
    protected async Task<Dictionary<string, List<string>>> PlanRowsAsync()
    {
        var table = await Tables.GetAsync(Tables.Plans);
        var rows = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(select: ["RowKey", "Week"]))
        {
            if (!row.RowKey.StartsWith('~'))
            {
                var user = row.RowKey[..64];
                (rows.TryGetValue(user, out var weeks) ? weeks : rows[user] = []).Add(row.GetString("Week"));
            }
        }

        return rows;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Tables.DeleteAllAsync();
        await _services.DisposeAsync();
    }
}
