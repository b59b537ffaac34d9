using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using RunStrength.DevToken;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Serialization;

namespace RunStrength.EndToEnd.Tests;

/// <summary>Concurrency and hostile input against the running app, over real HTTP.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private const string Profile = """{"goal":"balanced","runningExperience":"intermediate","strengthExperience":"beginner","availableDays":["mon","wed","fri","sat"],"longRunDay":"sat","maxSessionMinutes":60,"weeklyRunMinutes":120,"equipment":["dumbbells"],"terrain":["hills"],"birthYear":1988,"timeZone":"Europe/Amsterdam"}""";

    private LocalHostFixture _host = null!;
    private DevTokens.Settings _settings = null!;

    public async Task InitializeAsync()
    {
        // Ten thousand calls from a dozen users measure input handling, not the rate limiter (RateLimitTests does that).
        _host = await LocalHostFixture.StartRunStrengthAsync(new Dictionary<string, string> { ["RateLimits__Enabled"] = "false" });
        _settings = DevTokens.Read(Path.Combine(LocalHostFixture.Output("RunStrength.Functions"), "local.settings.json"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpRequestMessage Request(HttpMethod method, string path, string user, string? body = null, string? contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.Mint(_settings, user, TimeSpan.FromHours(1)));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        return request;
    }

    [Fact]
    public async Task SixteenRacingPatchesWithOneETagGiveOne200AndFifteen412WithNoLostUpdate()
    {
        Assert.Equal(HttpStatusCode.Created, (await _host.Client.SendAsync(Request(HttpMethod.Put, "api/me/profile", "racer", Profile))).StatusCode);

        var replies = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            var patch = Request(HttpMethod.Patch, "api/me/profile", "racer", $$"""{ "maxSessionMinutes": {{30 + i}} }""", "application/merge-patch+json");
            patch.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
            var response = await _host.Client.SendAsync(patch);
            return (response.StatusCode, Minutes: 30 + i);
        }));

        Assert.Equal(1, replies.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(15, replies.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
        var stored = await _host.Client.SendAsync(Request(HttpMethod.Get, "api/me/profile", "racer"));
        Assert.Equal("\"2\"", stored.Headers.ETag!.Tag);
        var winner = replies.Single(r => r.StatusCode == HttpStatusCode.OK).Minutes;
        Assert.Equal(winner, JsonNode.Parse(await stored.Content.ReadAsStringAsync())!["maxSessionMinutes"]!.GetValue<int>());
    }

    [Fact]
    public void TheFuzzCoversEveryHttpRouteOfTheApp()
    {
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(LocalHostFixture.Output("RunStrength.Functions"), "functions.metadata")))!.AsArray();
        var routes = metadata.SelectMany(f => f!["bindings"]!.AsArray())
            .Where(b => b!["type"]!.GetValue<string>() == "httpTrigger")
            .SelectMany(b => b!["methods"]!.AsArray().Select(m => $"{m!.GetValue<string>()} {b["route"]!.GetValue<string>()}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(routes, Fuzz.Routes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TenThousandFuzzedRequestsGiveNo5xxAndStoreNothingInvalid()
    {
        var users = Enumerable.Range(0, 12).Select(i => $"fuzz-{i}").ToList();
        foreach (var user in users.Take(6))
        {
            Assert.Equal(HttpStatusCode.Created, (await _host.Client.SendAsync(Request(HttpMethod.Put, "api/me/profile", user, Profile))).StatusCode);
        }

        // This week's sessions, or next week's when sign-up came too late in the week for any.
        var plan = JsonNode.Parse(await (await _host.Client.SendAsync(Request(HttpMethod.Get, "api/me/plans/current", users[0]))).Content.ReadAsStringAsync())!;
        if (plan["sessions"]!.AsArray().All(s => s!["kind"]!.GetValue<string>() == "rest"))
        {
            plan = JsonNode.Parse(await (await _host.Client.SendAsync(Request(HttpMethod.Get, "api/me/plans/next", users[0]))).Content.ReadAsStringAsync())!;
        }

        var week = plan["week"]!.GetValue<string>();
        var sessions = plan["sessions"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(sessions);
        var random = new Random(20261125);
        var statuses = new int[600];
        var unconfigured = 0;
        var next = -1;

        // The fuzz holds the app to "no 5xx" over the wire. It goes around the fixture's contract check:
        // some mangled requests are answered by the HTTP server layer (a bare 400, no body), not by the app.
        using var wire = new HttpClient { BaseAddress = _host.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < 10_000)
            {
                HttpRequestMessage request;
                lock (random)
                {
                    request = Fuzz.Request(random, users[random.Next(users.Count)], week, sessions, Request);
                }

                using var response = await wire.SendAsync(request);
                var status = (int)response.StatusCode;

                // Push has no hub in this deployment: a valid device registration gets the documented
                // 503 "not configured", which is an answer, not a failure. Any other 5xx counts.
                if (status == 503 && (await response.Content.ReadAsStringAsync()).Contains("are not configured on this server", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref unconfigured);
                    continue;
                }

                Interlocked.Increment(ref statuses[status]);
            }
        }));

        Assert.True(statuses.Skip(500).Sum() == 0, $"5xx answers: {string.Join(", ", statuses.Select((n, s) => (n, s)).Where(x => x.n > 0 && x.s >= 500))}\n{_host.Logs[^Math.Min(4000, _host.Logs.Length)..]}");
        Assert.True(statuses[200] + statuses[201] > 100, "the fuzz should also produce valid writes");
        Assert.True(statuses[400] > 1000, "and many rejections");

        // Nothing invalid stored: every profile still reads back, and every stored log is within the contract.
        foreach (var user in users)
        {
            var read = await _host.Client.SendAsync(Request(HttpMethod.Get, "api/me/profile", user));
            Assert.True(read.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{user}: {read.StatusCode}");
        }

        var logs = new TableServiceClient(_host.StorageConnectionString).GetTableClient("sessionlogs");
        await foreach (var row in logs.QueryAsync<TableEntity>())
        {
            // Week-index rows (no Log column) sit beside the logs; only logs are checked here.
            if (row.GetString("Log") is not { } text)
            {
                continue;
            }

            var log = PlanJson.Deserialize<SessionLog>(text);
            Assert.True(log.Rpe is null or >= 1 and <= 10 && log.ActualMinutes is null or >= 0 and <= 600 && (log.Note?.Length ?? 0) <= 500, row.GetString("Log"));
            Assert.Contains(log.SessionId, sessions);
        }
    }
}

