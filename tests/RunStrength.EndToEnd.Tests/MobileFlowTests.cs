using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using RunStrength.DevToken;
using RunStrength.Planning;

namespace RunStrength.EndToEnd.Tests;

/// <summary>The built RunStrength app under LocalHost and Azurite, driven over real HTTP as a mobile app would.</summary>
public sealed class MobileFlowTests : IAsyncLifetime
{
    private const string Profile = """
        { "goal": "balanced", "runningExperience": "intermediate", "strengthExperience": "beginner",
          "availableDays": ["mon", "wed", "fri", "sat"], "longRunDay": "sat", "maxSessionMinutes": 60,
          "weeklyRunMinutes": 120, "equipment": ["dumbbells"], "terrain": ["hills", "flat"], "birthYear": 1988,
          "timeZone": "Europe/Amsterdam", "units": "metric" }
        """;

    private LocalHostFixture _host = null!;

    public async Task InitializeAsync() => _host = await LocalHostFixture.StartRunStrengthAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Token(string user)
    {
        var settings = DevTokens.Read(Path.Combine(LocalHostFixture.Output("RunStrength.Functions"), "local.settings.json"));
        return DevTokens.Mint(settings, user, TimeSpan.FromHours(1));
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string user, string? json = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(user));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return request;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> Send(HttpRequestMessage request)
    {
        var response = await _host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonNode.Parse(text) : null, response);
    }

    [Fact]
    public async Task SignUpPlanLogProgressCalendarAndErase()
    {
        const string user = "mobile|user/1 ünicode";
        const string zone = "Europe/Amsterdam";
        var now = _host.ClockStart;
        var today = WeekClock.Today(now, zone);
        var thisWeek = IsoWeek.Containing(today);
        var nextAtOnce = WeekClock.StartOf(thisWeek.Next(), zone) - now <= TimeSpan.FromHours(48);

        var created = await Send(Request(HttpMethod.Put, "api/me/profile", user, Profile));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("\"1\"", created.Response.Headers.ETag!.Tag);

        // The rest of this week at once; next week too when its Monday is within the 48-hour lead time.
        var current = await Send(Request(HttpMethod.Get, "api/me/plans/current", user));
        Assert.Equal(HttpStatusCode.OK, current.Status);
        var week = current.Body!["week"]!.GetValue<string>();
        Assert.Equal(thisWeek.ToString(), week);
        var sessions = current.Body["sessions"]!.AsArray().Where(s => s!["kind"]!.GetValue<string>() != "rest").ToList();
        Assert.All(sessions, s => Assert.True(string.CompareOrdinal(s!["date"]!.GetValue<string>(), today.ToString("yyyy-MM-dd", null)) >= 0));

        foreach (var session in sessions)
        {
            var logged = await Send(Request(HttpMethod.Put, $"api/me/plans/{week}/sessions/{session!["id"]}/log", user,
                $$"""{ "status": "completed", "actualMinutes": {{session["durationMinutes"]}}, "rpe": {{session["intensity"]!["rpe"]}} }"""));
            Assert.Equal(HttpStatusCode.Created, logged.Status);
        }

        var early = await Send(Request(HttpMethod.Get, "api/me/plans/next", user));
        Assert.Equal(nextAtOnce ? HttpStatusCode.OK : HttpStatusCode.NotFound, early.Status);
        if (!nextAtOnce)
        {
            Assert.Contains("48 hours before it starts", early.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

            // Time passes to Saturday noon: the next tick builds next week.
            _host = await _host.RestartAtAsync(WeekClock.StartOf(thisWeek.Date(IsoDayOfWeek.Saturday), zone) + TimeSpan.FromHours(12));
        }

        Assert.Equal(HttpStatusCode.Accepted, (await _host.FireAsync("BuildWeeklyPlans")).StatusCode);

        var next = await Send(Request(HttpMethod.Get, "api/me/plans/next", user));
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal(current.Body["progress"]!["weekIndex"]!.GetValue<int>() + 1, next.Body!["progress"]!["weekIndex"]!.GetValue<int>());
        Assert.Equal(1, next.Body["progress"]!["weekIndex"]!.GetValue<int>() - (sessions.Count == 0 ? 0 : 1));
        if (sessions.Count > 0)
        {
            // Built at sign-up, next week could not see this week's logs yet; built later, it did.
            Assert.Equal("progress", next.Body["adjustment"]!.GetValue<string>());
            Assert.Contains(nextAtOnce ? "no logs last week" : "completed at the planned effort", next.Body["adjustmentReason"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        else
        {
            // Sign-up on Sunday left nothing this week: that lead-in week is no block week.
            Assert.Equal((0, 1, "start"), (current.Body["blockWeek"]!.GetValue<int>(), next.Body["blockWeek"]!.GetValue<int>(), next.Body["adjustment"]!.GetValue<string>()));
        }

        var listed = await Send(Request(HttpMethod.Get, "api/me/plans", user));
        Assert.Equal(2, listed.Body!["items"]!.AsArray().Count);

        var feed = await Send(Request(HttpMethod.Post, "api/me/calendar", user));
        var url = new Uri(feed.Body!["url"]!.GetValue<string>());
        Assert.Equal("/api/calendar/feed.ics", url.AbsolutePath);
        var ics = await _host.Client.GetAsync(url.PathAndQuery.TrimStart('/'));
        Assert.Equal("text/calendar", ics.Content.Headers.ContentType!.MediaType);
        var calendar = Ical.Net.Calendar.Load(await ics.Content.ReadAsStringAsync())!;
        var expected = sessions.Count + next.Body["sessions"]!.AsArray().Count(s => s!["kind"]!.GetValue<string>() != "rest");
        Assert.Equal(expected, calendar.Events.Count);

        // A link of the deprecated form, with the same token in the path, still serves the feed; the query route without a token is 404.
        var legacy = await _host.Client.GetAsync($"api/calendar/{url.Query["?token=".Length..]}.ics");
        Assert.Equal((HttpStatusCode.OK, "text/calendar"), (legacy.StatusCode, legacy.Content.Headers.ContentType!.MediaType));
        Assert.Equal(expected, Ical.Net.Calendar.Load(await legacy.Content.ReadAsStringAsync())!.Events.Count);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync("api/calendar/feed.ics")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Send(Request(HttpMethod.Delete, "api/me", user))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(Request(HttpMethod.Get, "api/me/profile", user))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync(url.PathAndQuery.TrimStart('/'))).StatusCode);
    }

    [Fact]
    public async Task ErrorsAreProblemDetailsAndStoreNothing()
    {
        var anonymous = await _host.Client.GetAsync("api/me/profile");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType!.MediaType);

        var invalid = await Send(Request(HttpMethod.Put, "api/me/profile", "errors", """{ "goal": "bulk", "availableDays": ["mon"] }"""));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Contains("goal", invalid.Body!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.NotFound, (await Send(Request(HttpMethod.Get, "api/me/profile", "errors"))).Status);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Send(Request(HttpMethod.Put, "api/me/profile", "errors", Profile, "text/plain"))).Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Send(Request(HttpMethod.Put, "api/me/profile", "errors", new string(' ', 70_000) + Profile))).Status);

        Assert.Equal(HttpStatusCode.Created, (await Send(Request(HttpMethod.Put, "api/me/profile", "errors", Profile))).Status);
        var stale = Request(HttpMethod.Patch, "api/me/profile", "errors", """{ "maxSessionMinutes": 45 }""", "application/merge-patch+json");
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"9\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(stale)).Status);
        var fresh = Request(HttpMethod.Patch, "api/me/profile", "errors", """{ "maxSessionMinutes": 45 }""", "application/merge-patch+json");
        fresh.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var patched = await Send(fresh);
        Assert.Equal((HttpStatusCode.OK, "\"2\""), (patched.Status, patched.Response.Headers.ETag!.Tag));
    }

    [Fact]
    public async Task UnhandledErrorIsAGeneric500ProblemWithoutInternalsAndIsLogged()
    {
        Assert.Equal(HttpStatusCode.Created, (await Send(Request(HttpMethod.Put, "api/me/profile", "corrupt", Profile))).Status);
        var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("corrupt")));
        var table = new Azure.Data.Tables.TableServiceClient(_host.StorageConnectionString).GetTableClient("profiles");
        await table.UpdateEntityAsync(new Azure.Data.Tables.TableEntity(key[..2], key) { ["Goal"] = "flying" }, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Merge);

        var reply = await Send(Request(HttpMethod.Get, "api/me/profile", "corrupt"));

        Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        Assert.Equal("application/problem+json", reply.Response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("urn:runstrength:problem:server-error", reply.Body!["type"]!.GetValue<string>());
        Assert.DoesNotContain("flying", reply.Body.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", reply.Body.ToJsonString(), StringComparison.Ordinal);
        for (var i = 0; i < 20 && !_host.Logs.Contains("Function GetProfile failed", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        Assert.Contains("Function GetProfile failed", _host.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKilledWorkerIsRestartedAndServesAgain()
    {
        var status = await _host.StatusAsync();
        var pid = status["workerProcessId"]!.GetValue<int>();

        System.Diagnostics.Process.GetProcessById(pid).Kill();
        var recovered = false;
        for (var i = 0; i < 120 && !recovered; i++)
        {
            await Task.Delay(500);
            var health = await _host.Client.GetAsync("api/health");
            recovered = health.StatusCode == HttpStatusCode.OK;
            Assert.True(recovered || (int)health.StatusCode >= 500, $"unexpected {health.StatusCode}");
        }

        Assert.True(recovered, _host.Logs);
        var after = await _host.StatusAsync();
        Assert.NotEqual(pid, after["workerProcessId"]!.GetValue<int>());
        Assert.True(after["restarts"]!.GetValue<int>() >= 1);
        Assert.Contains("exited unexpectedly", _host.Logs, StringComparison.Ordinal);
    }
}
