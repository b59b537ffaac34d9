using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Account;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Notifications;
using RunStrength.Functions.Tests.Scheduling;
using RunStrength.Storage;
using RunStrength.Testing;

namespace RunStrength.Functions.Tests.Notifications;

/// <summary>
/// <c>DeliverPlanReady</c> with the real channel store and queue on Azurite, a loopback webhook
/// receiver and a fake Notification Hubs endpoint (a local listener standing in for the hub's REST API).
/// </summary>
#pragma warning disable CA1001 // The receivers are disposed in DisposeAsync (IAsyncLifetime), which xUnit calls.
public sealed class DeliveryTests(AzuriteFixture fixture, AzuriteQueues queues) : RunnerTest(fixture, queues), IClassFixture<AzuriteQueues>
{
    private const string Hub = "runstrength-hub";
    private const string HubKey = "hub-key-for-tests-only";
    private readonly LoopbackReceiver _receiver = new();
    private readonly LoopbackReceiver _hub = new();

    private NotificationOptions Notify => new()
    {
        SecretKey = WebhookRulesTests.Settings.SecretKey,
        HubConnectionString = $"Endpoint=sb://runstrength-tests.servicebus.windows.net/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey={HubKey}",
        HubName = Hub,
        HubEndpoint = _hub.Url,
        RetryDelay = TimeSpan.FromSeconds(1),
        MaxAttempts = 4,
    };

