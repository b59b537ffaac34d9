using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace RunStrength.LocalHost;

/// <summary>
/// Starts Azurite when the app uses development storage and nothing listens on Azurite's ports,
/// from a node_modules folder above the app or the working directory, or from PATH.
/// </summary>
public sealed partial class AzuriteLauncher : IAsyncDisposable
{
    private static readonly int[] Ports = [10000, 10001, 10002];
    private readonly Process _process;

    private AzuriteLauncher(Process process) => _process = process;

    public static async Task<AzuriteLauncher?> StartIfNeededAsync(HostSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var usesDevelopmentStorage = settings.Values.Values.Any(v => v.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase));
        if (!usesDevelopmentStorage)
        {
            return null;
        }

        if (Ports.Any(Listening))
        {
            LogAlreadyRunning(logger);
            return null;
        }

        var script = Find(settings.AppDirectory) ?? Find(Directory.GetCurrentDirectory());
        var start = script is null ? new ProcessStartInfo("azurite") : new ProcessStartInfo("node") { ArgumentList = { script } };
        var location = Path.Combine(Path.GetTempPath(), "localhost-azurite");
        foreach (var argument in (string[])["--silent", "--skipApiVersionCheck", "--location", location])
        {
            start.ArgumentList.Add(argument);
        }

        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
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

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Ports.All(Listening) && !process.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        LogStarted(logger, process.Id, location);
        return new AzuriteLauncher(process);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite already listens on its ports; using it")]
    private static partial void LogAlreadyRunning(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The app uses development storage but Azurite was not found (npm ci, or npm i -g azurite)")]
    private static partial void LogNotFound(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started Azurite (process {ProcessId}, data in {Location})")]
    private static partial void LogStarted(ILogger logger, int processId, string location);
}
