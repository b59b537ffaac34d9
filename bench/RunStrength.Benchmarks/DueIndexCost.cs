using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using RunStrength.Functions.Scheduling;
using RunStrength.Planning;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Scheduling;
using RunStrength.Storage;
using RunStrength.Testing;

namespace RunStrength.Benchmarks;

/// <summary>
/// What a week of hourly ticks costs in storage entity operations per user, for the due index
/// against the design before it (the full reconcile every hour), both in one run on one Azurite;
/// and the due ticks' building on their busiest day against the same entity operations done raw.
/// Usage: <c>dotnet run -c Release --project bench/RunStrength.Benchmarks -- week-of-ticks [users] [shards at once]</c>.
/// </summary>
public static class DueIndexCost
{
    /// <param name="baselineHours">Ticks of the baseline: 168 for its whole week; fewer (its idle ticks cost the same every hour) when time is short, then scaled to the week.</param>
    public static async Task RunAsync(int users, int concurrency, int baselineHours = 168)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var storageCpu = () => WeeklyScale.StorageCpuSeconds(azurite.ProcessId);

        // The raw replay of the busiest day's due ticks runs hour by hour right after each of them,
        // so the two meet the same machine: it is shared, and its speed drifts over minutes. Its
        // clients carry the same counting policy as the build's (it copies and parses every body),
        // so both pay for it alike, and the counts show they did the same operations.
        var hourlyOperations = new EntityOperations { Counting = false };
        var replay = await RawReplay.SeedAsync(azurite.ConnectionString, hourlyOperations, users, concurrency, storageCpu);
        var index = await WeekOfTicks.RunAsync(azurite.ConnectionString, "due-index", users, concurrency, Console.WriteLine, storageCpu: storageCpu, afterDueTick: replay.AfterDueTickAsync);
        if (index.PlansBuilt != users || index.Failed != 0)
        {
            throw new InvalidOperationException($"due-index: {index.PlansBuilt} plans and {index.Failed} failures for {users} users.");
        }

        var busiest = index.BusiestDay;
        if (busiest.Day != replay.Day || busiest.Plans != replay.Plans)
        {
            throw new InvalidOperationException($"The replay took {replay.Day} ({replay.Plans} plans) for the busiest day; the due ticks built most on {busiest.Day} ({busiest.Plans}).");
        }