    [Fact]
    public async Task TheWebhookGetsOneSignedCloudEventEvenWhenTheMessageComesTwice()
    {
        var secret = await RegisterWebhookAsync("alice");
        var ready = Ready("alice", "2026-W50");

        await Delivery().DeliverPlanReady(ready.ToMessage(), default);
        await Delivery().DeliverPlanReady(ready.ToMessage(), default);

        var request = Assert.Single(_receiver.Requests);
        Assert.True(LoopbackReceiver.Verify(request, secret));
        Assert.Equal(ready.Id, request.Header("webhook-id"));
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), request.Header("webhook-timestamp"));
        Assert.Equal("application/cloudevents+json; charset=utf-8", request.Header("content-type"));
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(("runstrength.plan.ready", "2026-W50", ready.Id), (body["type"]!.GetValue<string>(), body["subject"]!.GetValue<string>(), body["id"]!.GetValue<string>()));
        Assert.False(LoopbackReceiver.Verify(request, WebhookSecrets.Create()));
        Assert.Equal(0, await RetriesAsync());
    }

    [Fact]
    public async Task AFailingReceiverIsRetriedFromTheQueueWithADoublingDelayAndTheSameId()
    {
        var secret = await RegisterWebhookAsync("bob");
        _receiver.Answer = (n, _) => n < 2 ? 503 : 200;
        var ready = Ready("bob", "2026-W50");

        await Delivery().DeliverPlanReady(ready.ToMessage(), default);

        // The retry waits on the queue, invisible for the first delay (1 s), then comes as attempt 1.
        var queue = ReadyQueue();
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty((await queue.ReceiveMessagesAsync(1)).Value);
        var first = await NextRetryAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((1, ready.Id), (first.Attempt, first.Id));

        await Delivery().DeliverPlanReady(first.ToMessage(), default);
        var started = DateTime.UtcNow;
        var second = await NextRetryAsync(TimeSpan.FromSeconds(8));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1.5), "the second delay doubles to 2 s");
        Assert.Equal(2, second.Attempt);

        await Delivery().DeliverPlanReady(second.ToMessage(), default);

        Assert.Equal([503, 503, 200], _receiver.Requests.Select(r => r.Answered));
        Assert.All(_receiver.Requests, r => Assert.Equal(ready.Id, r.Header("webhook-id")));
        Assert.All(_receiver.Requests, r => Assert.True(LoopbackReceiver.Verify(r, secret)));
        Assert.Equal(0, await RetriesAsync());
    }

    [Fact]
    public async Task A410SwitchesTheWebhookOffAndOther4xxAreNotRetried()
    {
        await RegisterWebhookAsync("carol");
        _receiver.Answer = (_, _) => 400;
        await Delivery().DeliverPlanReady(Ready("carol", "2026-W50").ToMessage(), default);
        Assert.Equal(0, await RetriesAsync());
        Assert.True((await Channels.GetWebhookAsync(UserKey.For("carol")))!.Enabled);

        _receiver.Answer = (_, _) => 410;
        await Delivery().DeliverPlanReady(Ready("carol", "2026-W51").ToMessage(), default);
        await Delivery().DeliverPlanReady(Ready("carol", "2026-W52").ToMessage(), default);

        var webhook = (await Channels.GetWebhookAsync(UserKey.For("carol")))!;
        Assert.Equal((false, "410 Gone"), (webhook.Enabled, webhook.DisabledReason));
        Assert.Equal([400, 410], _receiver.Requests.Select(r => r.Answered));
        Assert.Equal(0, await RetriesAsync());
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    public async Task TimeoutsThrottlingAndServerErrorsAreRetried(int status)
    {
        await RegisterWebhookAsync("dave");
        _receiver.Answer = (_, _) => status;

        await Delivery().DeliverPlanReady(Ready("dave", "2026-W50").ToMessage(), default);

        Assert.Equal(1, (await ReadyQueue().GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task AChannelSwitchedOffGetsNothing()
    {
        await RegisterWebhookAsync("erin");
        await Channels.SetSwitchesAsync(UserKey.For("erin"), new ChannelSwitches(Push: true, Webhook: false));

        await Delivery().DeliverPlanReady(Ready("erin", "2026-W50").ToMessage(), default);

        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task TheHubGetsTheInstallationTaggedWithTheUserAndATemplateSendWithASharedAccessSignature()
    {
        var user = UserKey.For("frank");
        var request = TestHttp.Request("PUT /api/me/devices/phone-1", user: "frank", body: """{"platform":"apns","pushChannel":"device-token-1"}""");
        var reply = await TestHttp.Execute(request, Functions().SetDevice(request, "phone-1", default));
        Assert.Equal(200, reply.Status);

        await Delivery().DeliverPlanReady(Ready("frank", "2026-W50").ToMessage(), default);

        var (put, send) = (_hub.Requests[0], _hub.Requests[1]);
        var hubId = NotificationHub.HubInstallationId(user, "phone-1");
        Assert.Equal(("PUT", $"/{Hub}/installations/{hubId}?api-version=2015-01"), (put.Method, put.PathAndQuery));
        var installation = JsonNode.Parse(put.Body)!;
        Assert.Equal(("apns", "device-token-1", $"user:{user.Value}"), (installation["platform"]!.GetValue<string>(), installation["pushChannel"]!.GetValue<string>(), installation["tags"]![0]!.GetValue<string>()));
        Assert.Contains("$(week)", installation["templates"]!["planReady"]!["body"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(("POST", $"/{Hub}/messages/?api-version=2015-01"), (send.Method, send.PathAndQuery));
        Assert.Equal("template", send.Header("servicebusnotification-format"));
        Assert.Equal($"user:{user.Value}", send.Header("servicebusnotification-tags"));
        Assert.Equal("application/json; charset=utf-8", send.Header("content-type"));
        Assert.Equal("2026-W50", JsonNode.Parse(send.Body)!["week"]!.GetValue<string>());
        Assert.Contains("2026-W50", JsonNode.Parse(send.Body)!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All([put, send], r => AssertSignedForTheHub(r.Header("authorization")));
    }

    [Fact]
    public async Task OneUserCannotReachAnotherUsersInstallation()
    {
        var put = TestHttp.Request("PUT /api/me/devices/shared-id", user: "grace", body: """{"platform":"fcmv1","pushChannel":"t"}""");
        await TestHttp.Execute(put, Functions().SetDevice(put, "shared-id", default));

        var delete = TestHttp.Request("DELETE /api/me/devices/shared-id", user: "mallory");
        var reply = await TestHttp.Execute(delete, Functions().RemoveDevice(delete, "shared-id", default));

        Assert.Equal(404, reply.Status);
        Assert.NotEqual(NotificationHub.HubInstallationId(UserKey.For("grace"), "shared-id"), NotificationHub.HubInstallationId(UserKey.For("mallory"), "shared-id"));
        Assert.DoesNotContain(_hub.Requests, r => r.PathAndQuery.Contains(NotificationHub.HubInstallationId(UserKey.For("grace"), "shared-id"), StringComparison.Ordinal) && r.Method == "DELETE");
        Assert.Single(await Channels.ListDevicesAsync(UserKey.For("grace")));
    }

    [Fact]
    public async Task ErasingTheUserRemovesTheirInstallationsAtTheHubTheirDevicesAndTheirWebhook()
    {
        await RegisterWebhookAsync("heidi");
        var put = TestHttp.Request("PUT /api/me/devices/tablet", user: "heidi", body: """{"platform":"fcmv1","pushChannel":"t"}""");
        await TestHttp.Execute(put, Functions().SetDevice(put, "tablet", default));

        var delete = TestHttp.Request("DELETE /api/me", user: "heidi");
        var reply = await TestHttp.Execute(delete, new AccountFunctions(TestHttp.Authenticator(), Eraser, new AuditLog(NullLoggerFactory.Instance, TimeProvider.System), Channels, Hub_()).Delete(delete, default));

        Assert.Equal(204, reply.Status);
        Assert.Contains(_hub.Requests, r => r.Method == "DELETE" && r.PathAndQuery.StartsWith($"/{Hub}/installations/{NotificationHub.HubInstallationId(UserKey.For("heidi"), "tablet")}?", StringComparison.Ordinal));
        Assert.Null(await Channels.GetWebhookAsync(UserKey.For("heidi")));
        Assert.Empty(await Channels.ListDevicesAsync(UserKey.For("heidi")));
    }

    [Fact]
    public async Task TheTestRouteSendsASignedTestEvent()
    {
        var secret = await RegisterWebhookAsync("ivan");
        var request = TestHttp.Request("POST /api/me/webhook/test", user: "ivan");

        var reply = await TestHttp.Execute(request, Functions().SendTest(request, default));

        Assert.Equal((200, true), (reply.Status, reply.Json["delivered"]!.GetValue<bool>()));
        var received = Assert.Single(_receiver.Requests);
        Assert.True(LoopbackReceiver.Verify(received, secret));
        Assert.Equal("runstrength.webhook.test", JsonNode.Parse(received.Body)!["type"]!.GetValue<string>());
    }

    public override async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _hub.DisposeAsync();
        await base.DisposeAsync();
    }

    private void AssertSignedForTheHub(string authorization)
    {
        Assert.StartsWith("SharedAccessSignature ", authorization, StringComparison.Ordinal);
        var fields = authorization["SharedAccessSignature ".Length..].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("DefaultFullSharedAccessSignature", fields["skn"]);
        Assert.Equal($"https://runstrength-tests.servicebus.windows.net/{Hub}", WebUtility.UrlDecode(fields["sr"]));
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(HubKey), Encoding.UTF8.GetBytes($"{fields["sr"]}\n{fields["se"]}")));
        Assert.Equal(expected, WebUtility.UrlDecode(fields["sig"]));
        Assert.Equal(Clock.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), fields["se"]);
    }

    private PlanReady Ready(string user, string week) =>
        new(UserKey.For(user).Value, week, 1, new WeekSummary("2026-12-07", "build", 1, 120, 1, 2, 6), Clock.GetUtcNow());

    private async Task<string> RegisterWebhookAsync(string user)
    {
        var request = TestHttp.Request("PUT /api/me/webhook", user: user, body: $$"""{"url":"{{_receiver.Url}}hooks/{{user}}"}""");
        var reply = await TestHttp.Execute(request, Functions().SetWebhook(request, default));
        Assert.Equal(200, reply.Status);
        return reply.Json["secret"]!.GetValue<string>();
    }

    private IOptions<NotificationOptions> NotificationSettings => Options.Create(Notify);

    private WebhookSender WebhookClient() =>
#pragma warning disable CA2000 // One client per test, as the app holds one.
        new(new HttpClient(new SocketsHttpHandler { ConnectCallback = new AddressGuard(allowLoopback: true).ConnectAsync, AllowAutoRedirect = false, UseProxy = false }), Clock);

    private NotificationHub Hub_() => new(new HttpClient(new SocketsHttpHandler { UseProxy = false }), NotificationSettings, Clock);
#pragma warning restore CA2000

    private NotificationFunctions Functions() =>
        new(TestHttp.Authenticator(), Channels, new WebhookSecrets(NotificationSettings), WebhookClient(), new AddressGuard(allowLoopback: true), Hub_(), Clock, NotificationSettings);

    private PlanReadyDelivery Delivery() =>
        new(Channels, Outbox, new WebhookSecrets(NotificationSettings), WebhookClient(), Hub_(), Clock, NotificationSettings, NullLogger<PlanReadyDelivery>.Instance);

    private QueueClient ReadyQueue() => new(ConnectionString, QueuePrefix + PlanQueues.Ready, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private async Task<PlanReady> NextRetryAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await ReadyQueue().ReceiveMessagesAsync(1)).Value is [var message])
            {
                await ReadyQueue().DeleteMessageAsync(message.MessageId, message.PopReceipt);
                return PlanReady.Parse(message.Body.ToString());
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("No retry came back on plan-ready.");
    }

    /// <summary>Retries waiting on plan-ready, visible or not yet.</summary>
    private async Task<int> RetriesAsync()
    {
        var queue = ReadyQueue();
        return (await queue.ExistsAsync()).Value ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }
}
#pragma warning restore CA1001
