using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using RunStrength.LocalHost.Protocol;

namespace RunStrength.LocalHost;

/// <summary>
/// One connected worker: the handshake (init, metadata, load), invocations and their responses,
/// and the worker's logs. The gRPC response stream is not thread-safe, so one loop writes it.
/// </summary>
public sealed partial class WorkerChannel(HostSettings settings, ILogger logger)
{
    public const string HostVersion = "4.1040.0";

    private readonly Channel<StreamingMessage> _outgoing = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _pending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<IReadOnlyList<FunctionDescriptor>> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<FunctionDescriptor> _functions = [];
    private int _loadsOutstanding;

    /// <summary>Completes with the loaded functions once every FunctionLoadResponse arrived.</summary>
    public Task<IReadOnlyList<FunctionDescriptor>> Ready => _ready.Task;

    /// <summary>Completes when the worker's stream ends.</summary>
    public Task Closed => _closed.Task;

    /// <summary>The worker's own HTTP endpoint when it uses ASP.NET Core integration; null for the classic model.</summary>
    public Uri? HttpUri { get; private set; }

    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(responses);
        var writer = Task.Run(async () =>
        {
            await foreach (var message in _outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await responses.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);

        try
        {
            await foreach (var message in requests.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Handle(message);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or Grpc.Core.RpcException)
        {
            LogStreamEnded(logger, e.Message);
        }
        finally
        {
            Close("the worker disconnected");
            try
            {
                await writer.ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException or Grpc.Core.RpcException)
            {
                // The stream is gone; nothing more can be written.
            }
        }
    }

    public Task<InvocationResponse> InvokeAsync(FunctionDescriptor function, IEnumerable<ParameterBinding> inputs, IDictionary<string, TypedData> triggerMetadata, string? invocationId = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        var id = invocationId ?? Guid.NewGuid().ToString();
        var completion = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        var request = new InvocationRequest
        {
            InvocationId = id,
            FunctionId = function.Id,
            TraceContext = new RpcTraceContext { TraceParent = $"00-{Guid.NewGuid():N}-{Guid.NewGuid().ToString("N")[..16]}-01" },
        };
        request.InputData.AddRange(inputs);
        request.TriggerMetadata.Add(triggerMetadata);
        if (!_outgoing.Writer.TryWrite(new StreamingMessage { InvocationRequest = request }) || _closed.Task.IsCompleted)
        {
            _pending.TryRemove(id, out _);
            completion.TrySetException(new WorkerUnavailableException("The worker is not connected."));
        }

        return completion.Task;
    }

    public void Cancel(string invocationId) =>
        _outgoing.Writer.TryWrite(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = invocationId, GracePeriod = Duration.FromTimeSpan(TimeSpan.Zero) } });

