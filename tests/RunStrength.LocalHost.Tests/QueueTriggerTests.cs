using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using RunStrength.LocalHost.Protocol;

namespace RunStrength.LocalHost.Tests;

public sealed class QueueTriggerTests
{
    private static readonly DateTimeOffset Inserted = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void WithoutHostJsonQueueOptionsAreTheExtensionsDefaults()
    {
        var options = QueuesOptions.Parse(JsonDocument.Parse("{}").RootElement, processorCount: 4);

        Assert.Equal((16, 32, 5, TimeSpan.Zero, TimeSpan.FromMinutes(1), QueueMessageEncoding.Base64),
            (options.BatchSize, options.NewBatchThreshold, options.MaxDequeueCount, options.VisibilityTimeout, options.MaxPollingInterval, options.MessageEncoding));
    }

    [Fact]
    public void HostJsonQueueOptionsAreRead()
    {
        var settings = Settings("""
            { "version": "2.0", "extensions": { "queues": { "batchSize": 4, "newBatchThreshold": 0, "maxDequeueCount": 3,
              "visibilityTimeout": "00:00:30", "maxPollingInterval": "00:00:02", "messageEncoding": "none" } } }
            """);

        var options = settings.Queues;

        Assert.Equal((4, 0, 3, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2), QueueMessageEncoding.None),
            (options.BatchSize, options.NewBatchThreshold, options.MaxDequeueCount, options.VisibilityTimeout, options.MaxPollingInterval, options.MessageEncoding));
    }

    [Theory]
    [InlineData(8, 2, 8)]
    [InlineData(1, 4, 0)]
    [InlineData(32, 1, 16)]
    public void NewBatchThresholdDefaultsToHalfTheBatchPerProcessor(int batchSize, int processors, int threshold) =>
        Assert.Equal(threshold, QueuesOptions.Parse(JsonDocument.Parse($$"""{ "batchSize": {{batchSize}} }""").RootElement, processors).NewBatchThreshold);

    [Theory]
    [InlineData("""{ "batchSize": 33 }""")]
    [InlineData("""{ "batchSize": 0 }""")]
    [InlineData("""{ "maxDequeueCount": 0 }""")]
    [InlineData("""{ "newBatchThreshold": -1 }""")]
    [InlineData("""{ "maxPollingInterval": "00:00:00.050" }""")]
    [InlineData("""{ "visibilityTimeout": "soon" }""")]
    [InlineData("""{ "messageEncoding": "utf8" }""")]
    public void QueueOptionsTheExtensionRejectsAreRejected(string json) =>
        Assert.Throws<InvalidOperationException>(() => QueuesOptions.Parse(JsonDocument.Parse(json).RootElement, 2));

    [Fact]
    public void PollingBacksOffExponentiallyWithJitterUpToTheMaximumAndResetsOnMessages()
    {
        var minimum = TimeSpan.FromMilliseconds(100);
        var backoff = new PollingBackoff(minimum, TimeSpan.FromSeconds(2), new Random(7));

        var first = backoff.Next(foundMessages: false);
        var delays = Enumerable.Range(1, 6).Select(_ => backoff.Next(foundMessages: false)).ToList();

        Assert.Equal(minimum, first);
        for (var n = 1; n <= 4; n++)
        {
            var growth = Math.Pow(2, n - 1) * minimum.TotalMilliseconds;
            Assert.InRange(delays[n - 1].TotalMilliseconds, minimum.TotalMilliseconds + (0.8 * growth), minimum.TotalMilliseconds + (1.2 * growth));
        }

        Assert.Equal(TimeSpan.FromSeconds(2), delays[^1]);
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Next(foundMessages: false));
        Assert.Equal(minimum, backoff.Next(foundMessages: true));
        Assert.InRange(backoff.Next(foundMessages: false).TotalMilliseconds, 180, 220);
    }

    [Theory]
    [InlineData("plan-build", "plan-build-poison")]
    [InlineData("plan-build-poison", null)]
    [InlineData("a23456789012345678901234567890123456789012345678901234567", null)]
    public void PoisonQueueIsTheQueueNameWithPoisonSuffixWhereThereIsRoom(string queue, string? poison) =>
        Assert.Equal(poison, QueueTriggers.PoisonQueueNameOf(queue));

    [Fact]
    public void QueueTriggerBindingIsDiscoveredWithItsSettingResolvedAndLowerCased()
    {
        var function = Queue("""{ "name": "message", "type": "queueTrigger", "direction": "In", "queueName": "%WorkQueue%", "connection": "Jobs", "dataType": "String" }""");
        var settings = Settings("{}") with { Values = new Dictionary<string, string> { ["WorkQueue"] = "Plan-Build", ["Jobs"] = "UseDevelopmentStorage=true" } };

        Assert.Equal((TriggerKind.Queue, "message", "%WorkQueue%", "Jobs", "String"), (function.Trigger, function.TriggerBindingName, function.QueueName, function.Connection, function.DataType));
        Assert.Equal("plan-build", QueueTriggers.QueueNameOf(settings, function));
        Assert.Equal("UseDevelopmentStorage=true", QueueTriggers.ConnectionStringOf(settings, function));
    }

    [Fact]
    public void ConnectionDefaultsToAzureWebJobsStorageAndAMissingOneIsAnError()
    {
        var function = Queue("""{ "name": "m", "type": "queueTrigger", "direction": "In", "queueName": "work" }""");
        var other = Queue("""{ "name": "m", "type": "queueTrigger", "direction": "In", "queueName": "work", "connection": "Elsewhere" }""");
        var settings = Settings("{}") with { Values = new Dictionary<string, string> { ["AzureWebJobsStorage"] = "conn" } };

        Assert.Equal("conn", QueueTriggers.ConnectionStringOf(settings, function));
        Assert.Throws<InvalidOperationException>(() => QueueTriggers.ConnectionStringOf(settings, other));
    }

    [Theory]
    [InlineData("String", """{"a":1}""", TypedData.DataOneofCase.String)]
    [InlineData(null, """{"a":1}""", TypedData.DataOneofCase.Json)]
    [InlineData(null, "plain", TypedData.DataOneofCase.String)]
    [InlineData("Binary", "plain", TypedData.DataOneofCase.Bytes)]
    public void InputIsTypedAsTheHostSendsIt(string? dataType, string body, TypedData.DataOneofCase expected)
    {
        var input = QueueTriggers.InputOf(Message(body, dequeueCount: 1), dataType);

        Assert.Equal(expected, input.DataCase);
        Assert.Equal(body, expected == TypedData.DataOneofCase.Bytes ? input.Bytes.ToStringUtf8() : expected == TypedData.DataOneofCase.Json ? input.Json : input.String);
    }

    [Fact]
    public void TriggerMetadataCarriesTheMessagePropertiesStringsAsStringsTheRestAsJson()
    {
        var metadata = QueueTriggers.TriggerMetadataOf(Message("hello", dequeueCount: 3), "Work", Inserted);

        Assert.Equal("hello", metadata["QueueTrigger"].String);
        Assert.Equal("id-1", metadata["Id"].String);
        Assert.Equal("pop-1", metadata["PopReceipt"].String);
        Assert.Equal("3", metadata["DequeueCount"].Json);
        Assert.Equal(Inserted, Parse(metadata["InsertionTime"].Json));
        Assert.Equal(Inserted.AddDays(7), Parse(metadata["ExpirationTime"].Json));
        Assert.Equal(Inserted.AddMinutes(10), Parse(metadata["NextVisibleTime"].Json));
        Assert.Equal("Work", JsonDocument.Parse(metadata["sys"].Json).RootElement.GetProperty("MethodName").GetString());
    }

    private static DateTimeOffset Parse(string json) => DateTimeOffset.Parse(JsonSerializer.Deserialize<string>(json)!, CultureInfo.InvariantCulture);

    private static QueueMessage Message(string body, long dequeueCount) =>
        QueuesModelFactory.QueueMessage("id-1", "pop-1", BinaryData.FromString(body), dequeueCount, Inserted.AddMinutes(10), Inserted, Inserted.AddDays(7));

    private static FunctionDescriptor Queue(string binding)
    {
        var metadata = new RpcFunctionMetadata { Name = "Work", FunctionId = "f1" };
        metadata.RawBindings.Add(binding);
        return FunctionDescriptor.From(metadata);
    }

    private static HostSettings Settings(string hostJson)
    {
        var directory = Directory.CreateTempSubdirectory();
        File.WriteAllText(Path.Combine(directory.FullName, "worker.config.json"), """{ "description": { "defaultExecutablePath": "dotnet", "defaultWorkerPath": "App.dll" } }""");
        File.WriteAllText(Path.Combine(directory.FullName, "host.json"), hostJson);
        return HostSettings.Load(directory.FullName, new Dictionary<string, string>());
    }
}
