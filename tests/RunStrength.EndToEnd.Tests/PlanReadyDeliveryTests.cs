using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using RunStrength.DevToken;
using RunStrength.Testing;

namespace RunStrength.EndToEnd.Tests;

/// <summary>
/// Plan-ready delivery under LocalHost and Azurite, with the test clock and loopback receivers: a
/// webhook receiver that verifies signatures as any Standard Webhooks receiver does, and a fake
/// Notification Hubs endpoint (<c>Notifications__HubEndpoint</c>, Development only). Users sign up
/// on Wednesday 2 December 2026 (2026-W49 is built at once); the timer runs on Saturday
/// 5 December, 12:00 UTC, when 2026-W50 is due in Amsterdam.
/// </summary>
#pragma warning disable CA1001 // The receivers are disposed in DisposeAsync (IAsyncLifetime), which xUnit calls.
public sealed class PlanReadyDeliveryTests : IAsyncLifetime
{
    private const string HubName = "runstrength-e2e";
    private const string HubKey = "e2e-hub-key";
    private static readonly DateTimeOffset SignUp = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset TickAt = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    private readonly LoopbackReceiver _receiver = new();
    private readonly LoopbackReceiver _hub = new();

    private Dictionary<string, string> Settings => new()
    {
        ["Clock__Now"] = SignUp.ToString("O", CultureInfo.InvariantCulture),

        // Only the test fires the timer.
        ["AzureWebJobs.BuildWeeklyPlans.Disabled"] = "true",
        ["Notifications__RetryDelay"] = "00:00:01",
        ["Notifications__HubConnectionString"] = $"Endpoint=sb://runstrength-e2e.servicebus.windows.net/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey={HubKey}",
        ["Notifications__HubName"] = HubName,
        ["Notifications__HubEndpoint"] = _hub.Url.ToString(),
    };

