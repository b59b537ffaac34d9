using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RunStrength.LocalHost.Protocol;

namespace RunStrength.LocalHost;

/// <summary>
/// Runs the worker process: starts it the way the Functions host does, hands its gRPC stream to a
/// <see cref="WorkerChannel"/>, restarts it when it crashes, and stops it cleanly (WorkerTerminate,
/// then kill after a grace period) so no process is left behind.
/// </summary>
public sealed partial class WorkerSupervisor(HostSettings settings, GrpcEndpoint grpc, ILogger<WorkerSupervisor> logger, ILoggerFactory loggerFactory) : IHostedService, IDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(5);
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();

    // The worker's own lines (RpcLog and console) under a short category, apart from the supervisor's.
    private readonly ILogger _workerLogger = loggerFactory.CreateLogger("Worker");
    private TaskCompletionSource<WorkerChannel> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private WorkerChannel? _channel;
    private int _restarts;
    private Task? _stop;
    private volatile bool _shuttingDown;

    public int? WorkerProcessId => _process is { HasExited: false } p ? p.Id : null;
    public int Restarts => _restarts;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Launch();
        return Task.CompletedTask;
    }

    /// <summary>The ready worker, waiting for a (re)start to finish.</summary>
    public async Task<WorkerChannel> ReadyAsync(CancellationToken cancellationToken)
    {
        Task<WorkerChannel> ready;
        lock (_gate)
        {
            ready = _ready.Task;
        }

        return await ready.WaitAsync(StartupTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Called by the gRPC service for the worker's event stream; returns when the stream ends.</summary>
    public async Task AttachAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        var channel = new WorkerChannel(settings, _workerLogger);
        TaskCompletionSource<WorkerChannel> ready;
        lock (_gate)
        {
            _channel = channel;
            ready = _ready;
        }

        _ = channel.Ready.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    LogReady(logger, t.Result.Count, channel.HttpUri?.ToString() ?? "classic HttpRequestData model");
                }

                ready.TrySetResult(channel);
            }
            else
            {
                LogNotReady(logger, t.Exception?.GetBaseException().Message ?? "cancelled");
            }
        }, TaskScheduler.Default);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        await channel.RunAsync(requests, responses, stop.Token).ConfigureAwait(false);
    }

    /// <summary>Stops the worker once; later and concurrent calls wait for that same stop.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _stop ??= StopWorkerAsync();
        }
    }

    private async Task StopWorkerAsync()
    {
        _shuttingDown = true;
        Process? process;
        WorkerChannel? channel;
        lock (_gate)
        {
            process = _process;
            channel = _channel;
        }

        if (process is null || process.HasExited)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            return;
        }

        // Ask first; the stream must stay open until the worker has read WorkerTerminate.
        channel?.Terminate(TerminateGrace);
        using var grace = new CancellationTokenSource(TerminateGrace + TimeSpan.FromSeconds(2));
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        LogStopped(logger, process.ExitCode);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _process?.Dispose();
    }

    private void Launch()
    {
        var workerId = Guid.NewGuid().ToString();
        var requestId = Guid.NewGuid().ToString();
        var port = grpc.Port.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(settings.WorkerExecutable)
        {
            WorkingDirectory = settings.AppDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(settings.AppDirectory, settings.WorkerPath));
        foreach (var argument in (string[])[
            "--host", "127.0.0.1", "--port", port, "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", "2147483647",
            "--functions-uri", $"http://127.0.0.1:{port}/", "--functions-worker-id", workerId, "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", "2147483647"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings.Values)
        {
            start.Environment[key] = value;
        }

        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = settings.AppDirectory;
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = settings.AppDirectory;
        start.Environment.TryAdd("AZURE_FUNCTIONS_ENVIRONMENT", "Development");

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {settings.WorkerExecutable}.");
        process.EnableRaisingEvents = true;
        process.OutputDataReceived += (_, e) => Relay(e.Data, LogLevel.Information);
        process.ErrorDataReceived += (_, e) => Relay(e.Data, LogLevel.Warning);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => OnExited(process);
        lock (_gate)
        {
            _process = process;
        }

        LogStarted(logger, process.Id, settings.WorkerPath);
    }

    private void OnExited(Process process)
    {
        WorkerChannel? channel;
        lock (_gate)
        {
            if (!ReferenceEquals(process, _process))
            {
                return;
            }

            channel = _channel;
            if (_ready.Task.IsCompleted)
            {
                _ready = new TaskCompletionSource<WorkerChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        channel?.Close("the worker process exited");
        if (_shuttingDown || _stopping.IsCancellationRequested)
        {
            return;
        }

        var restart = Interlocked.Increment(ref _restarts);
        LogCrashed(logger, process.ExitCode, restart);
        _ = Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 250 * restart)), _stopping.Token)
            .ContinueWith(t => { if (!t.IsCanceled) { Launch(); } }, TaskScheduler.Default);
    }

    private void Relay(string? line, LogLevel level)
    {
        if (!string.IsNullOrEmpty(line) && _workerLogger.IsEnabled(level))
        {
#pragma warning disable CA1848, CA2254 // Relaying the worker's own console output.
            _workerLogger.Log(level, "{Line}", line);
#pragma warning restore CA1848, CA2254
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker process {ProcessId} started ({WorkerPath})")]
    private static partial void LogStarted(ILogger logger, int processId, string workerPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker ready: {Count} functions loaded, HTTP via {HttpUri}")]
    private static partial void LogReady(ILogger logger, int count, string httpUri);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker failed to become ready: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker process exited unexpectedly with code {ExitCode}; restart {Restart}")]
    private static partial void LogCrashed(ILogger logger, int exitCode, int restart);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker stopped with exit code {ExitCode}")]
    private static partial void LogStopped(ILogger logger, int exitCode);
}

/// <summary>Where the worker reaches the host's gRPC endpoint (a free loopback port).</summary>
public sealed class GrpcEndpoint(int port)
{
    public int Port { get; } = port;
}

/// <summary>The gRPC service the worker connects to.</summary>
public sealed class FunctionRpcService(WorkerSupervisor supervisor) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return supervisor.AttachAsync(requestStream, responseStream, context.CancellationToken);
    }
}
