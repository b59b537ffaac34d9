using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RunStrength.LocalHost;

// A local Azure Functions host for .NET isolated workers:
//   RunStrength.LocalHost --app <built app folder> [--port 7071] [--setting Key=Value]... [--no-azurite]
//     [--azurite-location .azurite] [--azurite-ports 10000,10001,10002] [--verbose]
var options = LocalHostOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(LocalHostOptions.Usage);
    return 2;
}

// SIGINT and SIGTERM stop everything in order (worker, then Azurite) at any stage. Cancelling the
// default action keeps a second Ctrl+C from killing the host while Azurite saves its data.
using var stopping = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopping.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); });

// The console shows the app's own lines; --verbose brings back lifetime lines and every worker category.
var lifetimeLevel = options.Verbose ? LogLevel.Information : LogLevel.Warning;
using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));
var log = loggerFactory.CreateLogger("LocalHost");
var settings = HostSettings.Load(options.AppDirectory, options.Settings);
if (options.Verbose)
{
    settings = settings with { WorkerLogLevels = CategoryLevels.Everything };
}

// Azurite with its data on disk, stopped gracefully when this scope ends, after the worker.
await using var azurite = options.StartAzurite ? await AzuriteLauncher.StartIfNeededAsync(settings, options.AzuriteLocation, options.AzuritePorts, log) : null;
settings = AzuriteLauncher.PointAt(settings, options.AzuritePorts);
if (stopping.IsCancellationRequested)
{
    return 0;
}

// The worker's gRPC endpoint: cleartext HTTP/2 on a free loopback port, large messages allowed.
var grpcPort = FreePort();
var grpcBuilder = WebApplication.CreateSlimBuilder();
grpcBuilder.Logging.ClearProviders().AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }).SetMinimumLevel(LogLevel.Information)
    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", lifetimeLevel);
grpcBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, grpcPort, l => l.Protocols = HttpProtocols.Http2));
grpcBuilder.Services.AddGrpc(o => { o.MaxReceiveMessageSize = null; o.MaxSendMessageSize = null; });
grpcBuilder.Services.AddSingleton(settings).AddSingleton(new GrpcEndpoint(grpcPort)).AddSingleton<WorkerSupervisor>();
grpcBuilder.Services.AddSingleton<IHostLifetime, ManualLifetime>();
var grpcApp = grpcBuilder.Build();
grpcApp.MapGrpcService<FunctionRpcService>();
await grpcApp.StartAsync();

var supervisor = grpcApp.Services.GetRequiredService<WorkerSupervisor>();
await supervisor.StartAsync(CancellationToken.None);
IReadOnlyList<FunctionDescriptor> functions;
try
{
    functions = await (await supervisor.ReadyAsync(stopping.Token)).Ready.WaitAsync(stopping.Token);
}
catch (Exception e) when (e is WorkerUnavailableException or TimeoutException or OperationCanceledException)
{
    if (!stopping.IsCancellationRequested)
    {
        Console.Error.WriteLine($"The worker did not start: {e.Message}");
    }

    await supervisor.StopAsync(CancellationToken.None);
    await grpcApp.StopAsync();
    return stopping.IsCancellationRequested ? 0 : 1;
}

// The front door: HTTP triggers on their routes, the admin API, the timers and the queue listeners.
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders().AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Yarp", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", lifetimeLevel);
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
builder.Services.AddRouting();
builder.Services.AddHttpForwarder();
builder.Services.AddSingleton(settings).AddSingleton(supervisor).AddSingleton(functions).AddSingleton(TimeProvider.System)
    .AddSingleton(new FunctionSwitches(settings, functions));
builder.Services.AddSingleton<HttpTriggers>().AddSingleton<Timers>().AddHostedService(s => s.GetRequiredService<Timers>());
builder.Services.AddSingleton<QueueTriggers>().AddHostedService(s => s.GetRequiredService<QueueTriggers>());
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
var app = builder.Build();
app.Services.GetRequiredService<HttpTriggers>().Map(app, functions);
AdminApi.Map(app, functions, options.AdminToken);

app.Lifetime.ApplicationStarted.Register(() =>
{
    Console.WriteLine($"Functions host listening on http://127.0.0.1:{options.Port}");
    Console.WriteLine($"Admin API (/admin/...) key for this run, send as {AdminApi.KeyHeader}: {options.AdminToken}");
    foreach (var function in functions)
    {
        Console.WriteLine(function.Trigger switch
        {
            TriggerKind.Http => $"  {function.Name}: [{string.Join(",", function.Methods)}] http://127.0.0.1:{options.Port}{HttpTriggers.PathOf(settings.RoutePrefix, function.Route!)}",
            TriggerKind.Timer => $"  {function.Name}: timer {function.Schedule} = {settings.Resolve(function.Schedule!)}",
            TriggerKind.Queue => $"  {function.Name}: queue {function.QueueName} = {AdminApi.QueueNameOrError(settings, function)}",
            _ => $"  {function.Name}: {function.Trigger}",
        } + (FunctionSwitches.IsDisabledBySetting(settings, function.Name) ? $" (disabled by {FunctionSwitches.SettingOf(function.Name)})" : ""));
    }
});

// As soon as stopping starts: stop fetching queue messages and give those in flight a few seconds,
// then send WorkerTerminate (otherwise Kestrel waits on the open stream).
var queueTriggers = app.Services.GetRequiredService<QueueTriggers>();
app.Lifetime.ApplicationStopping.Register(() =>
{
    queueTriggers.DrainAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
    supervisor.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
});
using var stopOnSignal = stopping.Token.Register(app.Lifetime.StopApplication);
try
{
    await app.RunAsync();
}
finally
{
    // Also when the front door fails to start (its port taken): no worker outlives the host.
    await supervisor.StopAsync(CancellationToken.None);
    await grpcApp.StopAsync(TimeSpan.FromSeconds(5));
}

return 0;

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