/// <summary>
/// Seeded mutations of valid requests to every HTTP route: wrong types, unknown and missing fields,
/// broken JSON, lone surrogates, repeated keys, deep nesting, huge numbers, extreme weeks, crafted
/// continuation and feed tokens, tampered bearer tokens and odd headers.
/// </summary>
internal static class Fuzz
{
    /// <summary>Every route the fuzz sends to, as "method route" in the app's own spelling (functions.metadata).</summary>
    public static readonly string[] Routes =
    [
        "put api/me/profile", "get api/me/profile", "patch api/me/profile", "get api/me/plans/current", "get api/me/plans/next", "get api/me/plans/{week}", "get api/me/plans",
        "get api/openapi.json", "put api/me/plans/{week}/sessions/{sessionId}/log", "get api/me/plans/{week}/logs", "get api/health", "get api/exercises", "post api/me/calendar",
        "delete api/me/calendar", "get api/calendar/feed.ics", "get api/calendar/{token}.ics", "delete api/me", "put api/me/webhook", "delete api/me/webhook", "post api/me/webhook/test", "put api/me/devices/{installationId}",
        "delete api/me/devices/{installationId}", "put api/me/notifications", "get api/web-config", "post api/dev/token", "get {root:maxlength(0)?}", "get web/{file}",
    ];