        await replay.DisposeAsync();
        var (hourly, hourlyPlans, hours, hourlyAppCpu, hourlyStorageCpu) = (replay.Time, replay.Plans, replay.Hours, replay.AppCpu, replay.StorageCpu);
        var rawOperations = new EntityOperations { Counting = false };
        var raw = await RawAsync(Counted(azurite.ConnectionString, rawOperations), busiest.Plans, concurrency, rawOperations);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"due index: {index.PerUser:0.0} entity operations per user per week; busiest day {busiest.Day:yyyy-MM-dd}: {busiest.Plans} plans in {busiest.Time.TotalSeconds:0.00} s; the same operations raw {raw.TotalSeconds:0.00} s"));
        var baseline = await WeekOfTicks.RunAsync(azurite.ConnectionString, "sweep-hourly", users, concurrency, Console.WriteLine, baselineHours);
        if (baselineHours == 168 && (baseline.PlansBuilt != users || baseline.Failed != 0))
        {
            throw new InvalidOperationException($"sweep-hourly: {baseline.PlansBuilt} plans and {baseline.Failed} failures for {users} users.");
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{users:N0} users in 12 zones, one week of hourly ticks (entity operations per user; the runs' own checkpoints and summaries apart):"));
        Console.WriteLine("| design | reads | writes | per user per week | due-hour marks (apart) | requests | run bookkeeping | plans built |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var week in new[] { index, baseline })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {week.Design} | {week.Reads:N0} | {week.Writes:N0} | {week.PerUser:0.0} | {week.Marks:N0} ({(double)week.Marks / week.Users:0.00} per user) | {week.Requests:N0} | {week.Bookkeeping:N0} | {week.PlansBuilt:N0} |"));
        }

        var baselineWeek = baselineHours == 168 ? baseline.PerUser : baseline.PerUser * 168 / baselineHours;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"baseline over {baselineHours} ticks: {baseline.PerUser:0.0} per user{(baselineHours == 168 ? "" : $", {baselineWeek:0.0} scaled to 168 ticks")}; due index ÷ baseline: {index.PerUser / baselineWeek:P1}"));
        Console.WriteLine();
        var buildRate = busiest.Plans / busiest.Time.TotalSeconds;
        var rawRate = busiest.Plans / raw.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"busiest day {busiest.Day:yyyy-MM-dd}: {busiest.Plans:N0} plans by the due ticks in {busiest.Time.TotalSeconds:0.00} s ({buildRate:0} plans/s; {busiest.Reads:N0} reads, {busiest.Writes:N0} writes, {index.BusiestDayRequests:N0} requests); "
            + $"the same entity operations raw ({rawOperations.Reads:N0} reads, {rawOperations.Writes:N0} writes): {raw.TotalSeconds:0.00} s ({rawRate:0} plans/s); build ÷ raw = {buildRate / rawRate:P0}"));
        var hourlyRate = hourlyPlans / hourly.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the same entity operations raw, hour by hour as the ticks did them ({hourlyPlans:N0} plans in {hours} hours; {hourlyOperations.Reads:N0} reads, {hourlyOperations.Writes:N0} writes, {hourlyOperations.Requests:N0} requests): {hourly.TotalSeconds:0.00} s ({hourlyRate:0} plans/s); build ÷ raw by hour = {buildRate / hourlyRate:P0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU seconds, app / storage: the busiest day's due ticks {index.BusiestDayCpu.App:0.0} / {index.BusiestDayCpu.Storage:0.0}; the raw run by hour {hourlyAppCpu:0.0} / {hourlyStorageCpu:0.0}"));
    }

    /// <summary>
    /// As a due tick reads a shard: the slot of <paramref name="slotHour"/>, its rows due by the end
    /// of the hour of <paramref name="upTo"/> (each carrying a plan), then per row, 10 at once, a
    /// point read of the profile and a range query of <paramref name="lastWeek"/>'s logs.
    /// </summary>
    internal static async Task<List<TableEntity>> ReadDueAsync(
        TableClient plans, TableClient profiles, TableClient logs, string shard, DateTimeOffset slotHour, DateTimeOffset upTo, IsoWeek lastWeek, CancellationToken cancellationToken)
    {
        var slot = $"!due-w{Slot(slotHour)}";
        var end = new DateTimeOffset(upTo.UtcDateTime.Date.AddHours(upTo.UtcDateTime.Hour + 1), TimeSpan.Zero);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shard} and RowKey ge {slot + "-"} and RowKey lt {slot + "."} and NextBuild lt {end}");
        var rows = new List<TableEntity>();
        await foreach (var row in plans.QueryAsync<TableEntity>(filter, maxPerPage: 100, cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 10, CancellationToken = cancellationToken }, async (row, token) =>
        {
            var key = row.RowKey[^64..];
            await profiles.GetEntityAsync<TableEntity>(shard, key, cancellationToken: token);
            var prefix = $"{WeekKeys.Descending(lastWeek)}-{key}-";
            await foreach (var _ in logs.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {shard} and RowKey ge {prefix} and RowKey lt {prefix + "~"}"), cancellationToken: token))
            {
            }
        });
        return rows;
    }

    /// <summary>As a due tick writes a batch: per user the plan, its plan-ready event and the marker upserted, and the due row replaced as read.</summary>
    internal static async Task WriteAsync(TableClient plans, IEnumerable<RawWrite> users, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>();
        foreach (var user in users)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, PlanStore.ToEntity(user.Id, user.Plan, user.Encoded)));
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, PlanReadyOutbox.ToRow(user.Key, user.Plan)));
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(user.Key.Shard, "~" + user.Key.Value)
            {
                ["Week"] = user.Plan.Week, ["ProfileVersion"] = 1L, ["NextBuild"] = user.Next, ["Plan"] = user.Encoded,
            }));
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, Due(user.Key, user.Id, user.Next, user.Plan.Week, user.Encoded), user.Row.ETag));
        }

        await plans.SubmitTransactionAsync(actions, cancellationToken);
    }

    internal static TableServiceClient Counted(string connection, EntityOperations operations)
    {
        var options = new TableClientOptions();
        options.AddPolicy(operations, Azure.Core.HttpPipelinePosition.PerCall);
        return new TableServiceClient(connection, options);
    }

    internal static string Hour(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>
    /// The due ticks' entity operations for <paramref name="count"/> users, straight through
    /// <see cref="TableClient"/>, without deciding, decoding, generating or encoding: per shard a
    /// range query of its due slot (rows carrying a plan), per user a point read of the profile and
    /// a range query of last week's logs, and the plan, its plan-ready event and the marker
    /// upserted and the due row replaced in place, in batches of 20 users per shard as the tick
    /// writes them.
    /// </summary>
    private static async Task<TimeSpan> RawAsync(TableServiceClient service, int count, int concurrency, EntityOperations operations)
    {
        var plansTable = service.GetTableClient("rawplans");
        var profilesTable = service.GetTableClient("rawprofiles");
        await plansTable.CreateIfNotExistsAsync();
        await profilesTable.CreateIfNotExistsAsync();
        var now = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        var due = new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);
        var logsTable = service.GetTableClient("rawlogs");
        await logsTable.CreateIfNotExistsAsync();
        var samples = Enumerable.Range(0, 64).Select(i => PlanGenerator.Generate(new PlanRequest
        {
            Profile = WeekOfTicks.Profile(WeekOfTicks.Zones[i % WeekOfTicks.Zones.Length], i),
            ProfileVersion = 1,
            Week = new IsoWeek(2026, 50),
            GeneratedAt = now,
        })).Select(plan => (Plan: plan, Encoded: PlanCodec.Encode(plan))).ToArray();
        var users = Enumerable.Range(0, count).Select(i => (Id: $"raw-{i}", Key: UserKey.For($"raw-{i}"), Sample: samples[i % samples.Length])).ToList();
        var shards = users.GroupBy(u => u.Key.Shard).ToList();

        // Untimed: the profiles and the due rows the tick would find.
        await Parallel.ForEachAsync(shards, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (shard, ct) =>
        {
            foreach (var user in shard)
            {
                await profilesTable.UpsertEntityAsync(ProfileRows.Write(user.Id, WeekOfTicks.Profile("UTC", 1), 1, now), cancellationToken: ct);
            }

            foreach (var chunk in shard.Chunk(100))
            {
                await plansTable.SubmitTransactionAsync(chunk.Select(u => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Due(u.Key, u.Id, due, "2026-W49", u.Sample.Encoded))), ct);
            }
        });

        operations.Counting = true;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(shards, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (shard, ct) =>
        {
            var rows = await ReadDueAsync(plansTable, profilesTable, logsTable, shard.Key, due, due, new IsoWeek(2026, 49), ct);
            var byKey = shard.ToDictionary(u => u.Key.Value);
            foreach (var chunk in rows.Chunk(20))
            {
                await WriteAsync(plansTable, chunk.Select(row =>
                {
                    var user = byKey[row.RowKey[^64..]];
                    return new RawWrite(row, user.Id, user.Key, user.Sample.Plan, user.Sample.Encoded, due.AddDays(7));
                }), ct);
            }
        });
        clock.Stop();
        operations.Counting = false;
        foreach (var table in new[] { plansTable, profilesTable, logsTable })
        {
            await service.DeleteTableAsync(table.Name);
        }

        return clock.Elapsed;
    }

    /// <summary>A due entry as the due index keys it: the hour of the UTC week of its due time.</summary>
    internal static TableEntity Due(UserKey key, string userId, DateTimeOffset at, string week, byte[] plan) => new(key.Shard, $"!due-w{Slot(at)}-{key.Value}")
    {
        ["UserId"] = userId, ["NextBuild"] = at, ["Week"] = week, ["ProfileVersion"] = 1L, ["Plan"] = plan,
    };

    internal static string Slot(DateTimeOffset at) =>
        ((((((int)at.UtcDateTime.DayOfWeek) + 6) % 7) * 24) + at.UtcDateTime.Hour).ToString("000", CultureInfo.InvariantCulture);
}

