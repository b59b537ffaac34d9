using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RunStrength.Testing;

/// <summary>Azurite's queue service, in memory on a free port, for the tests of the queue fan-out.</summary>
public sealed class AzuriteQueues : IAsyncLifetime
{
    private Process? _process;
    private readonly StringBuilder _output = new();

    public int Port { get; private set; }

    /// <summary>The queue endpoint, to append to a table connection string of the same development account.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"QueueEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;");

    public async Task InitializeAsync()
    {
        var main = Path.Combine(RepositoryPaths.Root, "node_modules", "azurite", "dist", "src", "queue", "main.js");
        if (!File.Exists(main))
        {
            throw new InvalidOperationException($"Azurite is not installed ({main} is missing): run `npm ci`.");
        }

        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[main, "--queueHost", "127.0.0.1", "--queuePort", Port.ToString(CultureInfo.InvariantCulture), "--skipApiVersionCheck", "--loose", "--inMemoryPersistence"])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (!_process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