    [Fact]
    public async Task ATickDeliversExactlyOneSignedEventPerBuiltWeekByWebhookAndPush()
    {
        var host = await LocalHostFixture.StartRunStrengthAsync(Settings);
        try
        {
            const string user = "delivery-1";
            var secret = await RegisterWebhookAsync(host, user);
            var device = await host.SendAsUserAsync(HttpMethod.Put, "api/me/devices/phone-1", user, """{"platform":"fcmv1","pushChannel":"fcm-token-1"}""");
            Assert.Equal(HttpStatusCode.OK, device.Status);
            await SignUpAsync(host, user);
            await _receiver.WaitForAsync(1, TimeSpan.FromSeconds(60));

            host = await host.RestartAtAsync(TickAt);
            await host.FireAsync("BuildWeeklyPlans");
            await _receiver.WaitForAsync(2, TimeSpan.FromSeconds(60));

            // Another tick an hour on builds nothing and sends nothing.
            host = await host.RestartAtAsync(TickAt.AddHours(1));
            await host.FireAsync("BuildWeeklyPlans");
            await QueueDrainedAsync(host);

            var key = UserKey(user);
            var events = _receiver.Requests;
            Assert.Equal(["2026-W49", "2026-W50"], events.Select(e => JsonNode.Parse(e.Body)!["subject"]!.GetValue<string>()));
            Assert.All(events, e => Assert.True(LoopbackReceiver.Verify(e, secret), "the Standard Webhooks signature verifies"));
            Assert.Equal([$"evt_{key}_2026-W49_v1", $"evt_{key}_2026-W50_v1"], events.Select(e => e.Header("webhook-id")));
            Assert.All(events, e => Assert.Equal("runstrength.plan.ready", JsonNode.Parse(e.Body)!["type"]!.GetValue<string>()));
            Assert.Equal("/api/me/plans/2026-W50", JsonNode.Parse(events[1].Body)!["data"]!["path"]!.GetValue<string>());
            var week = await host.SendAsUserAsync(HttpMethod.Get, "api/me/plans/2026-W50", user);
            Assert.Equal(week.Body!["summary"]!["runMinutes"]!.GetValue<int>(), JsonNode.Parse(events[1].Body)!["data"]!["summary"]!["runMinutes"]!.GetValue<int>());

            // The hub got the installation, then one template send per week, each signed with the hub's key.
            var hubRequests = _hub.Requests;
            Assert.Equal(["PUT", "POST", "POST"], hubRequests.Select(r => r.Method));
            Assert.StartsWith($"/{HubName}/installations/", hubRequests[0].PathAndQuery, StringComparison.Ordinal);
            Assert.Equal($"user:{key}", JsonNode.Parse(hubRequests[0].Body)!["tags"]![0]!.GetValue<string>());
            Assert.All(hubRequests.Skip(1), r => Assert.Equal(("template", $"user:{key}"), (r.Header("servicebusnotification-format"), r.Header("servicebusnotification-tags"))));
            Assert.Equal(["2026-W49", "2026-W50"], hubRequests.Skip(1).Select(r => JsonNode.Parse(r.Body)!["week"]!.GetValue<string>()));
            Assert.All(hubRequests, r => AssertSignedForTheHub(r.Header("authorization")));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task AReceiverThatFailsThreeTimesThenSucceedsGetsTheEventEveryTimeWithTheSameId()
    {
        _receiver.Answer = (n, _) => n < 3 ? 503 : 200;
        var host = await LocalHostFixture.StartRunStrengthAsync(Settings);
        try
        {
            const string user = "delivery-2";
            var secret = await RegisterWebhookAsync(host, user);
            await SignUpAsync(host, user);

            var attempts = await _receiver.WaitForAsync(4, TimeSpan.FromSeconds(90));
            await QueueDrainedAsync(host);

            Assert.Equal([503, 503, 503, 200], _receiver.Requests.Select(r => r.Answered));
            Assert.Single(attempts.Select(a => a.Header("webhook-id")).Distinct(StringComparer.Ordinal));
            Assert.All(attempts, a => Assert.True(LoopbackReceiver.Verify(a, secret)));
            Assert.Contains("Plan-ready evt_", host.Logs, StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A410DisablesTheWebhookAndLaterWeeksAreNotSentToIt()
    {
        _receiver.Answer = (_, _) => 410;
        var host = await LocalHostFixture.StartRunStrengthAsync(Settings);
        try
        {
            const string user = "delivery-3";
            await RegisterWebhookAsync(host, user);
            await SignUpAsync(host, user);
            await _receiver.WaitForAsync(1, TimeSpan.FromSeconds(60));
            await QueueDrainedAsync(host);

            var webhook = await ChannelRowAsync(host, user, "webhook");
            Assert.Equal((false, "410 Gone"), (webhook.GetBoolean("Enabled"), webhook.GetString("DisabledReason")));

            host = await host.RestartAtAsync(TickAt);
            await host.FireAsync("BuildWeeklyPlans");
            await QueueDrainedAsync(host);

            Assert.Equal(HttpStatusCode.OK, (await host.SendAsUserAsync(HttpMethod.Get, "api/me/plans/2026-W50", user)).Status);
            Assert.Single(_receiver.Requests);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task AWorkerKilledBetweenThePlanCommitAndTheRelayStillDeliversTheEventOnce()
    {
        var host = await LocalHostFixture.StartRunStrengthAsync(Settings);
        try
        {
            const string user = "delivery-4";
            var secret = await RegisterWebhookAsync(host, user);
            await SignUpAsync(host, user);
            await _receiver.WaitForAsync(1, TimeSpan.FromSeconds(60));

            // The timer commits 2026-W50 with its event, and the worker dies before relaying it.
            host = await host.RestartAtAsync(TickAt, new Dictionary<string, string> { ["Faults__CrashAfterPlanCommit"] = "true" });
            var worker = (await host.StatusAsync())["workerProcessId"]!.GetValue<int>();
            await host.FireAsync("BuildWeeklyPlans");
            await EventuallyAsync(async () => (await host.StatusAsync())["workerProcessId"]?.GetValue<int>() is { } pid && pid != worker, host);
            Assert.Equal(["2026-W50"], (await OutboxRowsAsync(host)).Select(r => r.GetString("Week")));
            // The restarted worker answers once it is up; the week it committed is there.
            await EventuallyAsync(async () => (await host.SendAsUserAsync(HttpMethod.Get, "api/me/plans/2026-W50", user)).Status == HttpStatusCode.OK, host);
            Assert.Single(_receiver.Requests);

            // The next run's sweep relays it; the one after finds nothing left.
            host = await host.RestartAtAsync(TickAt.AddHours(1), new Dictionary<string, string> { ["Faults__CrashAfterPlanCommit"] = "false" });
            await host.FireAsync("BuildWeeklyPlans");
            await _receiver.WaitForAsync(2, TimeSpan.FromSeconds(60));
            await host.FireAsync("BuildWeeklyPlans");
            await QueueDrainedAsync(host);

            Assert.Empty(await OutboxRowsAsync(host));
            Assert.Equal(["2026-W49", "2026-W50"], _receiver.Requests.Select(e => JsonNode.Parse(e.Body)!["subject"]!.GetValue<string>()));
            Assert.All(_receiver.Requests, e => Assert.True(LoopbackReceiver.Verify(e, secret)));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _hub.DisposeAsync();
    }

    private async Task<string> RegisterWebhookAsync(LocalHostFixture host, string user)
    {
        var reply = await host.SendAsUserAsync(HttpMethod.Put, "api/me/webhook", user, $$"""{"url":"{{_receiver.Url}}hooks/{{user}}"}""");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return reply.Body!["secret"]!.GetValue<string>();
    }

    private static async Task SignUpAsync(LocalHostFixture host, string user)
    {
        const string profile = """
            { "goal": "balanced", "runningExperience": "intermediate", "strengthExperience": "beginner",
              "availableDays": ["mon", "wed", "fri", "sat"], "longRunDay": "sat", "maxSessionMinutes": 60,
              "weeklyRunMinutes": 120, "equipment": ["dumbbells"], "terrain": ["hills"], "birthYear": 1988,
              "timeZone": "Europe/Amsterdam" }
            """;
        Assert.Equal(HttpStatusCode.Created, (await host.SendAsUserAsync(HttpMethod.Put, "api/me/profile", user, profile)).Status);
    }

    /// <summary>A Shared Access Signature for the hub, checked as Service Bus checks it: HMAC-SHA256 of the encoded resource URI, a newline and the expiry.</summary>
    private static void AssertSignedForTheHub(string authorization)
    {
        Assert.StartsWith("SharedAccessSignature ", authorization, StringComparison.Ordinal);
        var fields = authorization["SharedAccessSignature ".Length..].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        Assert.Equal("DefaultFullSharedAccessSignature", fields["skn"]);
        Assert.Equal($"https://runstrength-e2e.servicebus.windows.net/{HubName}", WebUtility.UrlDecode(fields["sr"]));
        var signature = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(HubKey), Encoding.UTF8.GetBytes($"{fields["sr"]}\n{fields["se"]}"));
        Assert.Equal(Convert.ToBase64String(signature), WebUtility.UrlDecode(fields["sig"]));
    }

    private static string UserKey(string user) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(user)));

    /// <summary>Waits until no plan-ready message waits, visible or delayed, and none is in flight.</summary>
    private static async Task QueueDrainedAsync(LocalHostFixture host)
    {
        var queue = new QueueClient(host.StorageConnectionString, "plan-ready", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await EventuallyAsync(async () => (await queue.ExistsAsync()).Value && (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, host);

        // A message just received is deleted only after its delivery: give the last one time to finish.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await EventuallyAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, host);
    }

    private static async Task<List<TableEntity>> OutboxRowsAsync(LocalHostFixture host) =>
        await new TableServiceClient(host.StorageConnectionString).GetTableClient("plans").QueryAsync<TableEntity>(filter: "RowKey ge '!out-' and RowKey lt '!out.'").ToListAsync();

    private static async Task<TableEntity> ChannelRowAsync(LocalHostFixture host, string user, string kind)
    {
        var key = UserKey(user);
        return (await new TableServiceClient(host.StorageConnectionString).GetTableClient("channels").GetEntityAsync<TableEntity>(key[..2], $"{key}-{kind}")).Value;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> probe, LocalHostFixture host)
    {
        var deadline = Stopwatch.StartNew();
        while (!await probe())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), $"gave up waiting; host output:\n{host.Logs[^Math.Min(6000, host.Logs.Length)..]}");
            await Task.Delay(200);
        }
    }
}
#pragma warning restore CA1001