/// <summary>
/// The due ticks' entity operations, raw, hour by hour, each hour run right after the due tick
/// that built it: the same users (same keys, so the same shards and due hours), and for each hour
/// the read of its due-hour marks, then per shard with users due: the range query of the hour's
/// slot (its rows due by then), per user (10 at once, as the build) a point read of the profile
/// and a range query of last week's logs, batch transactions of 20 users each writing the plan,
/// its plan-ready event and the marker and replacing the due row in place (as read), the next due
/// hour's mark, and the removal of this hour's mark. No deciding, decoding, generating or
/// encoding. Only the busiest day's hours are timed and counted; the hours before it run too, so
/// that the replay's tables come to that day as the build's do (see <see cref="SeedAsync"/>).
/// </summary>
internal sealed class RawReplay : IAsyncDisposable
{
    /// <summary>The replay's table names: <c>rawhourplans</c> and so on.</summary>
    private const string Prefix = "rawhour";

    private readonly ServiceProvider _stores;
    private readonly EntityOperations _operations;
    private readonly int _concurrency;
    private readonly Func<double> _storageCpu;
    private readonly TableClient _plans;
    private readonly TableClient _profiles;
    private readonly TableClient _logs;
    private readonly TableClient _marks;
    private readonly List<Sim> _users;
    private readonly Dictionary<DateTimeOffset, List<Sim>> _byHour;
    private readonly IsoWeek _week = new(2026, 49);

