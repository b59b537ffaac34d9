using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace RunStrength.LocalHost;

/// <summary>
/// Starts Azurite with its data on disk when the app uses development storage and nothing listens
/// on Azurite's ports, from a node_modules folder above the app or the working directory, or from
/// PATH. Stops it gracefully, because Azurite saves its data only when it closes on a signal.
/// </summary>
public sealed partial class AzuriteLauncher : IAsyncDisposable
{
    private const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>Azurite's well-known development account key; public, not a secret.</summary>
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const int SigInt = 2;
    private const int Services = 3;
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LingerAfterClose = TimeSpan.FromSeconds(2);
    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly Queue<string> _output = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _servicesClosed;
    private volatile bool _closing;

    private AzuriteLauncher(Process process, string location, ILogger logger)
    {
        _process = process;
        _logger = logger;
        Location = location;
        process.OutputDataReceived += (_, e) => Watch(e.Data);
        process.ErrorDataReceived += (_, e) => Watch(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    public string Location { get; }

    /// <summary>
    /// The app's settings with <c>UseDevelopmentStorage=true</c> spelled out for Azurite on these
    /// ports, since development storage always means 10000-10002.
    /// </summary>
    public static HostSettings PointAt(HostSettings settings, AzuritePorts ports)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(ports);
        if (ports == AzuritePorts.Default)
        {
            return settings;
        }

        var connection = string.Create(CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};BlobEndpoint=http://127.0.0.1:{ports.Blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{ports.Queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{ports.Table}/devstoreaccount1;");
        var values = settings.Values.ToDictionary(v => v.Key, v => IsDevelopmentStorage(v.Value) ? connection : v.Value, StringComparer.Ordinal);
        return settings with { Values = values };
    }

    public static async Task<AzuriteLauncher?> StartIfNeededAsync(HostSettings settings, string location, AzuritePorts ports, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(ports);
        if (!settings.Values.Values.Any(IsDevelopmentStorage))
        {
            return null;
        }

        if (ports.All.Any(Listening))
        {
            LogAlreadyRunning(logger, ports.Table);
            return null;
        }

        location = Path.GetFullPath(location);
        Directory.CreateDirectory(location);
        var script = Find(settings.AppDirectory) ?? Find(Directory.GetCurrentDirectory());
        List<string> command = script is null ? ["azurite"] : ["node", script];
        command.AddRange(["--silent", "--skipApiVersionCheck", "--disableTelemetry", "--location", location,
            "--blobPort", Text(ports.Blob), "--queuePort", Text(ports.Queue), "--tablePort", Text(ports.Table)]);

        // In a session of its own, a terminal's Ctrl+C reaches LocalHost only, which then stops the
        // worker first and Azurite last. (setsid execs in place, so the process id is Azurite's.)
        var setsid = OperatingSystem.IsWindows() ? null : FindOnPath("setsid");
        var start = new ProcessStartInfo(setsid ?? command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in setsid is null ? command.Skip(1) : command)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            LogNotFound(logger);
            return null;
        }

        var azurite = new AzuriteLauncher(process, location, logger);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!ports.All.All(Listening) && !process.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        if (process.HasExited)
        {
            LogFailed(logger, process.ExitCode, azurite.Output);
            await azurite.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        LogStarted(logger, process.Id, ports.Table, location);
        return azurite;
    }

    /// <summary>
    /// Sends SIGINT, waits up to 10 s for Azurite to close its services (which saves the data), and
    /// kills it only after that bound.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Azurite handles one signal; a second SIGINT would kill it mid-save. So signal only if
            // nothing else (a terminal's Ctrl+C to the whole process group) has started its close.
            var signalled = _closing || Interrupt();
            var exited = _process.WaitForExitAsync(CancellationToken.None);
            var bound = Task.Delay(signalled ? StopBound : TimeSpan.Zero);
            if (await Task.WhenAny(exited, _closed.Task, bound).ConfigureAwait(false) == bound && signalled)
            {
                LogKilled(_logger, StopBound.TotalSeconds, Output);
            }
            else if (!exited.IsCompleted)
            {
                // Closed and saved; Node can linger on open handles for a while.
                await Task.WhenAny(exited, Task.Delay(LingerAfterClose)).ConfigureAwait(false);
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await exited.ConfigureAwait(false);
            }

            if (_closed.Task.IsCompleted)
            {
                LogStopped(_logger, Location);
            }
        }

        _process.Dispose();
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    private static bool IsDevelopmentStorage(string value) => value.Trim().TrimEnd(';').Equals(DevelopmentStorage, StringComparison.OrdinalIgnoreCase);

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private void Watch(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 50)
            {
                _output.Dequeue();
            }
        }

        if (line.Contains("is closing", StringComparison.Ordinal))
        {
            _closing = true;
        }

        if (line.Contains("successfully closed", StringComparison.Ordinal) && Interlocked.Increment(ref _servicesClosed) == Services)
        {
            _closed.TrySetResult();
        }
    }

    private bool Interrupt()
    {
        if (!OperatingSystem.IsWindows() && SendSignal(_process.Id, SigInt) == 0)
        {
            return true;
        }

        // No signals on Windows: only a kill is left, and Azurite loses what it has not saved.
        LogNoSignal(_logger);
        return false;
    }

    private static string? Find(string from)
    {
        for (var directory = new DirectoryInfo(from); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "node_modules", "azurite", "dist", "src", "azurite.js");
            if (File.Exists(script))
            {
                return script;
            }
        }

        return null;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private static bool Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int processId, int signal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite already listens on port {TablePort}; using it (its data stays wherever it keeps it)")]
    private static partial void LogAlreadyRunning(ILogger logger, int tablePort);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The app uses development storage but Azurite was not found (npm ci, or npm i -g azurite)")]
    private static partial void LogNotFound(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azurite exited at start with code {ExitCode}: {Output}")]
    private static partial void LogFailed(ILogger logger, int exitCode, string output);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started Azurite (process {ProcessId}, tables on port {TablePort}, data in {Location})")]
    private static partial void LogStarted(ILogger logger, int processId, int tablePort, string location);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite stopped; data saved in {Location}")]
    private static partial void LogStopped(ILogger logger, string location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azurite did not close within {Seconds} s and was killed; recent writes may be lost. {Output}")]
    private static partial void LogKilled(ILogger logger, double seconds, string output);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not signal Azurite to close; stopping it by kill")]
    private static partial void LogNoSignal(ILogger logger);
}
