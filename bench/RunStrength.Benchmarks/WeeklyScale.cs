using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using RunStrength.Functions.Scheduling;
using RunStrength.Planning;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Serialization;
using RunStrength.Storage;
using RunStrength.Testing;

namespace RunStrength.Benchmarks;

/// <summary>
/// The weekly run at scale, against its own raw ceiling, in one run. For each size a fresh Azurite
/// is seeded with users in steady state: a profile, this week's plan (with its marker) and, for
/// every 8th user, two logged sessions. Then, each in a process of its own so peak memory belongs
/// to that phase alone:
/// - the raw ceiling: one plan-sized entity per user (the same plan JSON sizes), batched 100 per
///   transaction straight through <see cref="TableClient"/>, by the same number of concurrent
///   writers each owning whole shards, as the run does;
/// - the real weekly run: <see cref="WeeklyPlanRunner"/> at Saturday 12:00 UTC, when every zone's
///   next week is due, so it reads profiles, markers, last week's plans and logs, generates, and
///   writes each user's next plan with its marker.
/// Usage: <c>dotnet run -c Release --project bench/RunStrength.Benchmarks -- weekly-scale [sizes, e.g. 10000,100000] [shards at once]</c>.
/// </summary>
public static class WeeklyScale
{
    private const string ChildCommand = "weekly-scale-phase";

    /// <summary>
    /// In this order: the ceiling; the run's reads alone, its writes alone (inserts into fresh
    /// tables) and the same writes again (updates of those rows), to see where its time goes; the run.
    /// </summary>
    private static readonly string[] Phases = ["ceiling", "reads", "writes", "rewrites", "run"];

    // Each phase first does the same work for a few users in tables of their own, so the code it
    // times is jitted as it would be in a long-running worker.
    private const int WarmUpUsers = 512;
    private const string WarmUpPrefix = "warmup";
    private static readonly DateTimeOffset Tick = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly IsoWeek ThisWeek = new(2026, 49);

    private static readonly string[] Zones =
    [
        "Pacific/Honolulu", "America/Los_Angeles", "America/Denver", "America/New_York", "America/Sao_Paulo", "UTC",
        "Europe/London", "Europe/Amsterdam", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "Pacific/Kiritimati",
    ];

    public static bool IsChild(string[] args) => args.Length > 0 && args[0] == ChildCommand;

    public static async Task RunAsync(IReadOnlyList<int> sizes, int concurrency)
    {
        // A 100,000-user Azurite holds a few GiB of plans in memory; Node's default heap is smaller.
        Environment.SetEnvironmentVariable("NODE_OPTIONS", "--max-old-space-size=16384");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, .NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC; {concurrency} writers / shards at once"));
        var results = new List<(int Users, Dictionary<string, PhaseResult> Phases)>();
        foreach (var users in sizes)
        {
            await using var azurite = await AzuriteProcess.StartAsync();
            var seeding = Stopwatch.StartNew();
            await SeedAsync(azurite.ConnectionString, users, prefix: "");
            await SeedAsync(azurite.ConnectionString, WarmUpUsers, WarmUpPrefix);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{users}] seeded in {seeding.Elapsed.TotalSeconds:0} s"));

            var phases = new Dictionary<string, PhaseResult>();
            foreach (var phase in Phases)
            {
                var storageCpu = StorageCpuSeconds(azurite.ProcessId);
                var result = await PhaseAsync(phase, azurite.ConnectionString, users, concurrency);
                phases[phase] = result with { StorageCpuSeconds = StorageCpuSeconds(azurite.ProcessId) - storageCpu };
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{users}] {phase,-7} {result.Count,7} in {result.Seconds,6:0.0} s = {result.PerSecond,6:0}/s; CPU s app {result.CpuSeconds:0.0}, storage {phases[phase].StorageCpuSeconds:0.0}; peak RSS {result.PeakRssMiB:0} MiB, managed heap {result.PeakHeapMiB:0} MiB{(result.AveragePlanKiB > 0 ? $"; plan entities ~{result.AveragePlanKiB:0.0} KiB encoded" : "")}"));
            }

