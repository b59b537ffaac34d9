using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using RunStrength.Planning;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Storage;
using RunStrength.Testing;

namespace RunStrength.Benchmarks;

/// <summary>
/// Load run: plan writes per second on a local Azurite (each plan with its marker), batched
/// transactions against single upserts, same plans and same concurrency, measured in one run
/// (the baseline is the single upserts). Usage: <c>dotnet run -c Release --project bench/RunStrength.Benchmarks -- storage [plans] [concurrency]</c>.
/// </summary>
public static class StorageThroughput
{
    public static async Task RunAsync(int plans, int concurrency)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = "bench",
        }).Build();
        await using var services = new ServiceCollection().AddRunStrengthStorage(configuration).BuildServiceProvider();
        var store = services.GetRequiredService<IPlanStore>();
        var plan = SamplePlan();

        await MeasureAsync("warm-up", 200, concurrency, (users, ct) => store.WriteBatchAsync(users.Select(u => (u, plan)).ToList(), ct));
        var single = await MeasureAsync("single upserts", plans, concurrency, async (users, ct) =>
        {
            foreach (var user in users)
            {
                await store.WriteAsync(user, plan, ct);
            }
        });
        var batched = await MeasureAsync("batched (<=100 per transaction)", plans, concurrency, (users, ct) => store.WriteBatchAsync(users.Select(u => (u, plan)).ToList(), ct));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"plan ~{PlanCodec.Encode(plan).Length / 1024.0:0.0} KiB encoded, each written with its marker; {plans} plans, {concurrency} writers; batched/single = {batched / single:0.00}x"));
    }

    private static async Task<double> MeasureAsync(string name, int plans, int concurrency, Func<IReadOnlyList<string>, CancellationToken, Task> write)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var users = Enumerable.Range(0, plans).Select(i => $"{run}-{i}").ToList();

        // Each writer owns whole shards, as the weekly run does.
        var slices = users.GroupBy(u => UserKey.For(u).Shard).Select((g, i) => (g, i)).GroupBy(x => x.i % concurrency, x => x.g).Select(s => s.SelectMany(g => g).ToList()).ToList();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(slices, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (slice, ct) => await write(slice, ct));
        clock.Stop();
        var rate = plans / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} {plans,7} plans in {clock.Elapsed.TotalSeconds,7:0.00} s = {rate,8:0} plans/s"));
        return rate;
    }

    private static WeekPlan SamplePlan() => PlanGenerator.Generate(new PlanRequest
    {
        Profile = new Profile
        {
            Goal = Goal.Balanced,
            RunningExperience = Experience.Intermediate,
            StrengthExperience = Experience.Intermediate,
            AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday, IsoDayOfWeek.Sunday],
            LongRunDay = IsoDayOfWeek.Sunday,
            MaxSessionMinutes = 60,
            WeeklyRunMinutes = 150,
            Equipment = [Equipment.Gym],
            Terrain = [Terrain.Hills],
            BirthYear = 1988,
            TimeZone = "Europe/Amsterdam",
        },
        ProfileVersion = 1,
        Week = new IsoWeek(2026, 49),
        GeneratedAt = DateTimeOffset.UnixEpoch,
    });
}
