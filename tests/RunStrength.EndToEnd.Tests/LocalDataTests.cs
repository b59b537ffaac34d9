using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using RunStrength.DevToken;

namespace RunStrength.EndToEnd.Tests;

/// <summary>
/// The local run keeps its data: LocalHost starts Azurite on disk in a folder, and however LocalHost
/// stops, it stops Azurite gracefully (so Azurite saves) and leaves no Azurite process behind.
/// </summary>
public sealed partial class LocalDataTests : IDisposable
{
    private const string User = "local-data|user";
    private const string Profile = """{"goal":"balanced","runningExperience":"intermediate","strengthExperience":"beginner","availableDays":["mon","wed","fri","sat"],"longRunDay":"sat","maxSessionMinutes":60,"weeklyRunMinutes":120,"equipment":["dumbbells"],"terrain":["hills"],"birthYear":1988,"timeZone":"Europe/Amsterdam"}""";
    private const string Log = """{"status":"partial","actualMinutes":37,"rpe":7,"note":"kept across restarts"}""";

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("runstrength-local-data-");
    private readonly DevTokens.Settings _tokens = DevTokens.Read(Path.Combine(LocalHostFixture.Output("RunStrength.Functions"), "local.settings.json"));

    private sealed record Written(JsonNode Profile, string Week, JsonNode Plan, string SessionId, JsonNode Log);