    private RawReplay(TableServiceClient service, EntityOperations operations, int concurrency, Func<double> storageCpu, List<Sim> everyone, ServiceProvider stores)
    {
        (_operations, _concurrency, _storageCpu, _stores) = (operations, concurrency, storageCpu, stores);
        _plans = service.GetTableClient(Prefix + Tables.Plans);
        _profiles = service.GetTableClient(Prefix + Tables.Profiles);
        _logs = service.GetTableClient(Prefix + Tables.SessionLogs);
        _marks = service.GetTableClient(Prefix + Tables.DueHours);

        // The day on which most users come due: the due ticks' busiest day.
        Day = everyone.GroupBy(u => DateOnly.FromDateTime(u.Due.UtcDateTime)).MaxBy(g => g.Count())!.Key;
        _users = everyone.Where(u => DateOnly.FromDateTime(u.Due.UtcDateTime) == Day).ToList();
        _byHour = everyone.GroupBy(u => u.Due).ToDictionary(g => g.Key, g => g.ToList());
    }

    public DateOnly Day { get; }

    public int Plans => _users.Count;

    public int Hours => _byHour.Keys.Count(hour => DateOnly.FromDateTime(hour.UtcDateTime) == Day);

    public TimeSpan Time { get; private set; }

    public double AppCpu { get; private set; }

    public double StorageCpu { get; private set; }

    /// <summary>
    /// Untimed: the same users sign up as the build's do, through the app's own stores and planner
    /// (<see cref="WeekOfTicks.SignUpAsync"/>) on the replay's tables: the profile, the plans and
    /// plan-ready events of the weeks sign-up planned, the marker, the due entry and the due-hour
    /// mark. From there the replay follows the build's week hour by hour. Azurite keeps a table's
    /// entities in one array in the order written: a range query scans all of it, and replacing an
    /// entity removes it from where it sits. So the replay's tables must hold what the build's do,
    /// written the same way and in the same order. Two versions seeded from a model cost Azurite
    /// less for the same operations: the first had a fifth fewer rows; the second had as many,
    /// written in one go with the day's earlier builds already in place (at 10,000 users, Azurite
    /// still spent 18 s more CPU on the build's requests than on the replay's, 80 against 63).
    /// </summary>
    public static async Task<RawReplay> SeedAsync(string connectionString, EntityOperations operations, int count, int concurrency, Func<double> storageCpu)
    {
        var week = new IsoWeek(2026, 49);
        var samples = Enumerable.Range(0, 64).Select(i => PlanGenerator.Generate(new PlanRequest
        {
            Profile = WeekOfTicks.Profile(WeekOfTicks.Zones[i % WeekOfTicks.Zones.Length], i),
            ProfileVersion = 1,
            Week = week.Next(),
            GeneratedAt = WeekOfTicks.Start,
        })).Select(plan => (plan, PlanCodec.Encode(plan))).ToArray();
        // When each user comes due, as the planner that signs them up below schedules it (its default lead time).
        var leadTime = new WeeklyPlanOptions().LeadTime;
        var everyone = Enumerable.Range(0, count)
            .Select(i =>
            {
                var key = UserKey.For($"sim-{i}");
                var zone = WeekOfTicks.Zones[i % WeekOfTicks.Zones.Length];
                var due = PlanSchedule.NextBuildAt(week, zone, leadTime, key.SpreadHour);
                return new Sim($"sim-{i}", key, due, PlanSchedule.NextBuildAt(week.Next(), zone, leadTime, key.SpreadHour), samples[i % samples.Length]);
            })
            .ToList();
        var stores = WeekOfTicks.Storage(connectionString, Prefix, new EntityOperations { Counting = false });
        await WeekOfTicks.SignUpAsync(stores, count);
        var tables = stores.GetRequiredService<Tables>();
        foreach (var name in new[] { Tables.Plans, Tables.Profiles, Tables.SessionLogs, Tables.DueHours })
        {
            await tables.GetAsync(name);
        }

        return new RawReplay(DueIndexCost.Counted(connectionString, operations), operations, concurrency, storageCpu, everyone, stores);
    }

