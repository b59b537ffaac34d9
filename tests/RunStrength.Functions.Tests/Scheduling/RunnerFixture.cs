using Azure.Core;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    /// <param name="queues">Azurite's queue service, for the tests of the fan-out; the other tests never touch a queue.</param>
    protected RunnerTest(AzuriteFixture fixture, AzuriteQueues? queues = null)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var prefix = "r" + Guid.NewGuid().ToString("N")[..12];
        ConnectionString = fixture.Azurite.ConnectionString + queues?.Endpoint;
        QueuePrefix = prefix + "-";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = ConnectionString,
            ["Storage:TablePrefix"] = prefix,
            ["Storage:QueuePrefix"] = QueuePrefix,
        }).Build();
        var services = new ServiceCollection().AddRunStrengthStorage(configuration);
        services.AddAzureClients(clients => clients.ConfigureDefaults(options => options.AddPolicy(Operations, HttpPipelinePosition.PerCall)));
        _services = services.BuildServiceProvider();
    }

    /// <summary>The storage account of this test class (tables, and queues when it has them).</summary>
    protected string ConnectionString { get; }

    /// <summary>Prefix of this test class's queue names.</summary>
    protected string QueuePrefix { get; }

    /// <summary>Entity operations of every store call, counted on the wire.</summary>
    protected EntityOperations Operations { get; } = new();

    /// <summary>The weekly run's settings for this test; tests change them before building a runner.</summary>
    protected WeeklyPlanOptions Settings { get; } = new();

    protected FakeTimeProvider Clock { get; private set; } = new(Saturday);

    /// <summary>Starts the fake clock at another instant (a fake clock only moves forward).</summary>
    protected void StartClockAt(DateTimeOffset now) => Clock = new FakeTimeProvider(now);
    protected IProfileStore Profiles => _services.GetRequiredService<IProfileStore>();
    protected IPlanStore Plans => _services.GetRequiredService<IPlanStore>();
    protected ISessionLogStore Logs => _services.GetRequiredService<ISessionLogStore>();
    protected IRunCheckpointStore Runs => _services.GetRequiredService<IRunCheckpointStore>();
    protected Tables Tables => _services.GetRequiredService<Tables>();

    protected IPlanBuildSender Sender => _services.GetRequiredService<IPlanBuildSender>();

    protected IPlanReadyOutbox Outbox => _services.GetRequiredService<IPlanReadyOutbox>();

    protected IChannelStore Channels => _services.GetRequiredService<IChannelStore>();

    protected IUserEraser Eraser => _services.GetRequiredService<IUserEraser>();

    protected WeeklyPlanRunner Runner(IPlanStore? plans = null) =>
        new(Profiles, plans ?? Plans, Logs, Runs, Sender, Clock, Options.Create(Settings), NullLogger<WeeklyPlanRunner>.Instance);

    protected DueShardBuilder ShardBuilder(IPlanStore? plans = null) =>
        new(Profiles, plans ?? Plans, Logs, Clock, Options.Create(Settings), NullLogger<DueShardBuilder>.Instance);

    protected DuePlanTick DueTick(IPlanStore? plans = null) =>
        new(plans ?? Plans, ShardBuilder(plans), Sender, Runs, Clock, Options.Create(Settings), NullLogger<DuePlanTick>.Instance);

    protected WeeklyPlanTimer Timer(ILogger<WeeklyPlanTimer>? logger = null) =>
        new(Runner(), DueTick(), Clock, Options.Create(Settings), logger ?? NullLogger<WeeklyPlanTimer>.Instance);

    /// <summary>One hourly tick of the due index, as the timer runs it outside the reconcile hour.</summary>
    protected Task<WeeklyRunSummary> DueTickAsync(IPlanStore? plans = null) =>
        DueTick(plans).RunAsync(WeeklyPlanTimer.RunId(Clock.GetUtcNow()) + "-due", default);

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
            if (!row.RowKey.StartsWith('~') && !row.RowKey.StartsWith('!'))
            {
                var user = row.RowKey[..64];
                (rows.TryGetValue(user, out var weeks) ? weeks : rows[user] = []).Add(row.GetString("Week"));
            }
        }

        return rows;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        await Tables.DeleteAllAsync();
        await _services.DisposeAsync();
    }
}