    public void Dispose()
    {
        // Only after a failed test: the tests themselves assert that nothing is left.
        foreach (var pid in AzuriteProcessesOnTheFolder())
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
            }
        }

        _data.Delete(recursive: true);
    }

    [Theory]
    [InlineData("TERM", false)]
    [InlineData("INT", false)]
    [InlineData("INT", true)] // Ctrl+C in a terminal: SIGINT to the whole foreground process group.
    public async Task ProfileAndSessionLogReadBackUnchangedAfterAStopAndRestart(string signal, bool wholeGroup)
    {
        Written written;
        await using (var host = await StartAsync())
        {
            written = await WriteAsync(host);
            await StopAndAssertNothingLeftAsync(host, signal, wholeGroup);
        }

        await using (var host = await StartAsync())
        {
            await AssertUnchangedAsync(host, written);
            await StopAndAssertNothingLeftAsync(host, "TERM", wholeGroup: false);
        }
    }

    [Fact]
    public async Task AfterAWorkerCrashTheStopStillSavesAndLeavesNoAzurite()
    {
        Written written;
        await using (var host = await StartAsync())
        {
            written = await WriteAsync(host);
            using (var worker = Process.GetProcessById((await host.StatusAsync())["workerProcessId"]!.GetValue<int>()))
            {
                worker.Kill();
            }

            // LocalHost restarts the worker and keeps Azurite: the data is served again at once.
            HttpStatusCode? status = null;
            for (var i = 0; i < 240 && status != HttpStatusCode.OK; i++)
            {
                await Task.Delay(500);
                status = (await host.Client.SendAsync(Request(HttpMethod.Get, "api/me/profile"))).StatusCode;
            }

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True((await host.StatusAsync())["restarts"]!.GetValue<int>() >= 1, host.Logs);
            await StopAndAssertNothingLeftAsync(host, "TERM", wholeGroup: false);
        }

        await using (var host = await StartAsync())
        {
            await AssertUnchangedAsync(host, written);
            await StopAndAssertNothingLeftAsync(host, "INT", wholeGroup: false);
        }
    }

    private async Task<LocalHostFixture> StartAsync()
    {
        var host = await LocalHostFixture.StartRunStrengthWithOwnAzuriteAsync(_data.FullName, FreePorts(3));
        Assert.Contains($"data in {_data.FullName}", host.Logs, StringComparison.Ordinal);
        return host;
    }

    private async Task<Written> WriteAsync(LocalHostFixture host)
    {
        var (status, profile) = await SendAsync(host, Request(HttpMethod.Put, "api/me/profile", Profile));
        Assert.Equal(HttpStatusCode.Created, status);
        var (planStatus, plan) = await SendAsync(host, Request(HttpMethod.Get, "api/me/plans/current"));
        Assert.Equal(HttpStatusCode.OK, planStatus);

        // Signed up too late in the week for any session, the person has next week at once.
        if (plan!["sessions"]!.AsArray().All(s => s!["kind"]!.GetValue<string>() == "rest"))
        {
            (planStatus, plan) = await SendAsync(host, Request(HttpMethod.Get, "api/me/plans/next"));
            Assert.Equal(HttpStatusCode.OK, planStatus);
        }

        var week = plan!["week"]!.GetValue<string>();
        var session = plan["sessions"]!.AsArray().First(s => s!["kind"]!.GetValue<string>() != "rest")!["id"]!.GetValue<string>();
        var (logStatus, log) = await SendAsync(host, Request(HttpMethod.Put, $"api/me/plans/{week}/sessions/{session}/log", Log));
        Assert.Equal(HttpStatusCode.Created, logStatus);
        return new Written(profile!, week, plan, session, log!);
    }

    private async Task AssertUnchangedAsync(LocalHostFixture host, Written written)
    {
        var profile = await host.Client.SendAsync(Request(HttpMethod.Get, "api/me/profile"));
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        Assert.Equal("\"1\"", profile.Headers.ETag!.Tag);
        Assert.True(JsonNode.DeepEquals(written.Profile, JsonNode.Parse(await profile.Content.ReadAsStringAsync())), host.Logs);

        var (planStatus, plan) = await SendAsync(host, Request(HttpMethod.Get, $"api/me/plans/{written.Week}"));
        Assert.Equal(HttpStatusCode.OK, planStatus);
        Assert.True(JsonNode.DeepEquals(written.Plan, plan));

        // The API has no read route for a log: read the stored row, then a repeat PUT finds it (200, not 201).
        var rows = new TableServiceClient(host.StorageConnectionString).GetTableClient("sessionlogs").QueryAsync<TableEntity>();
        var stored = new List<JsonNode>();
        await foreach (var row in rows)
        {
            // Beside each log, the user's week-index row (no Log column), which erasure reads.
            if (row.GetString("Log") is { } log)
            {
                stored.Add(JsonNode.Parse(log)!);
            }
        }

        Assert.True(JsonNode.DeepEquals(written.Log, Assert.Single(stored)), stored[0].ToJsonString());
        var (again, _) = await SendAsync(host, Request(HttpMethod.Put, $"api/me/plans/{written.Week}/sessions/{written.SessionId}/log", Log));
        Assert.Equal(HttpStatusCode.OK, again);
    }

    private async Task StopAndAssertNothingLeftAsync(LocalHostFixture host, string signal, bool wholeGroup)
    {
        var azurite = int.Parse(StartedAzurite().Match(host.Logs).Groups[1].Value, CultureInfo.InvariantCulture);

        var took = await host.StopAsync(signal, wholeGroup);

        Assert.True(host.ExitCode == 0, $"exit code {host.ExitCode} after {took}: {host.Logs}");
        Assert.Contains($"Azurite stopped; data saved in {_data.FullName}", host.Logs, StringComparison.Ordinal);
        Assert.DoesNotContain("was killed", host.Logs, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(azurite));
        Assert.Empty(AzuriteProcessesOnTheFolder());
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.Mint(_tokens, User, TimeSpan.FromHours(1)));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(LocalHostFixture host, HttpRequestMessage request)
    {
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text) : null);
    }

    /// <summary>Azurite processes (anyone's) whose command line names this test's data folder.</summary>
    private List<int> AzuriteProcessesOnTheFolder()
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (commandLine.Any(a => a.EndsWith("azurite.js", StringComparison.Ordinal)) && commandLine.Contains(_data.FullName))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    [GeneratedRegex(@"Started Azurite \(process (\d+),")]
    private static partial Regex StartedAzurite();
}
