using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using RunStrength.DevToken;

namespace RunStrength.EndToEnd.Tests;

/// <summary>
/// The weekly run's fan-out under LocalHost and Azurite: with <c>WeeklyPlan__FanOutThreshold</c> at 0
/// the hourly tick sends one <c>plan-build</c> message per shard with due users, and the
/// queue-triggered <c>BuildShardPlans</c> builds them. Users sign up on Wednesday 2 December 2026
/// and the tick runs on Saturday 5 December, 12:00 UTC, when every zone below is due for 2026-W50.
/// </summary>
public sealed class PlanFanOutTests(FastRetryApp app) : IClassFixture<FastRetryApp>
{
    private const string NextWeek = "2026-W50";
    private static readonly DateTimeOffset SignUp = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset TickAt = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Zones = ["Europe/Amsterdam", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Pacific/Auckland", "Europe/Helsinki", "America/Sao_Paulo"];

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Clock__Now"] = SignUp.ToString("O", CultureInfo.InvariantCulture),
        ["WeeklyPlan__FanOutThreshold"] = "0",

        // Only the test fires the timer (the admin route runs a disabled function): its hourly schedule would otherwise tick mid-test.
        ["AzureWebJobs.BuildWeeklyPlans.Disabled"] = "true",
    };

    [Fact]
    public async Task OneTickEnqueuesAMessagePerShardAndTheQueueFunctionBuildsEveryDueUserOnce()
    {
        var host = await LocalHostFixture.StartRunStrengthAsync(Settings, app.Directory);
        try
        {
            var users = await SignUpAsync(host, 16);
            host = await host.RestartAtAsync(TickAt);

            var run = await TickAsync(host);
            Assert.Equal(0, run.GetInt32("PlansBuilt"));
            var shards = run.GetInt32("ShardsEnqueued")!.Value;
            Assert.InRange(shards, 1, users.Count);
            var checkpoints = await ShardsDoneAsync(host, run.PartitionKey, shards);
            Assert.Equal(users.Count, checkpoints.Sum(c => c.GetInt32("PlansBuilt")));
            Assert.All(checkpoints, c => Assert.Equal((0, 0), (c.GetInt32("Failed"), c.GetInt32("UpToDate"))));
            await AssertEveryUserHasOneNextWeekAsync(host, users);

            // The same messages again, as a redelivery would bring them: nothing is written twice.
            var before = await PlanETagsAsync(host);
            var queue = Queue(host, "plan-build");
            foreach (var checkpoint in checkpoints)
            {
                await queue.SendMessageAsync(ShardMessage(run.PartitionKey, checkpoint.RowKey));
            }

            await EventuallyAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, host);
            Assert.Equal(before, await PlanETagsAsync(host));
            await AssertEveryUserHasOneNextWeekAsync(host, users);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task AMessageThatFailsFiveTimesLandsInThePoisonQueueAndTheNextTickReportsIt()
    {
        var host = await LocalHostFixture.StartRunStrengthAsync(Settings, app.Directory);
        try
        {
            // A shard name of three letters: the handler rejects the message by throwing, every time.
            const string poisonous = """{"runId":"2026-12-02T10:00Z-due","shard":"zzz","upTo":"2026-12-02T10:00:00+00:00"}""";
            var queue = Queue(host, "plan-build");
            await queue.CreateIfNotExistsAsync();
            await queue.SendMessageAsync(poisonous);

            var poison = Queue(host, "plan-build-poison");
            // The move sends to the poison queue first and deletes from the source after (as the
            // extension does), so wait for both, or the source may still hold it for a moment.
            await EventuallyAsync(
                async () => (await poison.ExistsAsync()).Value && (await poison.PeekMessagesAsync(2)).Value.Length == 1
                    && (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
                host);
            var moved = (await poison.PeekMessagesAsync()).Value.Single();
            Assert.Equal(poisonous, moved.Body.ToString());
            Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
            Assert.Equal(5, Count(host.Logs, "Queue BuildShardPlans failed on message"));
            Assert.Contains("has reached MaxDequeueCount of 5. Moving message to queue 'plan-build-poison'", host.Logs, StringComparison.Ordinal);

            // The next tick with due users fans out, and its summary counts the poison message.
            var users = await SignUpAsync(host, 2);
            host = await host.RestartAtAsync(TickAt);
            var run = await TickAsync(host);
            Assert.Equal(1, run.GetInt32("Poisoned"));
            Assert.Contains("1 plan-build messages failed every delivery and wait in plan-build-poison", host.Logs, StringComparison.Ordinal);
            await ShardsDoneAsync(host, run.PartitionKey, run.GetInt32("ShardsEnqueued")!.Value);
            await AssertEveryUserHasOneNextWeekAsync(host, users);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task AWorkerKilledMidShardIsRestartedAndEveryDueUserGetsExactlyOneNextWeek()
    {
        var host = await LocalHostFixture.StartRunStrengthAsync(Settings, app.Directory);
        try
        {
            var users = await SignUpAsync(host, 24);
            host = await host.RestartAtAsync(TickAt);
            var worker = (await host.StatusAsync())["workerProcessId"]!.GetValue<int>();

            // The tick enqueues while BuildShardPlans is switched off; then the worker is frozen, so the
            // messages it is handed next are certainly received and not completed when it is killed.
            await host.SwitchAsync("BuildShardPlans", enabled: false);
            var run = await TickAsync(host);
            var queue = Queue(host, "plan-build");
            var shards = run.GetInt32("ShardsEnqueued")!.Value;
            Assert.Equal(shards, (await queue.PeekMessagesAsync(32)).Value.Length);
            await SignalAsync(worker, "STOP");
            await host.SwitchAsync("BuildShardPlans", enabled: true);
            await EventuallyAsync(async () => (await queue.PeekMessagesAsync(32)).Value.Length < shards, host);
            await SignalAsync(worker, "KILL");

            await EventuallyAsync(async () => (await host.StatusAsync())["workerProcessId"]?.GetValue<int>() is { } pid && pid != worker, host);
            var checkpoints = await ShardsDoneAsync(host, run.PartitionKey, shards);
            await EventuallyAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, host);

            Assert.Contains("Queue BuildShardPlans failed on message", host.Logs, StringComparison.Ordinal);
            Assert.All(checkpoints, c => Assert.Equal(0, c.GetInt32("Failed")));
            Assert.False((await Queue(host, "plan-build-poison").ExistsAsync()).Value);
            await AssertEveryUserHasOneNextWeekAsync(host, users);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task WithReconcileFanOutTheDailySweepIsBuiltShardByShardByTheQueueFunction()
    {
        var settings = new Dictionary<string, string>(Settings)
        {
            ["WeeklyPlan__FanOutThreshold"] = "5000",
            ["WeeklyPlan__ReconcileFanOut"] = "true",
            ["WeeklyPlan__ReconcileHourUtc"] = "12",
        };
        var host = await LocalHostFixture.StartRunStrengthAsync(settings, app.Directory);
        try
        {
            var users = await SignUpAsync(host, 8);
            host = await host.RestartAtAsync(TickAt);

            // At the reconcile hour the timer sends every shard to the queue and builds nothing itself (no due tick either).
            Assert.Equal(HttpStatusCode.Accepted, (await host.FireAsync("BuildWeeklyPlans")).StatusCode);
            var runs = Tables(host).GetTableClient("runs");
            var sweep = Assert.Single(await runs.QueryAsync<TableEntity>(e => e.RowKey == "summary").ToListAsync());
            Assert.Equal("reconcile", sweep.GetString("Kind"));
            Assert.Equal((256, 0), (sweep.GetInt32("ShardsEnqueued"), sweep.GetInt32("PlansBuilt")));

            var checkpoints = await ShardsDoneAsync(host, sweep.PartitionKey, 256);
            Assert.Equal((users.Count, 0), (checkpoints.Sum(c => c.GetInt32("UsersSeen")!.Value), checkpoints.Sum(c => c.GetInt32("Failed")!.Value)));
            await EventuallyAsync(async () => (await Queue(host, "plan-build").GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, host);
            await AssertEveryUserHasOneNextWeekAsync(host, users);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task SignalAsync(int process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task<List<string>> SignUpAsync(LocalHostFixture host, int count)
    {
        var users = Enumerable.Range(0, count).Select(i => $"fan-out-{i}").ToList();
        foreach (var (user, i) in users.Select((u, i) => (u, i)))
        {
            var profile = $$"""
                { "goal": "balanced", "runningExperience": "intermediate", "strengthExperience": "beginner",
                  "availableDays": ["mon", "wed", "fri", "sat"], "longRunDay": "sat", "maxSessionMinutes": 60,
                  "weeklyRunMinutes": 120, "equipment": ["dumbbells"], "terrain": ["hills"], "birthYear": 1988,
                  "timeZone": "{{Zones[i % Zones.Length]}}" }
                """;
            Assert.Equal(HttpStatusCode.Created, (await host.SendAsUserAsync(HttpMethod.Put, "api/me/profile", user, profile)).Status);

            // Wednesday is too early for next week in every zone: only the tick can build it.
            Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsUserAsync(HttpMethod.Get, "api/me/plans/next", user)).Status);
        }

        return users;
    }

    /// <summary>Fires the timer once and returns the summary of the only due run.</summary>
    private static async Task<TableEntity> TickAsync(LocalHostFixture host)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await host.FireAsync("BuildWeeklyPlans")).StatusCode);
        var runs = Tables(host).GetTableClient("runs");
        var summaries = await runs.QueryAsync<TableEntity>(e => e.RowKey == "summary").ToListAsync();
        var run = Assert.Single(summaries);
        Assert.Equal("due", run.GetString("Kind"));
        return run;
    }

    /// <summary>Waits for a checkpoint of every enqueued shard, and checks each says done.</summary>
    private static async Task<List<TableEntity>> ShardsDoneAsync(LocalHostFixture host, string runId, int shards)
    {
        var runs = Tables(host).GetTableClient("runs");
        List<TableEntity> checkpoints = [];
        await EventuallyAsync(async () =>
        {
            checkpoints = await runs.QueryAsync<TableEntity>(e => e.PartitionKey == runId && e.RowKey != "summary").ToListAsync();
            return checkpoints.Count >= shards;
        }, host);
        Assert.Equal(shards, checkpoints.Count);
        Assert.All(checkpoints, c => Assert.Equal("Done", c.GetString("Status")));
        return checkpoints;
    }

    private static async Task AssertEveryUserHasOneNextWeekAsync(LocalHostFixture host, IEnumerable<string> users)
    {
        foreach (var user in users)
        {
            var next = await host.SendAsUserAsync(HttpMethod.Get, "api/me/plans/next", user);
            Assert.Equal((HttpStatusCode.OK, NextWeek), (next.Status, next.Body!["week"]!.GetValue<string>()));
            var listed = (await host.SendAsUserAsync(HttpMethod.Get, "api/me/plans", user)).Body!["items"]!.AsArray();
            Assert.Equal(1, listed.Count(p => p!["week"]!.GetValue<string>() == NextWeek));
            Assert.Equal(2, listed.Count);
        }
    }

    private static async Task<Dictionary<string, string>> PlanETagsAsync(LocalHostFixture host)
    {
        var rows = await Tables(host).GetTableClient("plans").QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]).ToListAsync();
        return rows.ToDictionary(r => r.PartitionKey + "/" + r.RowKey, r => r.ETag.ToString());
    }

    private static string ShardMessage(string runId, string shard) =>
        $$"""{"runId":"{{runId}}","shard":"{{shard}}","upTo":"{{TickAt.ToString("O", CultureInfo.InvariantCulture)}}"}""";

    private static TableServiceClient Tables(LocalHostFixture host) => new(host.StorageConnectionString);

    /// <summary>A queue client with the Base64 encoding the Functions queue extension expects.</summary>
    private static QueueClient Queue(LocalHostFixture host, string name) =>
        new QueueServiceClient(host.StorageConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }).GetQueueClient(name);

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> probe, LocalHostFixture host, TimeSpan? every = null)
    {
        var deadline = Stopwatch.StartNew();
        while (!await probe())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), $"gave up waiting; host output:\n{host.Logs[^Math.Min(6000, host.Logs.Length)..]}");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(200));
        }
    }
}

/// <summary>
/// A copy of the built app whose host.json releases a failed queue message at once
/// (<c>visibilityTimeout</c> 0 instead of 30 seconds), so five deliveries take seconds, not minutes.
/// </summary>
public sealed class FastRetryApp : IDisposable
{
    public FastRetryApp()
    {
        var built = LocalHostFixture.Output("RunStrength.Functions");
        Directory = Path.Combine(Path.GetTempPath(), $"runstrength-fast-retry-{Guid.NewGuid():N}");
        foreach (var file in System.IO.Directory.EnumerateFiles(built, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Directory, Path.GetRelativePath(built, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var hostJson = Path.Combine(Directory, "host.json");
        var host = JsonNode.Parse(File.ReadAllText(hostJson))!;
        host["extensions"]!["queues"]!["visibilityTimeout"] = "00:00:00";
        File.WriteAllText(hostJson, host.ToJsonString());
    }

    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