    private static readonly string[] Weeks = ["2026-W49", "2026-W53", "2026-W54", "2026-W00", "9999-W01", "0000-W01", "1899-W52", "3000-W01", "2026-w49", "2026W49", "-1-W01", "2026-W4\u0000", "%F0%9F%92%A9", "99999999999999999999-W01", new string('9', 300)];
    private static readonly string[] Tokens = ["dzE6MjAyNi1XNDU", "dzE6OTk5OS1XMDE", "dzE6MjAyNi1XNDU=", "1!8!MDAtYWJj", "tok", "%00", "%F0%9F%92%A9", "AAAA", new string('A', 2000), "../../etc/passwd", "w1:2026-W45",
        "AjIwMjYtVzQ1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "Ajk5OTktVzAx________________________________"]; // signed-token shape, forged MAC

    private static readonly string[] ContentTypes = ["application/json", "application/json", "application/merge-patch+json", "text/plain", "application/json; charset=utf-16", ""];
    private static readonly string[] Fields = ["goal", "runningExperience", "strengthExperience", "availableDays", "longRunDay", "maxSessionMinutes", "weeklyRunMinutes", "equipment", "terrain", "birthYear", "timeZone", "units"];
    private static readonly string[] LogFields = ["status", "actualMinutes", "rpe", "note", "exercises"];
    private static readonly string[] WebhookFields = ["url"];
    private static readonly string[] DeviceFields = ["platform", "pushChannel"];
    private static readonly string[] SwitchFields = ["push", "webhook"];

    public static HttpRequestMessage Request(Random random, string user, string week, IReadOnlyList<string> sessions, Func<HttpMethod, string, string, string?, string?, HttpRequestMessage> make)
    {
        var kind = random.Next(6);
        if (kind == 5)
        {
            return Bodiless(random, user, week, sessions, make);
        }

        var (method, path, body, field) = kind switch
        {
            4 => random.Next(3) switch
            {
                // Loopback and private addresses, which the SSRF guard refuses outside Development, and odd URLs.
                0 => (HttpMethod.Put, "api/me/webhook", new JsonObject { ["url"] = Pick(random, ["https://127.0.0.1:1/hook", "https://169.254.169.254/latest", "http://10.0.0.1/", "https://example.invalid/hook", "ftp://x", "not a url", new string('a', 3000)]) }, WebhookFields),
                1 => (HttpMethod.Put, $"api/me/devices/{Pick(random, ["iphone-1", "a", "%00", "..", new string('d', 80)])}", new JsonObject { ["platform"] = Pick(random, ["apns", "fcmv1", "wns"]), ["pushChannel"] = Pick(random, ["token-1", "", new string('t', 5000)]) }, DeviceFields),
                _ => (HttpMethod.Put, "api/me/notifications", new JsonObject { ["push"] = random.Next(2) == 0, ["webhook"] = random.Next(2) == 0 }, SwitchFields),
            },
            0 => (HttpMethod.Put, "api/me/profile", JsonNode.Parse(ProfileJson())!.AsObject(), Fields),
            1 => (HttpMethod.Patch, "api/me/profile", new JsonObject { [Fields[random.Next(Fields.Length)]] = Value(random) }, Fields),
            2 => (HttpMethod.Post, "api/me/calendar", new JsonObject(), Fields),
            _ => (HttpMethod.Put, $"api/me/plans/{(random.Next(10) == 0 ? Weeks[random.Next(Weeks.Length)] : week)}/sessions/{(random.Next(10) == 0 ? "s999" : sessions[random.Next(sessions.Count)])}/log",
                new JsonObject { ["status"] = random.Next(2) == 0 ? "completed" : "skipped", ["rpe"] = random.Next(1, 11), ["actualMinutes"] = random.Next(0, 90) }, LogFields),
        };

        for (var m = random.Next(0, 4); m > 0; m--)
        {
            var name = random.Next(6) == 0 ? "unknown" + random.Next(100) : field[random.Next(field.Length)];
            if (random.Next(3) == 0)
            {
                body.Remove(name);
            }
            else
            {
                body[name] = Value(random);
            }
        }

        var text = body.ToJsonString();
        var inside = text.Length > 2 ? text[1..] : "}";
        text = random.Next(16) switch
        {
            0 => text[..random.Next(text.Length)],
            1 => text + new string('x', random.Next(60_000, 70_000)),
            2 => string.Concat(Enumerable.Repeat("[", 40)),
            3 => "\u0000\u00ff" + text,
            4 => "{\"\\ud800\":1," + inside,
            5 => "{\"note\":\"a\\udc00b\"," + inside,
            6 => "{" + string.Concat(Enumerable.Repeat(inside.TrimEnd('}') + ",", 2)).TrimEnd(',') + "}",
            7 => "{\"x\":" + new string('[', 14 + random.Next(10)) + new string(']', 14 + random.Next(10)) + "," + inside,
            8 => "{\"" + field[random.Next(field.Length)] + "\":" + (random.Next(3) switch { 0 => "1e400", 1 => "123456789012345678901234567890", _ => "-0.0000000000000000000001" }) + "," + inside,
            _ => text,
        };
        var contentType = kind == 1 && random.Next(4) > 0 ? "application/merge-patch+json" : ContentTypes[random.Next(ContentTypes.Length)];
        var request = make(method, path, user, text, contentType.Length == 0 ? null : contentType);
        Headers(random, request);
        return request;
    }

    /// <summary>The routes without a body: reads with odd weeks, queries and tokens, the feed, erasure.</summary>
    private static HttpRequestMessage Bodiless(Random random, string user, string week, IReadOnlyList<string> sessions, Func<HttpMethod, string, string, string?, string?, HttpRequestMessage> make)
    {
        T Pick<T>(T[] values) => values[random.Next(values.Length)];
        var (method, path) = random.Next(11) switch
        {
            0 => (HttpMethod.Get, "api/me/profile"),
            1 => (HttpMethod.Get, random.Next(2) == 0 ? "api/me/plans/current" : "api/me/plans/next"),
            2 => (HttpMethod.Get, $"api/me/plans/{(random.Next(3) == 0 ? week : Pick(Weeks))}"),
            3 => (HttpMethod.Get, $"api/me/plans?from={Pick(Weeks)}&to={(random.Next(2) == 0 ? week : Pick(Weeks))}&pageSize={random.Next(-5, 200)}"),
            4 => (HttpMethod.Get, $"api/me/plans?pageSize={Pick(["1", "100", "101", "99999999999999999999", "1e3", "%20"])}&continuationToken={Pick(Tokens)}"),
            5 => (HttpMethod.Get, random.Next(3) == 0
                ? $"api/calendar/{Pick(Tokens)}.ics"
                : "api/calendar/feed.ics" + Pick(["", "?token=", "?token=%20", $"?token={Pick(Tokens)}", $"?token={Pick(Tokens)}&token={Pick(Tokens)}", $"?tok={Pick(Tokens)}"])),
            6 => (HttpMethod.Get, Pick(["api/health", "api/exercises", "api/openapi.json", "api/web-config", "", "web/app.js", "web/index.html", "web/..%2fhost.json", "web/%00", "web/nope.css"])),
            7 => (HttpMethod.Get, random.Next(2) == 0 ? $"api/me/plans/{week}/sessions/{sessions[random.Next(sessions.Count)]}/log" : $"api/me/plans/{(random.Next(3) == 0 ? week : Pick(Weeks))}/logs"),
            8 => random.Next(4) switch
            {
                0 => (HttpMethod.Delete, "api/me"),
                1 => (HttpMethod.Delete, "api/me/calendar"),
                _ => (HttpMethod.Get, "api/me"),
            },
            9 => Pick([0, 1, 2, 3]) switch
            {
                0 => (HttpMethod.Delete, "api/me/webhook"),
                1 => (HttpMethod.Post, "api/me/webhook/test"),
                3 => (HttpMethod.Post, "api/dev/token"),
                _ => (HttpMethod.Delete, $"api/me/devices/{Pick(["iphone-1", "nobody", "%2e%2e"])}"),
            },
            _ => (HttpMethod.Put, $"api/me/plans/{Pick(Weeks)}/sessions/{Pick(["s1", "s999", "%00", new string('s', 500)])}/log"),
        };

        var request = make(method, path, user, null, null);
        Headers(random, request);
        return request;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static void Headers(Random random, HttpRequestMessage request)
    {
        switch (random.Next(9))
        {
            case 0:
                request.Headers.TryAddWithoutValidation("If-Match", "\"" + random.Next(5) + "\"");
                break;
            case 1:
                request.Headers.TryAddWithoutValidation("If-None-Match", random.Next(2) == 0 ? "*" : "garbage");
                break;
            case 2:
                request.Headers.TryAddWithoutValidation("If-Match", "not-an-etag");
                break;
            case 3:
                // A tampered bearer token: a flipped signature character, a forged header, or no scheme.
                var token = request.Headers.Authorization!.Parameter!;
                var forged = random.Next(3) switch
                {
                    0 => token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1],
                    1 => "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + token.Split('.')[1] + ".",
                    _ => token,
                };
                request.Headers.Remove("Authorization");
                request.Headers.TryAddWithoutValidation("Authorization", random.Next(4) == 0 ? forged : "Bearer " + forged);
                break;
        }
    }

    private static JsonNode? Value(Random random) => random.Next(10) switch
    {
        0 => null,
        1 => random.Next(int.MinValue, int.MaxValue),
        2 => random.NextDouble() * 1e12,
        3 => random.Next(2) == 0,
        4 => new string((char)random.Next(32, 0x2FFF), random.Next(0, 600)),
        5 => new JsonArray(random.Next(0, 3), "mon", null, "sun", "x"),
        6 => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = 1 } },
        7 => "mon",
        8 => random.Next(0, 200),
        _ => "Europe/Amsterdam",
    };

    private static string ProfileJson() => """{"goal":"muscle","runningExperience":"beginner","strengthExperience":"none","availableDays":["mon","thu","sat"],"longRunDay":"sat","maxSessionMinutes":50,"weeklyRunMinutes":40,"equipment":["gym"],"terrain":["flat"],"birthYear":1975,"timeZone":"Asia/Tokyo","units":"imperial"}""";
}
