using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Plans;
using RunStrength.Functions.Scheduling;
using RunStrength.Storage;
using RunStrength.Testing;

namespace RunStrength.Functions.Tests.Scheduling;

/// <summary>The per-shard fan-out over the <c>plan-build</c> queue, on Azurite's tables and queues.</summary>
public sealed class FanOutTests(AzuriteFixture fixture, AzuriteQueues queues) : RunnerTest(fixture, queues), IClassFixture<AzuriteQueues>
{
    private static readonly DateTimeOffset Wednesday = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AboveTheThresholdATickSendsOneMessagePerShardWithDueWorkAndBuildsNothingItself()
    {
        var (users, due) = await DueUsersAsync(40);
        Settings.FanOutThreshold = 0;

        var tick = await DueTickAsync();
        var messages = await ReceiveAllAsync();

        var shards = due.Select(u => UserKey.For(u).Shard).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal((0, shards.Count), (tick.PlansBuilt, tick.ShardsEnqueued));
        Assert.Equal(shards, messages.Select(m => m.Shard).Order(StringComparer.Ordinal));
        Assert.All(messages, m => Assert.Equal((tick.RunId, Clock.GetUtcNow()), (m.RunId, m.UpTo)));
        Assert.Equal(tick.ShardsEnqueued, (await Runs.GetSummaryAsync(tick.RunId))!.ShardsEnqueued);
        Assert.True(due.Count < users.Count);
    }

    [Fact]
    public async Task AMessageDeliveredTwiceBuildsItsShardOnce()
    {
        var (_, due) = await DueUsersAsync(40);
        Settings.FanOutThreshold = 0;
        await DueTickAsync();
        var raw = await ReceiveAllAsync(raw: true);
        var functions = new ShardPlanFunctions(ShardBuilder(), Runner(), Runs, Clock);

        foreach (var message in raw)
        {
            await functions.BuildShardPlans(message, default);
        }

        Operations.Reset();
        foreach (var message in raw)
        {
            await functions.BuildShardPlans(message, default);
        }

        Assert.Equal(0, Operations.Writes);
        var rows = await PlanRowsAsync();
        Assert.Equal(due.Select(u => UserKey.For(u).Value).Order(StringComparer.Ordinal), rows.Where(r => r.Value.Contains("2026-W50")).Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal(due.Count, (await Runs.GetRunAsync(WeeklyPlanTimer.RunId(Clock.GetUtcNow()) + "-due").ToListAsync()).Sum(c => c.PlansBuilt));
    }

    [Fact]
    public async Task TwoDeliveriesOfOneShardAtOnceBuildEachUserOnce()
    {
        // One shard with many due users, built by two workers at the same moment.
        StartClockAt(Wednesday);
        var shard = UserKey.For("race-0").Shard;
        var users = Enumerable.Range(0, 20_000).Select(i => $"race-{i}").Where(u => UserKey.For(u).Shard == shard).Take(30).ToList();
        foreach (var user in users)
        {
            var created = await Profiles.CreateAsync(user, Profile("Europe/Amsterdam", variant: users.IndexOf(user)));
            await new WeekPlanner(Plans, Logs, Clock, Options.Create(Settings)).PlanAsync(user, Profile("Europe/Amsterdam", variant: users.IndexOf(user)), created.Version, default);
        }

        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));
        var results = await Task.WhenAll(ShardBuilder().BuildAsync(shard, Clock.GetUtcNow(), default), ShardBuilder().BuildAsync(shard, Clock.GetUtcNow(), default));

