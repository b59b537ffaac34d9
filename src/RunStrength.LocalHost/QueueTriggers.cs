using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Google.Protobuf;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RunStrength.LocalHost.Protocol;

namespace RunStrength.LocalHost;

/// <summary>
/// Runs queue triggers as the Storage Queues extension does: receives batches with a 10-minute
/// visibility timeout (renewed while the function runs), fetches more when in-flight messages drop
/// to <c>newBatchThreshold</c>, backs off while the queue is empty or missing, deletes a message on
/// success, releases it with <c>visibilityTimeout</c> on failure, and moves it to
/// <c>&lt;queue&gt;-poison</c> once its dequeue count reaches <c>maxDequeueCount</c>. A disabled
/// function fetches nothing until it is enabled.
/// </summary>
public sealed partial class QueueTriggers(HostSettings settings, WorkerSupervisor supervisor, IReadOnlyList<FunctionDescriptor> functions, FunctionSwitches switches, TimeProvider clock, ILogger<QueueTriggers> logger)
    : BackgroundService
{
    public const string DefaultConnection = "AzureWebJobsStorage";
    private const string PoisonSuffix = "-poison";
    private const int MaxQueueNameLength = 63;

    // The extension holds received messages invisible this long and renews at half of it.
    private static readonly TimeSpan ReceiveVisibility = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MinimumRenewal = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _fetching = new();
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private CancellationToken _stopped;

    /// <summary>The queue a function listens to: <c>%Setting%</c> resolved and lower-cased, as the host does.</summary>
    public static string QueueNameOf(HostSettings settings, FunctionDescriptor function)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(function);
        return settings.Resolve(function.QueueName ?? throw new InvalidOperationException($"{function.Name} has no queueName.")).ToLowerInvariant();
    }

    /// <summary><c>&lt;queue&gt;-poison</c>, or null for a queue that is itself a poison queue or whose name leaves no room.</summary>
    public static string? PoisonQueueNameOf(string queueName)
    {
        ArgumentNullException.ThrowIfNull(queueName);
        var poison = queueName + PoisonSuffix;
        return queueName.EndsWith(PoisonSuffix, StringComparison.Ordinal) || poison.Length > MaxQueueNameLength ? null : poison;
    }

    /// <summary>The connection string in the binding's <c>connection</c> setting (or <c>AzureWebJobs&lt;name&gt;</c>), AzureWebJobsStorage when none is named.</summary>
    public static string ConnectionStringOf(HostSettings settings, FunctionDescriptor function)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(function);
        var name = function.Connection ?? DefaultConnection;
        return settings.Values.TryGetValue(name, out var value) && value.Length > 0 ? value
            : settings.Values.TryGetValue("AzureWebJobs" + name, out var prefixed) && prefixed.Length > 0 ? prefixed
            : throw new InvalidOperationException($"The storage connection setting '{name}' of {function.Name} is not set.");
    }

    /// <summary>The trigger input as the host sends it: bytes for Binary, a string for String, JSON for a POCO when the body is JSON.</summary>
    public static TypedData InputOf(QueueMessage message, string? dataType)
    {
        ArgumentNullException.ThrowIfNull(message);
        var bytes = message.Body?.ToArray() ?? [];
        var text = AsString(bytes);
        if (string.Equals(dataType, "Binary", StringComparison.OrdinalIgnoreCase) || text is null)
        {
            return new TypedData { Bytes = ByteString.CopyFrom(bytes) };
        }

        return dataType is null && IsJsonObjectOrArray(text) ? new TypedData { Json = text } : new TypedData { String = text };
    }

    /// <summary>
    /// The binding data the extension exposes, typed as the host sends it: strings as <c>string</c>,
    /// the dequeue count and times as <c>json</c>, plus <c>sys</c>.
    /// </summary>
    public static Dictionary<string, TypedData> TriggerMetadataOf(QueueMessage message, string functionName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var metadata = new Dictionary<string, TypedData>(StringComparer.Ordinal)
        {
            ["DequeueCount"] = new() { Json = JsonSerializer.Serialize(message.DequeueCount) },
            ["ExpirationTime"] = new() { Json = JsonSerializer.Serialize(message.ExpiresOn ?? DateTimeOffset.MaxValue) },
            ["Id"] = new() { String = message.MessageId },
            ["InsertionTime"] = new() { Json = JsonSerializer.Serialize(message.InsertedOn ?? now) },
            ["NextVisibleTime"] = new() { Json = JsonSerializer.Serialize(message.NextVisibleOn ?? DateTimeOffset.MaxValue) },
            ["PopReceipt"] = new() { String = message.PopReceipt },
            ["sys"] = new() { Json = JsonSerializer.Serialize(new { MethodName = functionName, UtcNow = now, RandGuid = Guid.NewGuid() }) },
        };
        if (AsString(message.Body?.ToArray() ?? []) is { } text)
        {
            metadata["QueueTrigger"] = new TypedData { String = text };
        }

        return metadata;
    }

    /// <summary>
    /// Stops fetching messages and waits, up to <paramref name="grace"/>, for the ones in flight; what
    /// is still running after that is released when the worker stops.
    /// </summary>
    public async Task DrainAsync(TimeSpan grace)
    {
        await _fetching.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_inFlight.Keys).WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogDrainTimedOut(logger, _inFlight.Count);
        }
    }

    public override void Dispose()
    {
        _fetching.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopped = stoppingToken;
        using var fetching = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _fetching.Token);
        await Task.WhenAll(functions.Where(f => f.Trigger == TriggerKind.Queue).Select(f => ListenAsync(f, fetching.Token))).ConfigureAwait(false);
    }

    private async Task ListenAsync(FunctionDescriptor function, CancellationToken fetching)
    {
        QueueClient queue;
        QueueClient? poison;
        QueueClient? rawPoison;
        try
        {
            var name = QueueNameOf(settings, function);
            var connection = ConnectionStringOf(settings, function);
            var poisonName = PoisonQueueNameOf(name);
            var raw = new QueueServiceClient(connection, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
            rawPoison = poisonName is null ? null : raw.GetQueueClient(poisonName);
            var options = new QueueClientOptions { MessageEncoding = settings.Queues.MessageEncoding };

            // A body that is not valid Base64 cannot be decoded: like the extension, move it as it is.
            options.MessageDecodingFailed += args => args.ReceivedMessage is { } undecodable
                ? MoveToPoisonAsync(function, args.Queue, rawPoison, undecodable)
                : Task.CompletedTask;
            var service = new QueueServiceClient(connection, options);
            queue = service.GetQueueClient(name);
            poison = poisonName is null ? null : service.GetQueueClient(poisonName);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            LogNotListening(logger, function.Name, e.Message);
            return;
        }

        LogListening(logger, function.Name, queue.Name);
        var queues = settings.Queues;
        var backoff = new PollingBackoff(QueuesOptions.MinimumPollingInterval, queues.MaxPollingInterval, Random.Shared);
        var processing = new List<Task>();
        var found = false;
        bool? exists = null;
        while (!fetching.IsCancellationRequested)
        {
            QueueMessage[] batch = [];
            try
            {
                // A disabled function receives nothing: its messages wait in the queue, visible, until
                // it is enabled. Disabling waits for a fetch under way, so none slips past the switch.
                using (await switches.EnterFetchAsync(function.Name, fetching).ConfigureAwait(false))
                {
                    // Receiving from a missing queue only logs errors: check first, until it exists.
                    if (exists != true)
                    {
                        exists = (await queue.ExistsAsync(fetching).ConfigureAwait(false)).Value;
                    }

                    if (exists == true)
                    {
                        batch = (await queue.ReceiveMessagesAsync(queues.BatchSize, ReceiveVisibility, fetching).ConfigureAwait(false)).Value;
                    }
                }
            }
            catch (OperationCanceledException) when (fetching.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (IsStorageFailure(e))
            {
                // Storage unreachable or refusing: back off and try again, as the extension does.
                exists = null;
                LogPollFailed(logger, function.Name, queue.Name, e.Message);
            }

            try
            {
                if (batch.Length == 0)
                {
                    await Task.Delay(backoff.Next(found), clock, fetching).ConfigureAwait(false);
                    found = false;
                    continue;
                }

                found = true;
                foreach (var message in batch)
                {
                    var task = ProcessAsync(function, queue, poison, message);
                    _inFlight[task] = true;
                    _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    processing.Add(task);
                }

                processing.RemoveAll(t => t.IsCompleted);
                while (processing.Count > queues.NewBatchThreshold)
                {
                    processing.Remove(await Task.WhenAny(processing).WaitAsync(fetching).ConfigureAwait(false));
                }
            }
            catch (OperationCanceledException) when (fetching.IsCancellationRequested)
            {
                break;
            }
        }

        // Graceful: every message already received is finished, completed or released.
        await Task.WhenAll(processing).ConfigureAwait(false);
    }

    private async Task ProcessAsync(FunctionDescriptor function, QueueClient queue, QueueClient? poison, QueueMessage message)
    {
        await Task.Yield();
        var queues = settings.Queues;
        try
        {
            if (message.DequeueCount > queues.MaxDequeueCount)
            {
                await MoveToPoisonAsync(function, queue, poison, message).ConfigureAwait(false);
                return;
            }

            Outcome outcome;
            using (var renewing = new CancellationTokenSource())
            {
                var current = message;
                var renewal = RenewAsync(queue, () => current, updated => current = updated, renewing.Token);
                outcome = await InvokeAsync(function, message).ConfigureAwait(false);
                await renewing.CancelAsync().ConfigureAwait(false);
                await renewal.ConfigureAwait(false);
                message = current;
            }

            if (outcome == Outcome.Succeeded)
            {
                await IgnoringGoneAsync(() => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None)).ConfigureAwait(false);
            }
            else if (outcome == Outcome.Interrupted)
            {
                // Cut off by the host's own stop, not by the message: release it for the next run, never poison it.
                await IgnoringGoneAsync(() => queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None)).ConfigureAwait(false);
            }
            else if (poison is null)
            {
                // Without a poison queue the extension leaves a failed message invisible, to avoid a fast loop.
            }
            else if (message.DequeueCount >= queues.MaxDequeueCount)
            {
                await MoveToPoisonAsync(function, queue, poison, message).ConfigureAwait(false);
            }
            else
            {
                await IgnoringGoneAsync(() => queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: queues.VisibilityTimeout, cancellationToken: CancellationToken.None)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            // The message stays invisible until its visibility timeout ends, then comes back.
            LogCompleteFailed(logger, function.Name, message.MessageId, e.Message);
        }
    }

    private async Task<Outcome> InvokeAsync(FunctionDescriptor function, QueueMessage message)
    {
        WorkerChannel channel;
        try
        {
            channel = await supervisor.ReadyAsync(_stopped).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WorkerUnavailableException or TimeoutException or OperationCanceledException)
        {
            return _stopped.IsCancellationRequested || _fetching.IsCancellationRequested ? Outcome.Interrupted : Fail(e.Message);
        }

        var invocationId = Guid.NewGuid().ToString();
        var input = new ParameterBinding { Name = function.TriggerBindingName, Data = InputOf(message, function.DataType) };
        try
        {
            var response = await channel.InvokeAsync(function, [input], TriggerMetadataOf(message, function.Name, clock.GetUtcNow()), invocationId)
                .WaitAsync(settings.FunctionTimeout).ConfigureAwait(false);
            return response.Result?.Status == StatusResult.Types.Status.Success ? Outcome.Succeeded : Fail(response.Result?.Exception?.Message ?? "unknown error");
        }
        catch (TimeoutException)
        {
            channel.Cancel(invocationId);
            return Fail($"timed out after {settings.FunctionTimeout}");
        }
        catch (WorkerUnavailableException e)
        {
            return _fetching.IsCancellationRequested ? Outcome.Interrupted : Fail(e.Message);
        }

        Outcome Fail(string reason)
        {
            LogInvocationFailed(logger, function.Name, message.MessageId, message.DequeueCount, reason);
            return Outcome.Failed;
        }
    }

    /// <summary>Keeps a running message invisible: renews at half the visibility timeout, sooner after a failed renewal.</summary>
    private async Task RenewAsync(QueueClient queue, Func<QueueMessage> current, Action<QueueMessage> updated, CancellationToken cancellationToken)
    {
        var normal = ReceiveVisibility / 2;
        var interval = normal;
        try
        {
            while (true)
            {
                await Task.Delay(interval, clock, cancellationToken).ConfigureAwait(false);
                var message = current();
                try
                {
                    var receipt = await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: ReceiveVisibility, cancellationToken: cancellationToken).ConfigureAwait(false);
                    updated(message.Update(receipt.Value));
                    interval = normal;
                }
                catch (Exception e) when (IsStorageFailure(e))
                {
                    interval = interval / 2 > MinimumRenewal ? interval / 2 : MinimumRenewal;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The invocation finished.
        }
    }

    private async Task MoveToPoisonAsync(FunctionDescriptor function, QueueClient queue, QueueClient? poison, QueueMessage message)
    {
        if (poison is null)
        {
            return;
        }

        LogPoisoned(logger, function.Name, message.MessageId, settings.Queues.MaxDequeueCount, poison.Name);
        await poison.CreateIfNotExistsAsync().ConfigureAwait(false);
        await poison.SendMessageAsync(message.Body).ConfigureAwait(false);
        await IgnoringGoneAsync(() => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None)).ConfigureAwait(false);
    }

    /// <summary>A message taken over by another receiver (400), or gone with its queue (404, 409), needs nothing more.</summary>
    private static async Task IgnoringGoneAsync(Func<Task> operation)
    {
        try
        {
            await operation().ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404 or 409)
        {
        }
    }

    /// <summary>A refused request, or a transport failure (Azure.Core throws AggregateException once its retries are spent).</summary>
    private static bool IsStorageFailure(Exception e) => e is RequestFailedException or AggregateException or HttpRequestException or IOException;

    private static string? AsString(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static bool IsJsonObjectOrArray(string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private enum Outcome { Succeeded, Failed, Interrupted }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue {Function}: listening to '{Queue}'")]
    private static partial void LogListening(ILogger logger, string function, string queue);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Function} is not listening: {Reason}")]
    private static partial void LogNotListening(ILogger logger, string function, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Function}: polling '{Queue}' failed ({Reason}); backing off")]
    private static partial void LogPollFailed(ILogger logger, string function, string queue, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Function} failed on message {MessageId} (dequeue count {DequeueCount}): {Reason}")]
    private static partial void LogInvocationFailed(ILogger logger, string function, string messageId, long dequeueCount, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Function}: message {MessageId} has reached MaxDequeueCount of {MaxDequeueCount}. Moving message to queue '{PoisonQueue}'.")]
    private static partial void LogPoisoned(ILogger logger, string function, string messageId, int maxDequeueCount, string poisonQueue);

    [LoggerMessage(Level = LogLevel.Error, Message = "Queue {Function}: completing message {MessageId} failed ({Reason})")]
    private static partial void LogCompleteFailed(ILogger logger, string function, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {Count} queue messages still running; they are released when the worker stops")]
    private static partial void LogDrainTimedOut(ILogger logger, int count);
}
