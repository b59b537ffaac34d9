using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Plans;
using RunStrength.Functions.Scheduling;
using RunStrength.Storage;
using RunStrength.Testing;

namespace RunStrength.Functions.Tests.Scheduling;

/// <summary>The plan-ready outbox on Azurite's tables and queues: events commit with their plans and are relayed once.</summary>
public sealed class OutboxTests(AzuriteFixture fixture, AzuriteQueues queues) : RunnerTest(fixture, queues), IClassFixture<AzuriteQueues>
{
    private static readonly DateTimeOffset Wednesday = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EveryBuiltWeekCommitsOneEventWithItsPlanAndTheSweepRelaysEachOnce()
    {
        await CreateUsersAsync(24);

        var run = await TickAsync();

        Assert.InRange(run.PlansBuilt, 24, 48);
        var plans = await PlanRowsAsync();
        var expected = plans.SelectMany(p => p.Value.Select(week => $"{p.Key}-{week}")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Count, run.PlansBuilt);
        Assert.Equal(expected, (await OutboxRowsAsync()).Select(r => $"{r.RowKey[5..69]}-{r.GetString("Week")}").Order(StringComparer.Ordinal));

        Assert.Equal(expected.Count, await Outbox.RelayAllAsync(8));
        var messages = await ReceiveAllAsync();
        Assert.Equal(expected, messages.Select(m => $"{m.UserKey}-{m.Week}").Order(StringComparer.Ordinal));
        Assert.All(messages, m => Assert.Equal($"evt_{m.UserKey}_{m.Week}_v1", m.Id));
        Assert.All(messages, m => Assert.Equal(IsoWeekStart(m.Week), m.Summary.WeekStart));
        Assert.Empty(await OutboxRowsAsync());

        Assert.Equal(0, await Outbox.RelayAllAsync(8));
        Assert.Empty(await ReceiveAllAsync());
    }

    [Fact]
    public async Task TwoBuildsOfOneShardAtOnceCommitOneEventPerUser()
    {
        StartClockAt(Wednesday);
        var shard = UserKey.For("race-0").Shard;
        var users = Enumerable.Range(0, 20_000).Select(i => $"race-{i}").Where(u => UserKey.For(u).Shard == shard).Take(20).ToList();
        foreach (var user in users)
        {
            var created = await Profiles.CreateAsync(user, Profile("Europe/Amsterdam", variant: users.IndexOf(user)));
            await new WeekPlanner(Plans, Logs, Clock, Options.Create(Settings), Outbox).PlanAsync(user, Profile("Europe/Amsterdam", variant: users.IndexOf(user)), created.Version, default);
        }

        // Sign-up relayed its own events at once.
        Assert.Empty(await OutboxRowsAsync());
        Assert.Equal(users.Count, (await ReceiveAllAsync()).Count(m => m.Week == "2026-W49"));

        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));
        var results = await Task.WhenAll(ShardBuilder().BuildAsync(shard, Clock.GetUtcNow(), default), ShardBuilder().BuildAsync(shard, Clock.GetUtcNow(), default));

        Assert.Equal(users.Count, results.Sum(r => r.PlansBuilt));
        var rows = await OutboxRowsAsync();
        Assert.Equal(users.Select(u => UserKey.For(u).Value).Order(StringComparer.Ordinal), rows.Select(r => r.RowKey[5..69]).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("2026-W50", r.GetString("Week")));
    }

    [Fact]
    public async Task EventsACrashLeftInTheOutboxAreSentByTheNextTimerRun()
    {
        await CreateUsersAsync(12);

        // The build committed, and the process died before relaying: only the outbox knows.
        var built = (await TickAsync()).PlansBuilt;
        Assert.Equal(built, (await OutboxRowsAsync()).Count);
        Assert.Empty(await ReceiveAllAsync());

        Clock.Advance(TimeSpan.FromHours(1));
        var timer = new WeeklyPlanTimer(Runner(), DueTick(), Clock, Options.Create(Settings), NullLogger<WeeklyPlanTimer>.Instance, Outbox);
        await timer.BuildWeeklyPlans(new Microsoft.Azure.Functions.Worker.TimerInfo(), default);

        Assert.Empty(await OutboxRowsAsync());
        var messages = await ReceiveAllAsync();
        Assert.Equal(built, messages.Select(m => m.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(built, messages.Count);
    }

    [Fact]
    public async Task ErasingAUserRemovesTheirWaitingEvents()
    {
        var users = await CreateUsersAsync(3);
        await TickAsync();

        await Plans.DeleteUserAsync(users[0]);

        Assert.Equal(
            users.Skip(1).Select(u => UserKey.For(u).Value).Order(StringComparer.Ordinal),
            (await OutboxRowsAsync()).Select(r => r.RowKey[5..69]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AMessageRoundTripsAndABrokenOneIsRefused()
    {
        var ready = new PlanReady(new string('a', 64), "2026-W50", 3, new WeekSummary("2026-12-07", "build", 2, 150, 2, 3, 6), Saturday) { Attempt = 2 };

        var parsed = PlanReady.Parse(ready.ToMessage());

        Assert.Equal(ready, parsed);
        Assert.Equal($"evt_{new string('a', 64)}_2026-W50_v3", parsed.Id);
        Assert.Throws<FormatException>(() => PlanReady.Parse("""{"userKey":"short","week":"2026-W50","profileVersion":1}"""));
    }

    private static string IsoWeekStart(string week) => RunStrength.Planning.IsoWeek.Parse(week).Monday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<List<TableEntity>> OutboxRowsAsync()
    {
        var table = await Tables.GetAsync(Tables.Plans);
        return await table.QueryAsync<TableEntity>(filter: "RowKey ge '!out-' and RowKey lt '!out.'").ToListAsync();
    }

    /// <summary>Every message on <c>plan-ready</c>, as the trigger would hand them over (Base64-decoded).</summary>
    private async Task<List<PlanReady>> ReceiveAllAsync()
    {
        var queue = new QueueClient(ConnectionString, QueuePrefix + PlanQueues.Ready, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        if (!(await queue.ExistsAsync()).Value)
        {
            return [];
        }

        var messages = new List<PlanReady>();
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } batch)
        {
            foreach (var message in batch)
            {
                messages.Add(PlanReady.Parse(message.Body.ToString()));
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        return messages;
    }
}
