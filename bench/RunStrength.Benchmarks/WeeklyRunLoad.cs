using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using RunStrength.Functions.Scheduling;
using RunStrength.Planning.Profiles;
using RunStrength.Storage;
using RunStrength.Testing;

namespace RunStrength.Benchmarks;

/// <summary>
/// Load run: the weekly reconciler over N users in 12 time zones on a local Azurite, at a moment
/// when every user's next week is due (each gets this week and next week), then a second tick
/// with nothing to do. Usage: <c>dotnet run -c Release --project bench/RunStrength.Benchmarks -- weekly [users] [shards at once]</c>.
/// </summary>
public static class WeeklyRunLoad
{
    private static readonly string[] Zones =
    [
        "Pacific/Honolulu", "America/Los_Angeles", "America/Denver", "America/New_York", "America/Sao_Paulo", "UTC",
        "Europe/London", "Europe/Amsterdam", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "Pacific/Kiritimati",
    ];

    public static async Task RunAsync(int users, int concurrency)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
        }).Build();
        await using var services = new ServiceCollection().AddRunStrengthStorage(configuration).BuildServiceProvider();
        var profiles = services.GetRequiredService<IProfileStore>();

        var seed = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await profiles.CreateAsync($"load-user-{i}", Profile(i), ct));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {users} profiles in {seed.Elapsed.TotalSeconds:0.0} s"));

        // Saturday 12:00 UTC: every zone's next week is due, so each user gets this week and next.
        var clock = new FixedNow(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        var runner = new WeeklyPlanRunner(profiles, services.GetRequiredService<IPlanStore>(), services.GetRequiredService<ISessionLogStore>(),
            services.GetRequiredService<IRunCheckpointStore>(), clock, Options.Create(new WeeklyPlanOptions { PlanMaxConcurrentShards = concurrency }),
            NullLogger<WeeklyPlanRunner>.Instance);

        var process = Process.GetCurrentProcess();
        var build = await Measure(runner, "run-1");
        var idle = await Measure(runner, "run-2");
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"weekly run, {users} users, {concurrency} shards at once: build {users / build.Duration.TotalSeconds:0} users/s ({build.PlansBuilt / build.Duration.TotalSeconds:0} plans/s, {build.Duration.TotalSeconds:0.0} s, {build.Failed} failed); " +
            $"nothing-to-do tick {users / idle.Duration.TotalSeconds:0} users/s ({idle.Duration.TotalSeconds:0.0} s); peak working set {process.PeakWorkingSet64 / (1024 * 1024)} MiB"));
    }

    private static async Task<WeeklyRunSummary> Measure(WeeklyPlanRunner runner, string runId)
    {
        var summary = await runner.RunAsync(runId, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{runId}: {summary.UsersSeen} seen, {summary.PlansBuilt} built, {summary.UpToDate} up to date, {summary.Failed} failed in {summary.Duration.TotalSeconds:0.0} s"));
        return summary;
    }

    /// <summary>A fixed wall clock with real elapsed time, so durations are measured.</summary>
    private sealed class FixedNow(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static Profile Profile(int i) => new()
    {
        Goal = (Goal)(i % 3),
        RunningExperience = (Experience)(i % 4),
        StrengthExperience = (Experience)((i / 4) % 4),
        AvailableDays = i % 2 == 0
            ? [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday, IsoDayOfWeek.Sunday]
            : [IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday],
        MaxSessionMinutes = 45 + (i % 4 * 10),
        WeeklyRunMinutes = i % 4 == 0 ? 0 : 60 + (i % 5 * 20),
        Equipment = [(Equipment)(i % 4)],
        Terrain = i % 3 == 0 ? [Terrain.Flat] : [Terrain.Hills],
        BirthYear = 1950 + (i % 60),
        TimeZone = Zones[i % Zones.Length],
    };
}
