using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RunStrength.DevToken;

namespace RunStrength.EndToEnd.Tests;

/// <summary>The per-user rate limit under concurrent load, over real HTTP through LocalHost.</summary>
public sealed class RateLimitLoadTests : IAsyncLifetime
{
    private const int Limit = 20;
    private const string Profile = """{"goal":"balanced","runningExperience":"intermediate","strengthExperience":"beginner","availableDays":["mon","wed","fri","sat"],"longRunDay":"sat","maxSessionMinutes":60,"weeklyRunMinutes":120,"equipment":["dumbbells"],"terrain":["hills"],"birthYear":1988,"timeZone":"Europe/Amsterdam"}""";

    private LocalHostFixture _host = null!;
    private DevTokens.Settings _tokens = null!;

    public async Task InitializeAsync()
    {
        // A bucket that does not refill within the test: exactly Limit calls pass, whatever the machine's speed.
        _host = await LocalHostFixture.StartRunStrengthAsync(new Dictionary<string, string>
        {
            ["RateLimits__User__TokenLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits__User__TokensPerPeriod"] = "1",
            ["RateLimits__User__Period"] = "01:00:00",
        });
        _tokens = DevTokens.Read(Path.Combine(LocalHostFixture.Output("RunStrength.Functions"), "local.settings.json"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task OneUserBurstingPastTheLimitGets429sWithRetryAfterWhileASecondUserAtTheSameTimeIsServed()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync("burster", HttpMethod.Put, Profile)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync("neighbour", HttpMethod.Put, Profile)).StatusCode);

        // 80 calls from one user, 16 at a time, while the other makes 15 calls beside them.
        var burst = RunAsync("burster", 80, 16);
        var neighbour = RunAsync("neighbour", 15, 1);
        var (bursts, neighbours) = (await burst, await neighbour);

        Assert.Equal(Limit - 1, bursts.Count(r => r.Status == HttpStatusCode.OK));
        var refused = bursts.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(80 - (Limit - 1), refused.Count);
        Assert.All(refused, r => Assert.True(r.RetryAfter is { } wait && wait > TimeSpan.Zero, "429 without Retry-After"));
        Assert.All(neighbours, r => Assert.Equal(HttpStatusCode.OK, r.Status));
    }

    private async Task<List<(HttpStatusCode Status, TimeSpan? RetryAfter)>> RunAsync(string user, int calls, int atOnce)
    {
        var results = new List<(HttpStatusCode, TimeSpan?)>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, atOnce).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < calls)
            {
                using var response = await SendAsync(user, HttpMethod.Get, null);
                var retry = response.Headers.RetryAfter?.Delta;
                lock (results)
                {
                    results.Add((response.StatusCode, retry));
                }
            }
        }));
        return results;
    }

    private Task<HttpResponseMessage> SendAsync(string user, HttpMethod method, string? body)
    {
        var request = new HttpRequestMessage(method, "api/me/profile");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DevTokens.Mint(_tokens, user, TimeSpan.FromHours(1)));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return _host.Client.SendAsync(request);
    }
}
