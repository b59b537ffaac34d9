using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RunStrength.Testing;

/// <summary>
/// A real Azurite table service (and, when asked, queue service) from the repository's pinned npm
/// package, on free loopback ports, in memory unless a folder is given. Stopped (with its process
/// tree) on dispose.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key; public, not a secret.</summary>
    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private AzuriteProcess(Process process, int port, int? queuePort, StringBuilder output)
    {
        _process = process;
        _output = output;
        TablePort = port;
        QueuePort = queuePort;
    }

    public int TablePort { get; }

    /// <summary>The queue service's port, when started with <see cref="StartWithQueuesAsync"/>.</summary>
    public int? QueuePort { get; }

    /// <summary>The node process serving the tables, to read its CPU time and memory.</summary>
    public int ProcessId => _process.Id;

    public string ConnectionString => string.Create(CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;{(QueuePort is { } queue ? $"QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" : "")}");

    public string Output { get { lock (_output) { return _output.ToString(); } } }

    /// <param name="dataDirectory">Persist to this folder instead of memory (to test restarts).</param>
    /// <param name="port">A port to reuse (after a restart); a free one when null.</param>
    public static Task<AzuriteProcess> StartAsync(string? dataDirectory = null, int? port = null, CancellationToken cancellationToken = default) =>
        StartAsync(dataDirectory, port, withQueues: false, cancellationToken);

    /// <summary>Tables and queues (and blobs, which Azurite's all-in-one entry point also serves), in memory.</summary>
    public static Task<AzuriteProcess> StartWithQueuesAsync(CancellationToken cancellationToken = default) =>
        StartAsync(null, null, withQueues: true, cancellationToken);

    private static async Task<AzuriteProcess> StartAsync(string? dataDirectory, int? port, bool withQueues, CancellationToken cancellationToken)
    {
        var root = RepositoryPaths.Root;
        var main = Path.Combine(root, "node_modules", "azurite", "dist", "src", withQueues ? "azurite.js" : Path.Combine("table", "main.js"));
        if (!File.Exists(main))
        {
            throw new InvalidOperationException($"Azurite is not installed ({main} is missing): run `npm ci` in {root}, or the test command `bash scripts/test.sh`.");
        }

        var tablePort = port ?? FreePort();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[main, "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(CultureInfo.InvariantCulture), "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl"])
        {
            start.ArgumentList.Add(argument);
        }

        int? queuePort = withQueues ? FreePort() : null;
        if (queuePort is { } queue)
        {
            foreach (var argument in (string[])["--queueHost", "127.0.0.1", "--queuePort", queue.ToString(CultureInfo.InvariantCulture), "--blobHost", "127.0.0.1", "--blobPort", FreePort().ToString(CultureInfo.InvariantCulture), "--silent"])
            {
                start.ArgumentList.Add(argument);
            }
        }

        if (dataDirectory is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(dataDirectory);
        }

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azurite = new AzuriteProcess(process, tablePort, queuePort, output);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await azurite.AcceptsConnectionsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await azurite.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"Azurite did not start on port {tablePort}: {azurite.Output}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return azurite;
    }

    /// <summary>
    /// Stops Azurite gracefully so it persists its data: azurite-table closes cleanly on SIGINT
    /// (Ctrl+C) only; on SIGTERM Node exits at once and unsaved writes are lost.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync().ConfigureAwait(false);
        }

        // It persists and logs "successfully closed", but its Node process may linger on open handles.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!_process.HasExited && !Output.Contains("successfully closed", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Azurite did not close within 30 s: {Output}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
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

    public static string RepositoryRoot() => RepositoryPaths.Root;

    private async Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, TablePort, cancellationToken).ConfigureAwait(false);
            if (QueuePort is { } queue)
            {
                using var queueClient = new TcpClient();
                await queueClient.ConnectAsync(IPAddress.Loopback, queue, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