    public void Terminate(TimeSpan gracePeriod) =>
        _outgoing.Writer.TryWrite(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(gracePeriod) } });

    /// <summary>Fails every pending invocation: the worker is gone.</summary>
    public void Close(string reason)
    {
        _outgoing.Writer.TryComplete();
        _ready.TrySetException(new WorkerUnavailableException($"The worker stopped before it was ready: {reason}."));
        foreach (var (id, pending) in _pending)
        {
            if (_pending.TryRemove(id, out _))
            {
                pending.TrySetException(new WorkerUnavailableException($"The worker stopped during the invocation: {reason}."));
            }
        }

        _closed.TrySetResult();
    }

    private void Handle(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                Send(new StreamingMessage
                {
                    WorkerInitRequest = new WorkerInitRequest
                    {
                        HostVersion = HostVersion,
                        WorkerDirectory = settings.AppDirectory,
                        FunctionAppDirectory = settings.AppDirectory,
                    },
                });
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                var init = message.WorkerInitResponse;
                if (init.Result?.Status == StatusResult.Types.Status.Failure)
                {
                    _ready.TrySetException(new WorkerUnavailableException($"Worker init failed: {init.Result.Exception?.Message}"));
                    return;
                }

                HttpUri = init.Capabilities.TryGetValue("HttpUri", out var uri) && Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed : null;
                Send(new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = settings.AppDirectory } });
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                Load(message.FunctionMetadataResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                var load = message.FunctionLoadResponse;
                if (load.Result?.Status == StatusResult.Types.Status.Failure)
                {
                    LogLoadFailed(logger, load.FunctionId, load.Result.Exception?.Message ?? "unknown error");
                }

                if (Interlocked.Decrement(ref _loadsOutstanding) == 0)
                {
                    _ready.TrySetResult(_functions);
                }

                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (_pending.TryRemove(message.InvocationResponse.InvocationId, out var pending))
                {
                    pending.TrySetResult(message.InvocationResponse);
                }

                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                WorkerLog.Write(logger, message.RpcLog, settings.WorkerLogLevels);
                break;
        }
    }

    private void Load(FunctionMetadataResponse response)
    {
        if (response.Result?.Status == StatusResult.Types.Status.Failure)
        {
            _ready.TrySetException(new WorkerUnavailableException($"Indexing functions failed: {response.Result.Exception?.Message}"));
            return;
        }

        var metadata = response.FunctionMetadataResults.Count > 0 || !response.UseDefaultMetadataIndexing
            ? response.FunctionMetadataResults.ToList()
            : ReadMetadataFile();
        _functions = metadata.Select(FunctionDescriptor.From).ToList();
        if (_functions.Count == 0)
        {
            _ready.TrySetResult(_functions);
            return;
        }

        _loadsOutstanding = _functions.Count;
        foreach (var function in _functions)
        {
            function.Metadata.FunctionId = function.Id;
            Send(new StreamingMessage { FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.Id, Metadata = function.Metadata } });
        }
    }

    /// <summary>functions.metadata, for workers that ask the host to index (use_default_metadata_indexing).</summary>
    private List<RpcFunctionMetadata> ReadMetadataFile()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(settings.AppDirectory, "functions.metadata")));
        var result = new List<RpcFunctionMetadata>();
        foreach (var function in document.RootElement.EnumerateArray())
        {
            var metadata = new RpcFunctionMetadata
            {
                Name = function.GetProperty("name").GetString(),
                ScriptFile = function.GetProperty("scriptFile").GetString(),
                EntryPoint = function.GetProperty("entryPoint").GetString(),
                Language = function.TryGetProperty("language", out var language) ? language.GetString() : "dotnet-isolated",
                Directory = settings.AppDirectory,
                FunctionId = Guid.NewGuid().ToString(),
            };
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                metadata.RawBindings.Add(binding.GetRawText());
                metadata.Bindings[binding.GetProperty("name").GetString()] = new BindingInfo
                {
                    Type = binding.GetProperty("type").GetString(),
                    Direction = string.Equals(binding.GetProperty("direction").GetString(), "Out", StringComparison.OrdinalIgnoreCase) ? BindingInfo.Types.Direction.Out : BindingInfo.Types.Direction.In,
                };
            }

            result.Add(metadata);
        }

        return result;
    }

    private void Send(StreamingMessage message) => _outgoing.Writer.TryWrite(message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {FunctionId} failed to load: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string functionId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker stream ended: {Reason}")]
    private static partial void LogStreamEnded(ILogger logger, string reason);
}

/// <summary>The worker is not running, crashed, or stopped mid-invocation.</summary>
public sealed class WorkerUnavailableException : Exception
{
    public WorkerUnavailableException()
    {
    }

    public WorkerUnavailableException(string message)
        : base(message)
    {
    }

    public WorkerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Streams the worker's logs to the host's console with their level and category, filtered as host.json says.</summary>
internal static class WorkerLog
{
    public static void Write(ILogger logger, RpcLog log, CategoryLevels levels)
    {
        var level = log.Level switch
        {
            RpcLog.Types.Level.Trace => LogLevel.Trace,
            RpcLog.Types.Level.Debug => LogLevel.Debug,
            RpcLog.Types.Level.Information => LogLevel.Information,
            RpcLog.Types.Level.Warning => LogLevel.Warning,
            RpcLog.Types.Level.Error => LogLevel.Error,
            RpcLog.Types.Level.Critical => LogLevel.Critical,
            _ => LogLevel.None,
        };
        if (level == LogLevel.None || !logger.IsEnabled(level) || !levels.IsEnabled(log.Category ?? "", level))
        {
            return;
        }

#pragma warning disable CA1848, CA2254 // The worker's message is already formatted; the host only relays it.
        logger.Log(level, "[{Category}] {Message}{Exception}", log.Category, log.Message, log.Exception is null ? "" : $" {log.Exception.Type}: {log.Exception.Message}");
#pragma warning restore CA1848, CA2254
    }
}