        Assert.Equal(users.Count, results.Sum(r => r.PlansBuilt));
        Assert.Equal(0, results.Sum(r => r.Failed));
        var rows = await PlanRowsAsync();
        Assert.All(users, u => Assert.Equal(["2026-W49", "2026-W50"], rows[UserKey.For(u).Value].Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task AMessageWhoseBuildFailsThrowsAndLeavesItsUsersDueForTheRetry()
    {
        var (_, due) = await DueUsersAsync(24);
        var shard = UserKey.For(due[0]).Shard;
        var inShard = due.Count(u => UserKey.For(u).Shard == shard);
        var message = new ShardWork("retry-run", shard, Clock.GetUtcNow()).ToMessage();
        var marks = await Plans.ListDueMarksAsync(Clock.GetUtcNow(), shard);

        var failing = new ShardPlanFunctions(ShardBuilder(new FailingWrites(Plans)), Runner(), Runs, Clock);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.BuildShardPlans(message, default));
        Assert.Equal(inShard, await Plans.CountDueAsync(shard, Clock.GetUtcNow(), marks));

        await new ShardPlanFunctions(ShardBuilder(), Runner(), Runs, Clock).BuildShardPlans(message, default);
        Assert.Equal(0, await Plans.CountDueAsync(shard, Clock.GetUtcNow(), marks));
        Assert.Equal(inShard, Assert.Single(await Runs.GetRunAsync("retry-run").ToListAsync()).PlansBuilt);
    }

    [Fact]
    public async Task WithReconcileFanOutTheDailySweepSendsEveryShardToTheQueueAndEachMessageSweepsItsShard()
    {
        // Profiles the API never planned (it failed after storing them): only the sweep finds them.
        StartClockAt(Wednesday);
        var users = await CreateUsersAsync(30);
        Settings.ReconcileFanOut = true;
        Settings.ReconcileHourUtc = Clock.GetUtcNow().Hour;

        await Timer().BuildWeeklyPlans(new TimerInfo { IsPastDue = false }, default);

        var runId = WeeklyPlanTimer.RunId(Clock.GetUtcNow());
        var sent = await ReceiveAllAsync(raw: true);
        var messages = sent.Select(ShardWork.Parse).ToList();
        Assert.Equal(UserKey.AllShards().Order(StringComparer.Ordinal), messages.Select(m => m.Shard).Order(StringComparer.Ordinal));
        Assert.All(messages, m => Assert.Equal((runId, ShardWork.Reconcile, Clock.GetUtcNow()), (m.RunId, m.Kind, m.UpTo)));
        var summary = (await Runs.GetSummaryAsync(runId))!;
        Assert.Equal((256, 0), (summary.ShardsEnqueued, summary.PlansBuilt));
        Assert.Null(await Runs.GetSummaryAsync(runId + "-due"));
        Assert.Empty(await PlanRowsAsync());

        var functions = new ShardPlanFunctions(ShardBuilder(), Runner(), Runs, Clock);
        foreach (var message in sent)
        {
            await functions.BuildShardPlans(message, default);
        }

        var checkpoints = await Runs.GetRunAsync(runId).ToListAsync();
        Assert.Equal(256, checkpoints.Count);
        Assert.Equal((users.Count, users.Count, 0), (checkpoints.Sum(c => c.UsersSeen), checkpoints.Sum(c => c.PlansBuilt), checkpoints.Sum(c => c.Failed)));
        var rows = await PlanRowsAsync();
        Assert.All(users, u => Assert.Equal(["2026-W49"], rows[UserKey.For(u).Value]));

        // The timer's execution retried: the shards already swept are not sent again.
        Assert.Equal(0, (await Runner().FanOutAsync(runId, default)).ShardsEnqueued);
        Assert.Empty(await ReceiveAllAsync());
    }

    [Fact]
    public async Task TheDefaultThresholdBuildsASmallTickInItsOwnExecution()
    {
        var (_, due) = await DueUsersAsync(24);

        var tick = await DueTickAsync();

        Assert.Equal((due.Count, 0), (tick.PlansBuilt, tick.ShardsEnqueued));
        Assert.Empty(await ReceiveAllAsync());
    }

    /// <summary>Users who signed up on Wednesday, and the clock moved to when about half of them are due.</summary>
    private async Task<(List<string> Users, List<string> Due)> DueUsersAsync(int count)
    {
        StartClockAt(Wednesday);
        var users = await CreateUsersAsync(count);
        var planner = new WeekPlanner(Plans, Logs, Clock, Options.Create(Settings));
        foreach (var user in users)
        {
            var stored = (await Profiles.GetAsync(user))!;
            await planner.PlanAsync(user, stored.Profile!, stored.Version, default);
        }

        var next = new Dictionary<string, DateTimeOffset>();
        foreach (var user in users)
        {
            next[user] = (await Plans.GetMarkerAsync(user))!.NextBuild!.Value;
        }

        Clock.SetUtcNow(next.Values.Order().ElementAt(count / 2));
        return (users, next.Where(n => n.Value <= Clock.GetUtcNow()).Select(n => n.Key).ToList());
    }

    private async Task<List<ShardWork>> ReceiveAllAsync() => (await ReceiveAllAsync(raw: true)).Select(ShardWork.Parse).ToList();

    /// <summary>Every message on the queue, as the trigger would hand them over (Base64-decoded).</summary>
    private async Task<List<string>> ReceiveAllAsync(bool raw)
    {
        _ = raw;
        var queue = new QueueClient(ConnectionString, QueuePrefix + PlanQueues.Build, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        if (!(await queue.ExistsAsync()).Value)
        {
            return [];
        }

        var bodies = new List<string>();
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } batch)
        {
            foreach (var message in batch)
            {
                bodies.Add(message.Body.ToString());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        return bodies;
    }

    private sealed class FailingWrites(IPlanStore inner) : ForwardingPlanStore(inner)
    {
        public override Task<ShardWrite> WriteUsersAsync(IReadOnlyList<UserWeeks> users, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("storage down");
    }
}