            var run = phases["run"];
            if (run.Count != users || run.Failed != 0)
            {
                throw new InvalidOperationException($"The weekly run built {run.Count} plans for {users} users with {run.Failed} failures.");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{users}] weekly run = {run.PerSecond / phases["ceiling"].PerSecond:P0} of the raw ceiling; its reads alone took {phases["reads"].Seconds:0.0} s, its writes alone {phases["writes"].Seconds:0.0} s as inserts and {phases["rewrites"].Seconds:0.0} s as updates; a nothing-to-do tick took {run.IdleSeconds:0.0} s"));
            results.Add((users, phases));
        }

        Console.WriteLine();
        Console.WriteLine("| users | raw ceiling plans/s | weekly run plans/s | run ÷ ceiling | run's writes alone (plans + markers) plans/s, inserts / updates | run's reads alone users/s | nothing-to-do tick users/s | run peak RSS | run peak managed heap |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (users, phases) in results)
        {
            var (ceiling, run) = (phases["ceiling"], phases["run"]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {users:N0} | {ceiling.PerSecond:0} | {run.PerSecond:0} | {run.PerSecond / ceiling.PerSecond:P0} | {phases["writes"].PerSecond:0} / {phases["rewrites"].PerSecond:0} | {phases["reads"].PerSecond:0} | {users / run.IdleSeconds:0} | {run.PeakRssMiB:0} MiB | {run.PeakHeapMiB:0} MiB |"));
        }

        if (results.Count > 1)
        {
            var (smallest, largest) = (results[0], results[^1]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"peak RSS of the weekly run at {largest.Users:N0} users ÷ at {smallest.Users:N0}: {largest.Phases["run"].PeakRssMiB / smallest.Phases["run"].PeakRssMiB:0.00}x"));
        }
    }

    /// <summary>CPU seconds the Azurite process has used (user + system), from /proc.</summary>
    internal static double StorageCpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Runs one phase in a fresh process of this program and reads its result line.</summary>
    private static async Task<PhaseResult> PhaseAsync(string phase, string connection, int users, int concurrency)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(WeeklyScale).Assembly.Location);
        }

        foreach (var argument in (string[])[ChildCommand, phase, connection, users.ToString(CultureInfo.InvariantCulture), concurrency.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the phase process.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"The {phase} phase failed (exit {process.ExitCode}):\n{output}");
        }

        return JsonSerializer.Deserialize<PhaseResult>(line)!;
    }

    /// <summary>The child process: one phase, then one JSON line with what it measured.</summary>
    public static async Task ChildAsync(string[] args)
    {
        var (phase, connection) = (args[1], args[2]);
        var users = int.Parse(args[3], CultureInfo.InvariantCulture);
        var concurrency = int.Parse(args[4], CultureInfo.InvariantCulture);
        using var sampler = new MemorySampler();
        var result = phase switch
        {
            "ceiling" => await CeilingAsync(connection, users, concurrency),
            "run" => await WeeklyRunAsync(connection, users, concurrency),
            "reads" => await ReadsAsync(connection, concurrency),
            "writes" or "rewrites" => await WritesAsync(connection, users, concurrency),
            _ => throw new ArgumentException($"Unknown phase {phase}."),
        };
        result = result with { PeakRssMiB = MemorySampler.PeakRssMiB(), PeakHeapMiB = sampler.PeakHeapMiB };
        Console.WriteLine(JsonSerializer.Serialize(result));
    }

    private static async Task<PhaseResult> WeeklyRunAsync(string connection, int users, int concurrency)
    {
        await using (var warmUp = Services(connection, WarmUpPrefix))
        {
            await Runner(warmUp, concurrency).RunAsync("warm-up", CancellationToken.None);
        }

        await using var services = Services(connection, prefix: "");
        var runner = Runner(services, concurrency);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var summary = await runner.RunAsync("scale", CancellationToken.None);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        if (summary.UsersSeen != users)
        {
            throw new InvalidOperationException($"The run saw {summary.UsersSeen} of {users} users.");
        }

        var idle = await runner.RunAsync("scale-idle", CancellationToken.None);
        if (idle.PlansBuilt != 0)
        {
            throw new InvalidOperationException($"A second tick built {idle.PlansBuilt} plans.");
        }

        return new PhaseResult(summary.PlansBuilt, summary.Failed, summary.Duration.TotalSeconds, 0, 0, 0, cpu.TotalSeconds, IdleSeconds: idle.Duration.TotalSeconds);
    }

    /// <summary>What the run reads, shard by shard at the same concurrency, without deciding or writing anything.</summary>
    private static async Task<PhaseResult> ReadsAsync(string connection, int concurrency)
    {
        await using var services = Services(connection, prefix: "");
        var (profiles, plans, logs) = (services.GetRequiredService<IProfileStore>(), services.GetRequiredService<IPlanStore>(), services.GetRequiredService<ISessionLogStore>());
        var users = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(UserKey.AllShards(), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (shard, ct) =>
        {
            var markers = await plans.ListShardMarkersAsync(shard, withPlans: false, ct).CountAsync(ct);
            Interlocked.Add(ref users, await profiles.ListShardAsync(shard, ct).CountAsync(ct));
            var decoded = 0;
            await foreach (var marker in plans.ListShardMarkersAsync(shard, withPlans: true, ct))
            {
                decoded += marker.DecodePlan() is null ? 0 : 1;
            }

            await logs.GetShardWeekAsync(shard, ThisWeek, ct);
            if (decoded != markers)
            {
                throw new InvalidOperationException($"Shard {shard}: {markers} markers but {decoded} plans.");
            }
        });
        clock.Stop();
        return new PhaseResult(users, 0, clock.Elapsed.TotalSeconds, 0, 0, 0, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>
    /// What the run writes (each user's plan with its marker, 50 users a transaction), into tables
    /// of their own: inserts the first time, updates of the same rows the second.
    /// </summary>
    private static async Task<PhaseResult> WritesAsync(string connection, int users, int concurrency)
    {
        var samples = Enumerable.Range(0, 64).Select(NextWeek).ToArray();
        async Task WriteAll(string prefix, int count)
        {
            await using var services = Services(connection, prefix);
            var plans = services.GetRequiredService<IPlanStore>();
            await WriteByShardAsync(count, concurrency, new WeeklyPlanOptions().UsersPerBatch, (chunk, ct) =>
                plans.WriteBatchAsync(chunk.Select(i => (UserId(i), samples[i % samples.Length])).ToList(), ct));
        }

        await WriteAll(WarmUpPrefix + "writes", WarmUpUsers);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await WriteAll("writes", users);
        clock.Stop();
        return new PhaseResult(users, 0, clock.Elapsed.TotalSeconds, 0, 0, 0, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>
    /// Writes users' rows as the run does: the given number of writers at once, each owning whole
    /// shards, each shard in chunks of at most <paramref name="perBatch"/> users.
    /// </summary>
    private static Task WriteByShardAsync(int users, int concurrency, int perBatch, Func<int[], CancellationToken, Task> writeChunk)
    {
        var slices = UsersByShard(users).Select((shard, i) => (shard, i)).GroupBy(x => x.i % concurrency, x => x.shard.Members).ToList();
        return Parallel.ForEachAsync(slices, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (slice, ct) =>
        {
            foreach (var chunk in slice.SelectMany(members => members.Chunk(perBatch)))
            {
                await writeChunk(chunk, ct);
            }
        });
    }

    private static WeeklyPlanRunner Runner(ServiceProvider services, int concurrency) => new(
        services.GetRequiredService<IProfileStore>(), services.GetRequiredService<IPlanStore>(), services.GetRequiredService<ISessionLogStore>(),
        services.GetRequiredService<IRunCheckpointStore>(), services.GetRequiredService<IPlanBuildSender>(), new FixedNow(Tick),
        Options.Create(new WeeklyPlanOptions { MaxConcurrentShards = concurrency }), NullLogger<WeeklyPlanRunner>.Instance);

    private static async Task<PhaseResult> CeilingAsync(string connection, int users, int concurrency)
    {
        // Next week's plans from a spread of profiles, encoded as stored, before the clock starts.
        var samples = Enumerable.Range(0, 64).Select(i => NextWeek(i)).Select(plan => (Plan: plan, Encoded: PlanCodec.Encode(plan))).ToArray();
        var service = new TableServiceClient(connection);
        async Task WriteAll(TableClient table, int count)
        {
            await table.CreateIfNotExistsAsync();
            await WriteByShardAsync(count, concurrency, TableLimits.MaxBatchEntities, (chunk, ct) =>
                table.SubmitTransactionAsync(chunk.Select(i => new TableTransactionAction(
                    TableTransactionActionType.UpsertReplace, PlanStore.ToEntity(UserId(i), samples[i % samples.Length].Plan, samples[i % samples.Length].Encoded))).ToList(), ct));
        }

        await WriteAll(service.GetTableClient(WarmUpPrefix + "ceilingplans"), WarmUpUsers);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await WriteAll(service.GetTableClient("ceilingplans"), users);
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return new PhaseResult(users, 0, clock.Elapsed.TotalSeconds, 0, 0, samples.Average(s => s.Encoded.Length) / 1024.0, cpu.TotalSeconds);
    }

    /// <summary>Profiles, this week's plans with markers, and some logged sessions, as the API would have left them.</summary>
    private static async Task SeedAsync(string connection, int users, string prefix)
    {
        await using var services = Services(connection, prefix);
        var profiles = services.GetRequiredService<IProfileStore>();
        var plans = services.GetRequiredService<IPlanStore>();
        var logs = services.GetRequiredService<ISessionLogStore>();
        await Parallel.ForEachAsync(UsersByShard(users), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (shard, ct) =>
        {
            foreach (var i in shard.Members)
            {
                await profiles.CreateAsync(UserId(i), Profile(i), ct);
            }

            var current = shard.Members.Select(i => (UserId(i), ThisWeekPlan(i))).ToList();
            await plans.WriteBatchAsync(current, ct);
            foreach (var (userId, plan) in current.Where((_, n) => n % 8 == 0))
            {
                foreach (var session in plan.Sessions.Take(2))
                {
                    await logs.UpsertAsync(userId, ThisWeek, new SessionLog { SessionId = session.Id, Status = SessionStatus.Completed, ActualMinutes = session.DurationMinutes, Rpe = 6 }, ct);
                }
            }
        });
    }

    private static ServiceProvider Services(string connection, string prefix)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connection,
            ["Storage:TablePrefix"] = prefix,
        }).Build();
        return new ServiceCollection().AddRunStrengthStorage(configuration).BuildServiceProvider();
    }

    private static List<(string Shard, List<int> Members)> UsersByShard(int users) =>
        Enumerable.Range(0, users).GroupBy(i => UserKey.For(UserId(i)).Shard, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.ToList())).ToList();

    private static string UserId(int i) => string.Create(CultureInfo.InvariantCulture, $"scale-user-{i}");

    private static WeekPlan ThisWeekPlan(int i) => PlanGenerator.Generate(new PlanRequest
    {
        Profile = Profile(i),
        ProfileVersion = 1,
        Week = ThisWeek,
        GeneratedAt = Tick.AddDays(-7),
    });

    private static WeekPlan NextWeek(int i) => PlanGenerator.Generate(new PlanRequest
    {
        Profile = Profile(i),
        ProfileVersion = 1,
        Week = ThisWeek.Next(),
        GeneratedAt = Tick,
        Previous = ThisWeekPlan(i),
    });

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

    /// <param name="Count">Plans written, or users read.</param>
    public sealed record PhaseResult(int Count, int Failed, double Seconds, double PeakRssMiB, double PeakHeapMiB, double AveragePlanKiB, double CpuSeconds = 0, double StorageCpuSeconds = 0, double IdleSeconds = 0)
    {
        public double PerSecond => Count / Seconds;
    }

    /// <summary>A fixed wall clock with real elapsed time, so durations are measured.</summary>
    private sealed class FixedNow(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Peak resident set (the kernel's high-water mark) and the managed heap sampled every 20 ms.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peakHeap;

        public MemorySampler() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));

        public double PeakHeapMiB { get { Sample(); return Interlocked.Read(ref _peakHeap) / (1024.0 * 1024.0); } }

        public static double PeakRssMiB()
        {
            // VmHWM is in kB; Process.PeakWorkingSet64 reads the same line on Linux.
            var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            var heap = GC.GetTotalMemory(forceFullCollection: false);
            long seen;
            while (heap > (seen = Interlocked.Read(ref _peakHeap)) && Interlocked.CompareExchange(ref _peakHeap, heap, seen) != seen)
            {
            }
        }
    }
}
