using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Plans;
using RunStrength.Functions.Scheduling;
using RunStrength.Planning.Profiles;
using RunStrength.Storage;

namespace RunStrength.Testing;

/// <summary>One design's week: entity operations counted on the wire, and what was built when.</summary>
public sealed record WeekCost(string Design, int Users, long Reads, long Writes, long Bookkeeping, long Requests, int PlansBuilt, int Failed, IReadOnlyList<TickCost> Ticks)
{
    /// <summary>Entity operations on the due-hour marks, apart: per hour and shard with due users, not per user.</summary>
    public long Marks { get; init; }

    public double PerUser => (double)(Reads + Writes) / Users;

    /// <summary>
    /// The UTC day on which the due ticks built the most plans: those plans, the time the due ticks
    /// took (not the daily sweep), and their entity operations.
    /// </summary>
    public (DateOnly Day, int Plans, TimeSpan Time, long Reads, long Writes) BusiestDay =>
        Ticks.GroupBy(t => DateOnly.FromDateTime(t.At.UtcDateTime))
            .Select(d => (d.Key, d.Sum(t => t.DuePlans), TimeSpan.FromTicks(d.Sum(t => t.DueDuration.Ticks)), d.Sum(t => t.DueReads), d.Sum(t => t.DueWrites)))
            .MaxBy(d => d.Item2);

    /// <summary>CPU seconds of this process and of the storage emulator (when its meter was given) during the busiest day's due ticks.</summary>
    public (double App, double Storage) BusiestDayCpu => (BusiestDayTicks.Sum(t => t.DueAppCpu), BusiestDayTicks.Sum(t => t.DueStorageCpu));

    /// <summary>Requests the busiest day's due ticks sent.</summary>
    public long BusiestDayRequests => BusiestDayTicks.Sum(t => t.DueRequests);

    private IReadOnlyList<TickCost> BusiestDayTicks
    {
        get
        {
            var day = BusiestDay.Day;
            return [.. Ticks.Where(t => DateOnly.FromDateTime(t.At.UtcDateTime) == day)];
        }
    }
}

/// <summary>One hour: everything it built and did, and, apart, what its due tick alone built, took, moved and spent in CPU.</summary>
public sealed record TickCost(DateTimeOffset At, int PlansBuilt, TimeSpan Duration, long Operations, int DuePlans, TimeSpan DueDuration, long DueReads, long DueWrites)
{
    public double DueAppCpu { get; init; }

    public double DueStorageCpu { get; init; }

    /// <summary>Requests the due tick sent (entity operations, marks and the run's own rows).</summary>
    public long DueRequests { get; init; }
}

/// <summary>
/// A simulated week of hourly ticks: users in 12 time zones sign up through the API's planner
/// (profile, the current week, its marker and due entry), then 168 hourly ticks run, with the
/// clock set to each hour. Two designs, each on tables of its own: <c>due-index</c> (the timer as
/// it is: the due tick every hour, the reconcile sweep at its hour) and <c>sweep-hourly</c> (the
/// design before the index, the baseline: the full reconcile every hour). Entity operations of
/// the ticks are counted through an <see cref="HttpPipelinePolicy"/>; seeding is not counted.
/// Used by the benchmark at 10,000 users and by a test at a couple of hundred.
/// </summary>
public static class WeekOfTicks
{
    /// <summary>Monday 30 November 2026, 00:00 UTC; every zone's week 2026-W50 falls due within the 168 hours after.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    public static readonly string[] Zones =
    [
        "Pacific/Honolulu", "America/Los_Angeles", "America/Denver", "America/New_York", "America/Sao_Paulo", "UTC",
        "Europe/London", "Europe/Amsterdam", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "Pacific/Kiritimati",
    ];

