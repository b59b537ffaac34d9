using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using RunStrength.Testing;

namespace RunStrength.EndToEnd.Tests;

/// <summary>
/// An already-built function app running under RunStrength.LocalHost on a free port, with an
/// in-memory Azurite of the test's own, or a disk-backed one LocalHost starts itself. Exposes the
/// base URL, a way to fire any function, and the host's captured console output. Builds nothing
/// itself.
/// </summary>
public sealed class LocalHostFixture : IAsyncDisposable
{
    private readonly Process _host;
    private readonly StringBuilder _output;
    private readonly string _appDirectory;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly string? _connectionString;
    private AzuriteProcess? _azurite;

    private LocalHostFixture(Process host, StringBuilder output, Uri baseUrl, string appDirectory, IReadOnlyDictionary<string, string> settings, AzuriteProcess? azurite, string? connectionString, string adminToken)
    {
        _host = host;
        _output = output;
        BaseUrl = baseUrl;
        _appDirectory = appDirectory;
        _settings = settings;
        _azurite = azurite;
        _connectionString = connectionString;
        Client = new HttpClient(CreateHandler()) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };

        // The admin API wants this run's token; the app's own routes ignore the header.
        Client.DefaultRequestHeaders.Add("x-functions-key", adminToken);
    }

    public Uri BaseUrl { get; }

    /// <summary>
    /// The HTTP handler every client of this host should use: for the RunStrength app, it holds
    /// each response of the app's routes to openapi.json (<see cref="ContractCheckingHandler"/>).
    /// </summary>
    public HttpMessageHandler CreateHandler()
    {
        var network = new HttpClientHandler();
        if (!File.Exists(Path.Combine(_appDirectory, "RunStrength.Functions.dll")))
        {
            return network;
        }

#if CONTRACT_CHECKS
        // The tests check the contract; the benchmarks, which share this file, measure without it.
        return new ContractCheckingHandler { InnerHandler = network };
#else
        return network;
#endif
    }

    /// <summary>The connection string of this host's own Azurite, for tests that look at storage directly.</summary>
    public string? StorageConnectionString => _azurite?.ConnectionString ?? _connectionString;
    public HttpClient Client { get; }

    /// <summary>LocalHost's process id; it leads a process group of its own when LocalHost starts Azurite.</summary>
    public int ProcessId => _host.Id;

    public int? ExitCode => _host.HasExited ? _host.ExitCode : null;

    public string Logs { get { lock (_output) { return _output.ToString(); } } }

    public static string Configuration => typeof(LocalHostFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    public static string Output(string project) => Path.Combine(AzuriteProcess.RepositoryRoot(), "src", project, "bin", Configuration, "net10.0");

    /// <summary>
    /// The moment the app's test clock starts at in every end-to-end test, unless a test pins its
    /// own: <c>E2E_CLOCK_NOW</c> (an ISO 8601 instant) runs the suite on another day; by default
    /// Wednesday 2 December 2026, 10:00 UTC. Tests compute what they expect from it.
    /// </summary>
    public static DateTimeOffset PinnedNow { get; } =
        System.Environment.GetEnvironmentVariable("E2E_CLOCK_NOW") is { Length: > 0 } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The moment the app believes it is now (its test clock runs on in real time).</summary>
    public DateTimeOffset ClockStart => DateTimeOffset.Parse(_settings["Clock__Now"], CultureInfo.InvariantCulture);

    /// <summary>
    /// Starts the RunStrength function app with a fresh Azurite (tables and queues, so LocalHost
    /// polls <c>BuildShardPlans</c>'s <c>plan-build</c> queue) and the given extra app settings,
    /// its clock pinned to <see cref="PinnedNow"/> unless the settings pin another (<c>Clock__Now</c>).
    /// <paramref name="appDirectory"/> runs a copy of the built app instead (another host.json).
    /// </summary>
    public static async Task<LocalHostFixture> StartRunStrengthAsync(IReadOnlyDictionary<string, string>? settings = null, string? appDirectory = null)
    {
        var azurite = await AzuriteProcess.StartWithQueuesAsync();
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Storage__ConnectionString"] = azurite.ConnectionString,
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
        };
        all.TryAdd("Clock__Now", PinnedNow.ToString("O", CultureInfo.InvariantCulture));
        return await StartAsync(appDirectory ?? Output("RunStrength.Functions"), all, azurite);
    }

    /// <summary>
    /// Stops this host and starts the same app on the same storage with its clock at
    /// <paramref name="now"/>, as if time had passed, with <paramref name="changes"/> to its app
    /// settings; this fixture is done with afterwards.
    /// </summary>
    public async Task<LocalHostFixture> RestartAtAsync(DateTimeOffset now, IReadOnlyDictionary<string, string>? changes = null)
    {
        await StopAsync();
        var settings = new Dictionary<string, string>(_settings) { ["Clock__Now"] = now.ToString("O", CultureInfo.InvariantCulture) };
        foreach (var (key, value) in changes ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var azurite = _azurite;
        _azurite = null;
        await DisposeAsync();
        return await StartAsync(_appDirectory, settings, azurite);
    }

    /// <summary>
    /// Starts the RunStrength function app with LocalHost starting its own Azurite, with its data in
    /// <paramref name="dataDirectory"/>, on the given blob, queue and table ports. LocalHost runs as
    /// from a terminal: leading a process group of its own, with SIGINT at its default even when
    /// the test run itself ignores it (a background job).
    /// </summary>
    public static async Task<LocalHostFixture> StartRunStrengthWithOwnAzuriteAsync(string dataDirectory, IReadOnlyList<int> azuritePorts)
    {
        ArgumentNullException.ThrowIfNull(azuritePorts);
        var ports = string.Join(",", azuritePorts);
        var connection = string.Create(CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteProcess.DevelopmentKey};QueueEndpoint=http://127.0.0.1:{azuritePorts[1]}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{azuritePorts[2]}/devstoreaccount1;");
        return await StartAsync(Output("RunStrength.Functions"), new Dictionary<string, string> { ["Clock__Now"] = PinnedNow.ToString("O", CultureInfo.InvariantCulture) }, null,
            ["--azurite-location", dataDirectory, "--azurite-ports", ports], ["setsid", "env", "--default-signal=INT"], connection);
    }

    public static Task<LocalHostFixture> StartAsync(string appDirectory, IReadOnlyDictionary<string, string> settings, AzuriteProcess? azurite = null) =>
        StartAsync(appDirectory, settings, azurite, ["--no-azurite"], [], null);

    private static async Task<LocalHostFixture> StartAsync(string appDirectory, IReadOnlyDictionary<string, string> settings, AzuriteProcess? azurite,
        string[] hostArguments, string[] launcher, string? connectionString)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var port = FreePort();
        var adminToken = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        string[] command = [.. launcher, "dotnet", Path.Combine(Output("RunStrength.LocalHost"), "RunStrength.LocalHost.dll"), "--app", appDirectory, "--port", port.ToString(CultureInfo.InvariantCulture), "--admin-token", adminToken, .. hostArguments];
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = appDirectory,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add("--setting");
            start.ArgumentList.Add($"{key}={value}");
        }

        var output = new StringBuilder();
        var host = Process.Start(start)!;
        host.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        host.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();

        var fixture = new LocalHostFixture(host, output, new Uri($"http://127.0.0.1:{port}/"), appDirectory, settings, azurite, connectionString, adminToken);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !host.HasExited)
        {
            try
            {
                if ((await fixture.Client.GetAsync("admin/host/status")).IsSuccessStatusCode)
                {
                    return fixture;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        var logs = fixture.Logs;
        await fixture.DisposeAsync();
        throw new InvalidOperationException($"LocalHost did not start: {logs}");
    }

    /// <summary>Runs a function now through the host's admin route, as <c>func</c> does.</summary>
    public Task<HttpResponseMessage> FireAsync(string function) => Client.PostAsync($"admin/functions/{function}", null);

    /// <summary>Switches a function's trigger off or on through the host's admin route, as the portal's Disable and Enable do.</summary>
    public async Task SwitchAsync(string function, bool enabled)
    {
        using var response = await Client.PostAsync($"admin/functions/{function}/{(enabled ? "enable" : "disable")}", null);
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonNode> StatusAsync() => JsonNode.Parse(await Client.GetStringAsync("admin/host/status"))!;

    /// <summary>
    /// Stops the host with a signal (SIGTERM as a service manager sends it unless told otherwise)
    /// and waits for it. <paramref name="wholeGroup"/> sends it to the host's process group, as a
    /// terminal's Ctrl+C does.
    /// </summary>
    public async Task<TimeSpan> StopAsync(string signal = "TERM", bool wholeGroup = false)
    {
        var clock = Stopwatch.StartNew();
        if (!_host.HasExited)
        {
            var target = (wholeGroup ? -_host.Id : _host.Id).ToString(CultureInfo.InvariantCulture);
            using var kill = Process.Start("kill", [$"-{signal}", "--", target]);
            await kill!.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _host.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _host.Kill(entireProcessTree: true);
            }
        }

        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
        Client.Dispose();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
