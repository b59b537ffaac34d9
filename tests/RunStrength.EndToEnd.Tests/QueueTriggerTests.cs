using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using RunStrength.Testing;

namespace RunStrength.EndToEnd.Tests;

/// <summary>
/// Queue triggers under LocalHost, with TinyApp's <c>Work</c> function on <c>%WorkQueue%</c>, its
/// <c>Shard</c> function on <c>tiny-shards</c>, and its host.json's <c>maxDequeueCount</c> of 3.
/// Both record what they received in <c>tiny-received</c>.
/// </summary>
public sealed class QueueTriggerTests : IAsyncLifetime
{
    private const int MaxDequeueCount = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private LocalHostFixture _host = null!;
    private QueueClient _work = null!;
    private QueueClient _received = null!;
    private QueueClient _shards = null!;
    private QueueClient _rawWork = null!;
    private QueueClient _rawPoison = null!;

    public async Task InitializeAsync()
    {
        var app = await GenericHostTests.BuildTinyAppAsync();
        var azurite = await AzuriteProcess.StartWithQueuesAsync();
        var settings = new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString, ["WorkQueue"] = "Tiny-Work" };
        _host = await LocalHostFixture.StartAsync(app, settings, azurite);

        // Producers encode Base64, as the extension expects. The host creates no queue it listens to.
        var service = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        _work = service.GetQueueClient("tiny-work");
        _received = service.GetQueueClient("tiny-received");
        _shards = service.GetQueueClient("tiny-shards");