    /// <summary>After the due tick of <paramref name="now"/>: when users came due then, the same operations raw; timed and counted on the busiest day.</summary>
    public async Task AfterDueTickAsync(DateTimeOffset now)
    {
        if (!_byHour.TryGetValue(now, out var users))
        {
            return;
        }

        if (DateOnly.FromDateTime(now.UtcDateTime) != Day)
        {
            await ReplayHourAsync(now, users);
            return;
        }

        var (appCpu, storageCpu) = (Process.GetCurrentProcess().TotalProcessorTime, _storageCpu());
        _operations.Counting = true;
        var clock = Stopwatch.StartNew();
        await ReplayHourAsync(now, users);
        clock.Stop();
        _operations.Counting = false;
        Time += clock.Elapsed;
        AppCpu += (Process.GetCurrentProcess().TotalProcessorTime - appCpu).TotalSeconds;
        StorageCpu += _storageCpu() - storageCpu;
    }

    private async Task ReplayHourAsync(DateTimeOffset hour, List<Sim> users)
    {
        var marks = new List<TableEntity>();
        await foreach (var mark in _marks.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"due"} and RowKey lt {DueIndexCost.Hour(hour.AddHours(1))}")))
        {
            marks.Add(mark);
        }

        var byKey = users.ToDictionary(u => u.Key.Value);
        Sim UserOf(TableEntity row) => byKey.TryGetValue(row.RowKey[^64..], out var user)
            ? user
            : throw new InvalidOperationException($"The replay of {hour:u} found {row.RowKey} due, which the model has due at another hour.");
        await Parallel.ForEachAsync(marks, new ParallelOptions { MaxDegreeOfParallelism = _concurrency }, async (mark, ct) =>
        {
            var shard = mark.GetString("Shard")!;
            var due = await DueIndexCost.ReadDueAsync(_plans, _profiles, _logs, shard, mark.GetDateTimeOffset("Hour")!.Value, hour, _week, ct);
            foreach (var chunk in due.Select(row => (Row: row, User: UserOf(row))).Chunk(20))
            {
                // As the build marks an hour: a batch transaction of the one mark.
                await _marks.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.UpsertReplace, Mark(chunk[0].User.Next, shard))], ct);
                await DueIndexCost.WriteAsync(_plans, chunk.Select(c => new RawWrite(c.Row, c.User.Id, c.User.Key, c.User.Sample.Plan, c.User.Sample.Encoded, c.User.Next)), ct);
            }

            await _marks.DeleteEntityAsync(mark.PartitionKey, mark.RowKey, mark.ETag, ct);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stores.GetRequiredService<Tables>().DeleteAllAsync();
        await _stores.DisposeAsync();
    }

    private static TableEntity Mark(DateTimeOffset hour, string shard) => new("due", $"{DueIndexCost.Hour(hour)}-{shard}") { ["Shard"] = shard, ["Hour"] = hour };

    private sealed record Sim(string Id, UserKey Key, DateTimeOffset Due, DateTimeOffset Next, (WeekPlan Plan, byte[] Encoded) Sample);
}

/// <summary>One user's raw write: the due row as read, and what the tick would write.</summary>
internal sealed record RawWrite(TableEntity Row, string Id, UserKey Key, WeekPlan Plan, byte[] Encoded, DateTimeOffset Next);
