using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using RunStrength.Planning;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
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
        var index = await WeekOfTicks.RunAsync(azurite.ConnectionString, "due-index", users, concurrency, Console.WriteLine);
        if (index.PlansBuilt != users || index.Failed != 0)
        {
            throw new InvalidOperationException($"due-index: {index.PlansBuilt} plans and {index.Failed} failures for {users} users.");
        }

        var busiest = index.BusiestDay;
        var raw = await RawAsync(azurite.ConnectionString, busiest.Plans, concurrency);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"due index: {index.PerUser:0.0} entity operations per user per week; busiest day {busiest.Day:yyyy-MM-dd}: {busiest.Plans} plans in {busiest.Time.TotalSeconds:0.00} s; the same operations raw {raw.TotalSeconds:0.00} s"));
        var baseline = await WeekOfTicks.RunAsync(azurite.ConnectionString, "sweep-hourly", users, concurrency, Console.WriteLine, baselineHours);
        if (baselineHours == 168 && (baseline.PlansBuilt != users || baseline.Failed != 0))
        {
            throw new InvalidOperationException($"sweep-hourly: {baseline.PlansBuilt} plans and {baseline.Failed} failures for {users} users.");
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{users:N0} users in 12 zones, one week of hourly ticks (entity operations per user; the runs' own checkpoints and summaries apart):"));
        Console.WriteLine("| design | reads | writes | per user per week | requests | run bookkeeping | plans built |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var week in new[] { index, baseline })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {week.Design} | {week.Reads:N0} | {week.Writes:N0} | {week.PerUser:0.0} | {week.Requests:N0} | {week.Bookkeeping:N0} | {week.PlansBuilt:N0} |"));
        }

        var baselineWeek = baselineHours == 168 ? baseline.PerUser : baseline.PerUser * 168 / baselineHours;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"baseline over {baselineHours} ticks: {baseline.PerUser:0.0} per user{(baselineHours == 168 ? "" : $", {baselineWeek:0.0} scaled to 168 ticks")}; due index ÷ baseline: {index.PerUser / baselineWeek:P1}"));
        Console.WriteLine();
        var buildRate = busiest.Plans / busiest.Time.TotalSeconds;
        var rawRate = busiest.Plans / raw.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"busiest day {busiest.Day:yyyy-MM-dd}: {busiest.Plans:N0} plans by the due ticks in {busiest.Time.TotalSeconds:0.00} s ({buildRate:0} plans/s; {busiest.Reads:N0} reads, {busiest.Writes:N0} writes); "
            + $"the same entity operations raw: {raw.TotalSeconds:0.00} s ({rawRate:0} plans/s); build ÷ raw = {buildRate / rawRate:P0}"));
    }

    /// <summary>
    /// The due ticks' entity operations for <paramref name="count"/> users, straight through
    /// <see cref="TableClient"/>, without deciding, decoding, generating or encoding: per shard a
    /// range query of its due rows (carrying a plan), a point read of each user's profile, and per
    /// user the plan, the marker and the next due row upserted and the old due row deleted, in
    /// batches per shard as the tick writes them.
    /// </summary>
    private static async Task<TimeSpan> RawAsync(string connection, int count, int concurrency)
    {
        var service = new TableServiceClient(connection);
        var plansTable = service.GetTableClient("rawplans");
        var profilesTable = service.GetTableClient("rawprofiles");
        await plansTable.CreateIfNotExistsAsync();
        await profilesTable.CreateIfNotExistsAsync();
        var now = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
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
                await plansTable.SubmitTransactionAsync(chunk.Select(u => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Due(u.Key, u.Id, "2026120300", u.Sample.Encoded))), ct);
            }
        });

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(shards, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (shard, ct) =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shard.Key} and RowKey ge {"!due-"} and RowKey lt {"!due-2026120301"}");
            var due = new List<TableEntity>();
            await foreach (var row in plansTable.QueryAsync<TableEntity>(filter, maxPerPage: 100, cancellationToken: ct))
            {
                due.Add(row);
            }

            foreach (var row in due)
            {
                await profilesTable.GetEntityAsync<TableEntity>(shard.Key, row.RowKey[^64..], cancellationToken: ct);
            }

            foreach (var chunk in shard.Chunk(20))
            {
                var actions = new List<TableTransactionAction>(chunk.Length * 4);
                foreach (var user in chunk)
                {
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, PlanStore.ToEntity(user.Id, user.Sample.Plan, user.Sample.Encoded)));
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(user.Key.Shard, "~" + user.Key.Value)
                    {
                        ["Week"] = "2026-W50", ["ProfileVersion"] = 1L, ["NextBuild"] = now.AddDays(7), ["Plan"] = user.Sample.Encoded,
                    }));
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, Due(user.Key, user.Id, "2026121000", user.Sample.Encoded)));
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(user.Key.Shard, $"!due-2026120300-{user.Key.Value}"), ETag.All));
                }

                await plansTable.SubmitTransactionAsync(actions, ct);
            }
        });
        clock.Stop();
        await service.DeleteTableAsync(plansTable.Name);
        await service.DeleteTableAsync(profilesTable.Name);
        return clock.Elapsed;
    }

    private static TableEntity Due(UserKey key, string userId, string hour, byte[] plan) => new(key.Shard, $"!due-{hour}-{key.Value}")
    {
        ["UserId"] = userId, ["NextBuild"] = DateTimeOffset.ParseExact(hour, "yyyyMMddHH", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), ["Week"] = "2026-W49", ["ProfileVersion"] = 1L, ["Plan"] = plan,
    };
}