        // Without encoding: to send a body that is not Base64, and to see the poison queue's bodies as stored.
        var raw = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        _rawWork = raw.GetQueueClient("tiny-work");
        _rawPoison = raw.GetQueueClient("tiny-work-poison");
        await _work.CreateIfNotExistsAsync();
        await _received.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task StatusListsTheQueueFunctionWithItsSettingResolvedAndLowerCased()
    {
        var status = await _host.StatusAsync();

        var work = status["functions"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "Work")!;
        Assert.Equal(("queue", "tiny-work"), (work["trigger"]!.GetValue<string>(), work["queueName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task EachMessageIsDeliveredOnceWithItsBodyAndTriggerMetadata()
    {
        var sent = new Dictionary<string, SendReceipt>();
        foreach (var body in Enumerable.Range(1, 6).Select(i => $"message {i}"))
        {
            sent[body] = (await _work.SendMessageAsync(body)).Value;
        }

        var records = await ReceivedAsync(sent.Count);
        await Task.Delay(TimeSpan.FromSeconds(3));
        records.AddRange(await DrainReceivedAsync());

        Assert.Equal(sent.Keys.Order(), records.Select(r => r["Body"]).Order());
        foreach (var record in records)
        {
            var receipt = sent[record["Body"]!];
            Assert.Equal(record["Body"], record["QueueTrigger"]);
            Assert.Equal(receipt.MessageId, record["Id"]);
            Assert.Equal("1", record["DequeueCount"]);
            Assert.Equal(receipt.InsertionTime, Time(record["InsertionTime"]));
            Assert.Equal(receipt.ExpirationTime, Time(record["ExpirationTime"]));
            Assert.True(Time(record["NextVisibleTime"]) > receipt.InsertionTime.AddMinutes(9), record["NextVisibleTime"]);
            Assert.False(string.IsNullOrEmpty(record["PopReceipt"]));
        }

        Assert.Equal(0, (await _work.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task AJsonMessageIsBoundToAPocoParameter()
    {
        await _shards.CreateIfNotExistsAsync();
        const string json = """{"Shard":7,"Week":"2026-W49"}""";

        await _shards.SendMessageAsync(json);

        var record = Assert.Single(await ReceivedAsync(1));
        Assert.Equal(("shard 7 of week 2026-W49", json), (record["Body"], record["QueueTrigger"]));
    }

    [Fact]
    public async Task AFailingMessageIsTriedMaxDequeueCountTimesThenMovedToThePoisonQueue()
    {
        var receipt = (await _work.SendMessageAsync("fail")).Value;
        await _work.SendMessageAsync("fine");

        var poisoned = await EventuallyAsync(async () => (await _rawPoison.ExistsAsync()).Value ? (await _rawPoison.PeekMessageAsync()).Value : null);

        Assert.Equal("fail", Encoding.UTF8.GetString(Convert.FromBase64String(poisoned.Body.ToString())));
        Assert.Equal("fine", Assert.Single(await ReceivedAsync(1))["Body"]);
        Assert.Equal("gone", await EventuallyAsync(async () => (await _work.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0 ? "gone" : null));
        Assert.Equal(MaxDequeueCount, Regex.Count(_host.Logs, $"Work failed on message {receipt.MessageId}"));
        Assert.Contains($"has reached MaxDequeueCount of {MaxDequeueCount}. Moving message to queue 'tiny-work-poison'", _host.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageThatIsNotBase64GoesToThePoisonQueueAsItIsWithoutRunning()
    {
        await _rawWork.SendMessageAsync("not base64 {}");

        var poisoned = await EventuallyAsync(async () => (await _rawPoison.ExistsAsync()).Value ? (await _rawPoison.PeekMessageAsync()).Value : null);

        Assert.Equal("not base64 {}", poisoned.Body.ToString());

        // The host copies to the poison queue and then deletes the original: wait for the delete.
        Assert.Equal("gone", await EventuallyAsync(async () => (await _work.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0 ? "gone" : null));
        Assert.Empty(await DrainReceivedAsync());
        Assert.DoesNotContain("Work failed on message", _host.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADisabledFunctionLeavesItsMessagesInTheQueueUntilItIsEnabled()
    {
        await _host.SwitchAsync("Work", enabled: false);
        var status = await _host.StatusAsync();
        Assert.True(status["functions"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "Work")!["disabled"]!.GetValue<bool>());
        await _work.SendMessageAsync("held");

        // Three polling intervals (host.json's maxPollingInterval is a second): never received, so never dequeued.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var waiting = Assert.Single((await _work.PeekMessagesAsync(2)).Value);
        Assert.Equal(("held", 0L), (waiting.Body.ToString(), waiting.DequeueCount));
        Assert.Empty(await DrainReceivedAsync());

        await _host.SwitchAsync("Work", enabled: true);

        var record = Assert.Single(await ReceivedAsync(1));
        Assert.Equal(("held", "1"), (record["Body"], record["DequeueCount"]));
    }

    [Fact]
    public async Task StoppingLetsAMessageInFlightFinish()
    {
        await _work.SendMessageAsync("slow");
        await EventuallyAsync(() => Task.FromResult(_host.Logs.Contains("Started the slow message", StringComparison.Ordinal) ? "" : null));

        var took = await _host.StopAsync();

        Assert.Equal("slow", Assert.Single(await DrainReceivedAsync())["Body"]);
        Assert.Equal(0, (await _work.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}");
        Assert.Contains("Worker stopped with exit code 0", _host.Logs, StringComparison.Ordinal);
    }

    private static DateTimeOffset Time(string? json) => DateTimeOffset.Parse(JsonSerializer.Deserialize<string>(json!)!, CultureInfo.InvariantCulture);

    private async Task<List<Dictionary<string, string?>>> ReceivedAsync(int count)
    {
        var records = new List<Dictionary<string, string?>>();
        await EventuallyAsync(async () =>
        {
            records.AddRange(await DrainReceivedAsync());
            return records.Count >= count ? "" : null;
        });
        return records;
    }

    private async Task<List<Dictionary<string, string?>>> DrainReceivedAsync()
    {
        var messages = (await _received.ReceiveMessagesAsync(32)).Value;
        foreach (var message in messages)
        {
            await _received.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        return messages.Select(m => JsonSerializer.Deserialize<Dictionary<string, string?>>(m.Body.ToString())!).ToList();
    }

    private async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Nothing after {Patience}. Host output:\n{_host.Logs}");
    }
}
