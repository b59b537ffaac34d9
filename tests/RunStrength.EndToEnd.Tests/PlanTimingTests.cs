using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using RunStrength.DevToken;

namespace RunStrength.EndToEnd.Tests;

/// <summary>
/// When weeks appear and change, with the app's test clock (<c>Clock__Now</c>) pinned to the
/// moments that matter: late on a Sunday, and midweek after a change of days.
/// </summary>
public sealed class PlanTimingTests
{
    private static readonly DevTokens.Settings Tokens = DevTokens.Read(Path.Combine(LocalHostFixture.Output("RunStrength.Functions"), "local.settings.json"));

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> Send(LocalHostFixture host, HttpMethod method, string path, string user, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.Mint(Tokens, user, TimeSpan.FromHours(1)));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text) : null);
    }

    private static Dictionary<string, string> ClockAt(string instant) => new() { ["Clock__Now"] = instant };

    [Fact]
    public async Task SignUpAtSundayNineThirtyPmInNewYorkHasNextWeekAtOnce()
    {
        // Sunday 6 December 2026, 21:30 in New York: Monday is 2.5 hours away.
        await using var host = await LocalHostFixture.StartRunStrengthAsync(ClockAt("2026-12-06T21:30:00-05:00"));
        const string profile = """
            { "goal": "balanced", "runningExperience": "beginner", "strengthExperience": "beginner",
              "availableDays": ["mon", "tue", "thu", "fri", "sat"], "maxSessionMinutes": 60, "weeklyRunMinutes": 90,
              "equipment": ["gym"], "terrain": ["flat"], "birthYear": 1990, "timeZone": "America/New_York" }
            """;

        Assert.Equal(HttpStatusCode.Created, (await Send(host, HttpMethod.Put, "api/me/profile", "new-yorker", profile)).Status);
        var next = await Send(host, HttpMethod.Get, "api/me/plans/next", "new-yorker");
        var current = await Send(host, HttpMethod.Get, "api/me/plans/current", "new-yorker");

        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal(("2026-W50", "2026-12-07", 1), (next.Body!["week"]!.GetValue<string>(), next.Body["weekStart"]!.GetValue<string>(), next.Body["blockWeek"]!.GetValue<int>()));
        Assert.Contains(next.Body["sessions"]!.AsArray(), s => s!["date"]!.GetValue<string>() == "2026-12-07" && s["kind"]!.GetValue<string>() != "rest");
        Assert.Equal((HttpStatusCode.OK, 0), (current.Status, current.Body!["blockWeek"]!.GetValue<int>()));
    }

    [Fact]
    public async Task ChangingDaysOnAWednesdayReplansFromThursdayAndKeepsTheStartOfTheWeekAndEveryLog()
    {
        // Sign up on Saturday 28 November (Amsterdam), so week 2026-W49 is planned whole.
        var host = await LocalHostFixture.StartRunStrengthAsync(ClockAt("2026-11-28T12:00:00+01:00"));
        try
        {
            const string profile = """
                { "goal": "balanced", "runningExperience": "intermediate", "strengthExperience": "beginner",
                  "availableDays": ["mon", "wed", "fri", "sat"], "longRunDay": "sat", "maxSessionMinutes": 60, "weeklyRunMinutes": 120,
                  "equipment": ["gym"], "terrain": ["hills", "flat"], "birthYear": 1988, "timeZone": "Europe/Amsterdam" }
                """;
            Assert.Equal(HttpStatusCode.Created, (await Send(host, HttpMethod.Put, "api/me/profile", "midweek", profile)).Status);

            // Wednesday 2 December, 11:00: Monday was done, and Friday's session is already marked skipped.
            host = await host.RestartAtAsync(DateTimeOffset.Parse("2026-12-02T11:00:00+01:00", System.Globalization.CultureInfo.InvariantCulture));
            var before = (await Send(host, HttpMethod.Get, "api/me/plans/current", "midweek")).Body!;
            Assert.Equal("2026-W49", before["week"]!.GetValue<string>());
            var sessions = before["sessions"]!.AsArray().Select(s => s!).ToList();
            var monday = sessions.First(s => s["day"]!.GetValue<string>() == "mon" && s["kind"]!.GetValue<string>() != "rest");
            var friday = sessions.First(s => s["day"]!.GetValue<string>() == "fri" && s["kind"]!.GetValue<string>() != "rest");
            Assert.Equal(HttpStatusCode.Created, (await Send(host, HttpMethod.Put, $"api/me/plans/2026-W49/sessions/{monday["id"]}/log", "midweek", """{ "status": "completed", "actualMinutes": 40, "rpe": 6 }""")).Status);
            Assert.Equal(HttpStatusCode.Created, (await Send(host, HttpMethod.Put, $"api/me/plans/2026-W49/sessions/{friday["id"]}/log", "midweek", """{ "status": "skipped" }""")).Status);

            var patched = await Send(host, HttpMethod.Patch, "api/me/profile", "midweek", """{ "availableDays": ["mon", "tue", "thu", "sat", "sun"], "longRunDay": "sun" }""", "application/merge-patch+json");
            Assert.Equal(HttpStatusCode.OK, patched.Status);
            var after = (await Send(host, HttpMethod.Get, "api/me/plans/current", "midweek")).Body!;
            var afterSessions = after["sessions"]!.AsArray().Select(s => s!).ToList();

            // Monday to Wednesday exactly as they were, ids included.
            static string Shape(JsonNode s) => s.ToJsonString();
            Assert.Equal(
                sessions.Where(s => string.CompareOrdinal(s["date"]!.GetValue<string>(), "2026-12-02") <= 0).Select(Shape),
                afterSessions.Where(s => string.CompareOrdinal(s["date"]!.GetValue<string>(), "2026-12-02") <= 0).Select(Shape));

            // The logged Friday session stays; the other sessions from Thursday on follow the new days.
            Assert.Contains(Shape(friday), afterSessions.Select(Shape));
            var fresh = afterSessions.Where(s => string.CompareOrdinal(s["date"]!.GetValue<string>(), "2026-12-02") > 0 && s["id"]!.GetValue<string>() != friday["id"]!.GetValue<string>()).ToList();
            Assert.All(fresh.Where(s => s["kind"]!.GetValue<string>() != "rest"), s => Assert.Contains(s["day"]!.GetValue<string>(), (string[])["thu", "sat", "sun"]));
            Assert.Contains(fresh, s => s["day"]!.GetValue<string>() == "thu" && s["kind"]!.GetValue<string>() != "rest");
            Assert.Contains(fresh, s => s["day"]!.GetValue<string>() == "sun" && s["kind"]!.GetValue<string>() == "run");
            Assert.Equal(2, after["profileVersion"]!.GetValue<int>());

            // Both logs still count: logging again answers 200 (an update), not 201 or 404.
            Assert.Equal(HttpStatusCode.OK, (await Send(host, HttpMethod.Put, $"api/me/plans/2026-W49/sessions/{monday["id"]}/log", "midweek", """{ "status": "completed", "actualMinutes": 41, "rpe": 6 }""")).Status);
            Assert.Equal(HttpStatusCode.OK, (await Send(host, HttpMethod.Put, $"api/me/plans/2026-W49/sessions/{friday["id"]}/log", "midweek", """{ "status": "skipped" }""")).Status);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task TheBuiltAppRefusesToStartWithATestClockOutsideDevelopment(string environment)
    {
        var app = LocalHostFixture.Output("RunStrength.Functions");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(app, "RunStrength.Functions.dll")])
        {
            WorkingDirectory = app,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = environment;
        start.Environment["Clock__Now"] = "2026-12-06T21:30:00Z";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains($"the test clock works only in the Development environment and this app runs in '{environment}'", await output + await error, StringComparison.Ordinal);
    }
}