    /// <param name="hours">Ticks to run, 168 for the whole week; fewer only to measure the baseline's steady cost per tick.</param>
    /// <param name="storageCpu">CPU seconds the storage emulator has used so far, when known, to report the due ticks' share.</param>
    /// <param name="afterDueTick">Called after each due tick, with its time, outside what is timed and counted (the benchmark's raw replay of that hour).</param>
    public static async Task<WeekCost> RunAsync(
        string connectionString, string design, int users, int concurrency = 8, Action<string>? log = null, int hours = 168, Func<double>? storageCpu = null, Func<DateTimeOffset, Task>? afterDueTick = null)
    {
        var operations = new EntityOperations { Counting = false };
        await using var services = Storage(connectionString, design.Replace("-", "", StringComparison.Ordinal) + Guid.NewGuid().ToString("N")[..6], operations);
        var clock = new SimulatedClock { Now = Start };
        var settings = Options.Create(new WeeklyPlanOptions { MaxConcurrentShards = concurrency });
        var profiles = services.GetRequiredService<IProfileStore>();
        var plans = services.GetRequiredService<IPlanStore>();
        var logs = services.GetRequiredService<ISessionLogStore>();
        var runs = services.GetRequiredService<IRunCheckpointStore>();

        await SignUpAsync(services, users);
        log?.Invoke($"[{design}] seeded {users} users");

        var reconcile = new WeeklyPlanRunner(profiles, plans, logs, runs, services.GetRequiredService<IPlanBuildSender>(), clock, settings, NullLogger<WeeklyPlanRunner>.Instance);
        var tick = new DuePlanTick(plans, new DueShardBuilder(profiles, plans, logs, clock, settings, NullLogger<DueShardBuilder>.Instance),
            services.GetRequiredService<IPlanBuildSender>(), runs, clock, settings, NullLogger<DuePlanTick>.Instance);
        var ticks = new List<TickCost>(168);
        var (built, failed) = (0, 0);
        operations.Counting = true;
        for (var hour = 1; hour <= hours; hour++)
        {
            clock.Now = Start.AddHours(hour);
            var runId = WeeklyPlanTimer.RunId(clock.Now);
            var before = operations.Total;
            var started = Stopwatch.GetTimestamp();
            var summaries = new List<WeeklyRunSummary>(2);
            if (design == "sweep-hourly" || clock.Now.Hour == settings.Value.ReconcileHourUtc)
            {
                summaries.Add(await reconcile.RunAsync(runId, CancellationToken.None));
            }

            var (reads, writes, requests, dueStarted) = (operations.Reads, operations.Writes, operations.Requests, Stopwatch.GetTimestamp());
            var (appCpu, emulatorCpu) = (Process.GetCurrentProcess().TotalProcessorTime, storageCpu?.Invoke() ?? 0);
            var due = design == "due-index" ? await tick.RunAsync(runId + "-due", CancellationToken.None) : null;
            var dueTime = Stopwatch.GetElapsedTime(dueStarted);
            (appCpu, emulatorCpu) = (Process.GetCurrentProcess().TotalProcessorTime - appCpu, (storageCpu?.Invoke() ?? 0) - emulatorCpu);
            var (dueReads, dueWrites) = (operations.Reads - reads, operations.Writes - writes);
            if (due is not null)
            {
                summaries.Add(due);
            }

            var plansBuilt = summaries.Sum(s => s.PlansBuilt);
            built += plansBuilt;
            failed += summaries.Sum(s => s.Failed);
            ticks.Add(new TickCost(clock.Now, plansBuilt, Stopwatch.GetElapsedTime(started), operations.Total - before,
                due?.PlansBuilt ?? 0, due is null ? TimeSpan.Zero : dueTime, due is null ? 0 : dueReads, due is null ? 0 : dueWrites)
            {
                DueAppCpu = appCpu.TotalSeconds,
                DueStorageCpu = emulatorCpu,
                DueRequests = due is null ? 0 : operations.Requests - requests,
            });
            if (due is not null && afterDueTick is not null)
            {
                operations.Counting = false;
                await afterDueTick(clock.Now);
                operations.Counting = true;
            }

            if (hour % 24 == 0)
            {
                log?.Invoke($"[{design}] day {hour / 24}: {built} plans so far, {(double)operations.Total / users:0.0} entity operations per user");
            }
        }

        operations.Counting = false;
        await services.GetRequiredService<Tables>().DeleteAllAsync();
        return new WeekCost(design, users, operations.Reads, operations.Writes, operations.Bookkeeping, operations.Requests, built, failed, ticks) { Marks = operations.Marks };
    }

    /// <summary>The app's storage services on tables of their own (named with <paramref name="tablePrefix"/>), with <paramref name="policy"/> on every client.</summary>
    public static ServiceProvider Storage(string connectionString, string tablePrefix, HttpPipelinePolicy policy)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TablePrefix"] = tablePrefix,
        }).Build();
        var collection = new ServiceCollection().AddRunStrengthStorage(configuration);
        collection.AddAzureClients(clients => clients.ConfigureDefaults(options => options.AddPolicy(policy, HttpPipelinePosition.PerCall)));
        return collection.BuildServiceProvider();
    }

    /// <summary>
    /// Users <c>sim-0</c> to <c>sim-{users - 1}</c>, in the 12 zones in turn, sign up at
    /// <see cref="Start"/> as through the API: the profile, then the planner's current week (the
    /// week before too where it is still Sunday), its marker, due entry and due-hour mark.
    /// </summary>
    public static async Task SignUpAsync(IServiceProvider services, int users)
    {
        var profiles = services.GetRequiredService<IProfileStore>();
        var planner = new WeekPlanner(services.GetRequiredService<IPlanStore>(), services.GetRequiredService<ISessionLogStore>(), new SimulatedClock { Now = Start }, Options.Create(new WeeklyPlanOptions()));
        await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var userId = $"sim-{i}";
            var profile = Profile(Zones[i % Zones.Length], i);
            var created = await profiles.CreateAsync(userId, profile, ct);
            await planner.PlanAsync(userId, profile, created.Version, ct);
        });
    }

    public static Profile Profile(string zone, int variant) => new()
    {
        Goal = (Goal)(variant % 3),
        RunningExperience = (Experience)(variant % 4),
        StrengthExperience = (Experience)((variant / 4) % 4),
        AvailableDays = variant % 2 == 0
            ? [NodaTime.IsoDayOfWeek.Monday, NodaTime.IsoDayOfWeek.Wednesday, NodaTime.IsoDayOfWeek.Friday, NodaTime.IsoDayOfWeek.Sunday]
            : [NodaTime.IsoDayOfWeek.Tuesday, NodaTime.IsoDayOfWeek.Thursday, NodaTime.IsoDayOfWeek.Saturday],
        MaxSessionMinutes = 45 + (variant % 4 * 10),
        WeeklyRunMinutes = variant % 4 == 0 ? 0 : 60 + (variant % 5 * 20),
        Equipment = [(Equipment)(variant % 4)],
        Terrain = variant % 3 == 0 ? [Terrain.Flat] : [Terrain.Hills],
        BirthYear = 1950 + (variant % 60),
        TimeZone = zone,
    };

    private sealed class SimulatedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
