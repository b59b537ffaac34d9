using System.Diagnostics;
using System.Net;
using System.Text;
using RunStrength.Testing;

namespace RunStrength.EndToEnd.Tests;

/// <summary>LocalHost knows nothing of RunStrength: it serves a second, classic-model app built here.</summary>
public sealed class GenericHostTests : IAsyncLifetime
{
    // Beside the test assembly, so that runs from two clones never build into each other's app.
    private static readonly string Output = Path.Combine(AppContext.BaseDirectory, "tinyapp");
    private static readonly Lazy<Task<string>> Built = new(BuildAsync);
    private LocalHostFixture _host = null!;

    public async Task InitializeAsync() => _host = await LocalHostFixture.StartAsync(await BuildTinyAppAsync(), new Dictionary<string, string>());

    /// <summary>Builds TinyApp into a folder of its own, once per test run, and returns that folder.</summary>
    internal static Task<string> BuildTinyAppAsync() => Built.Value;

    private static async Task<string> BuildAsync()
    {
        var project = Path.Combine(AzuriteProcess.RepositoryRoot(), "tests", "RunStrength.EndToEnd.Tests", "TinyApp", "TinyApp.csproj");
        var build = new ProcessStartInfo("dotnet", ["build", project, "-c", LocalHostFixture.Configuration, "-o", Output, "-nologo", "-clp:ErrorsOnly"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(build)!;
        var log = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, log);
        return Output;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ClassicModelRoutesQueryHeadersAndBodiesWork()
    {
        Assert.Equal("Hello, world", await _host.Client.GetStringAsync("api/hello/world"));

        var echo = await _host.Client.PostAsync("api/echo?tag=t1", new StringContent("shout", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.Created, echo.StatusCode);
        Assert.Equal("SHOUT", await echo.Content.ReadAsStringAsync());
        Assert.Equal("t1", echo.Headers.GetValues("X-Echo").Single());
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("api/nothing-here")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _host.Client.DeleteAsync("api/hello/world")).StatusCode);
    }

    [Fact]
    public async Task ADisabledHttpFunctionAnswers404UntilItIsEnabled()
    {
        await _host.SwitchAsync("Hello", enabled: false);

        var refused = await _host.Client.GetAsync("api/hello/world");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("Hello is disabled", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await _host.SwitchAsync("Hello", enabled: true);

        Assert.Equal("Hello, friend", await _host.Client.GetStringAsync("api/hello/friend"));
    }

    [Fact]
    public async Task CrashMidRequestIsA5xxAndTheWorkerIsRestarted()
    {
        var crash = await _host.Client.GetAsync("api/crash");

        Assert.True((int)crash.StatusCode >= 500, crash.StatusCode.ToString());
        string? answer = null;
        for (var i = 0; i < 120 && answer is null; i++)
        {
            await Task.Delay(500);
            var response = await _host.Client.GetAsync("api/hello/again");
            answer = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }

        Assert.Equal("Hello, again", answer);
        Assert.Contains("exited unexpectedly", _host.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvocationPastTheFunctionTimeoutIsCancelledWith504()
    {
        var clock = Stopwatch.StartNew();

        var slow = await _host.Client.GetAsync("api/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, slow.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task SigtermStopsHostAndWorkerQuickly()
    {
        var pid = (await _host.StatusAsync())["workerProcessId"]!.GetValue<int>();

        var took = await _host.StopAsync();

        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}");
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
        Assert.Contains("Worker stopped with exit code 0", _host.Logs, StringComparison.Ordinal);
    }
}
