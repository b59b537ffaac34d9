using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace TinyApp;

/// <summary>
/// A queue function for LocalHost's end-to-end tests: it records each message it gets (body and
/// trigger metadata) in the <c>tiny-received</c> queue; Work fails on "fail" and takes two seconds on "slow".
/// </summary>
public sealed partial class QueueFunctions(IConfiguration configuration, ILogger<QueueFunctions> logger)
{
    [Function("Work")]
    public async Task Work([QueueTrigger("%WorkQueue%")] string body, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (body == "fail")
        {
            throw new InvalidOperationException("Failure requested by the end-to-end test.");
        }

        if (body == "slow")
        {
            LogSlowStarted(logger);
            await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None);
        }

        await RecordAsync(body, context);
    }

    /// <summary>A JSON message bound to a POCO, as a fan-out message usually is.</summary>
    [Function("Shard")]
    public async Task Shard([QueueTrigger("tiny-shards")] ShardMessage message, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(message);
        await RecordAsync($"shard {message.Shard} of week {message.Week}", context);
    }

    private async Task RecordAsync(string body, FunctionContext context)
    {
        var received = context.BindingContext.BindingData.ToDictionary(d => d.Key, d => d.Value?.ToString());
        received["Body"] = body;
        var queue = new QueueClient(configuration["AzureWebJobsStorage"], "tiny-received", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(JsonSerializer.Serialize(received));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started the slow message")]
    private static partial void LogSlowStarted(ILogger logger);
}

public sealed record ShardMessage(int Shard, string Week);
