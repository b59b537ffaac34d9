using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunStrength.DevToken;
using RunStrength.EndToEnd.Tests;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Health;
using RunStrength.Functions.Plans;
using RunStrength.Functions.Profiles;
using RunStrength.Functions.Scheduling;
using RunStrength.Storage;

namespace RunStrength.Benchmarks;

/// <summary>
/// Load run: latency of GET /api/health and GET /api/me/profile through LocalHost at N concurrent
/// clients, and of the same handlers called directly (same stores, same Azurite) in the same run.
/// The ratio is the host's overhead. Usage: <c>dotnet run -c Release --project bench/RunStrength.Benchmarks -- localhost [requests] [clients]</c>.
/// </summary>
public static class HostLatency
{
    private const string Profile = """{"goal":"balanced","runningExperience":"beginner","strengthExperience":"none","availableDays":["mon","wed","fri","sat"],"longRunDay":"sat","maxSessionMinutes":60,"weeklyRunMinutes":60,"birthYear":1988,"timeZone":"Europe/Amsterdam"}""";

    public static async Task RunAsync(int requests, int clients)
    {
        await using var host = await LocalHostFixture.StartRunStrengthAsync();
        var settings = DevTokens.Read(Path.Combine(LocalHostFixture.Output("RunStrength.Functions"), "local.settings.json"));
        var token = DevTokens.Mint(settings, "bench-user", TimeSpan.FromHours(1));

        using (var put = new HttpRequestMessage(HttpMethod.Put, "api/me/profile") { Content = new StringContent(Profile, Encoding.UTF8, "application/json") })
        {
            put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await host.Client.SendAsync(put)).EnsureSuccessStatusCode();
        }

        // Through the host, over loopback HTTP.
        HttpRequestMessage Health() => new(HttpMethod.Get, "api/health");
        HttpRequestMessage GetProfile()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "api/me/profile");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }

        async Task ViaHost(Func<HttpRequestMessage> make)
        {
            using var response = await host.Client.SendAsync(make());
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        }

        // The same handlers in this process, on the same Azurite.
        var storageConnection = host.StorageConnectionString!;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:ConnectionString"] = storageConnection }).Build();
        await using var services = new ServiceCollection().AddLogging().AddRunStrengthStorage(configuration).BuildServiceProvider();
        var authenticator = new JwtAuthenticator(Options.Create(new AuthOptions { Issuer = settings.Issuer, Audience = settings.Audience, SigningKey = settings.SigningKey }), NullLogger<JwtAuthenticator>.Instance);
        var profiles = new ProfileFunctions(authenticator, services.GetRequiredService<IProfileStore>(), new WeekPlanner(services.GetRequiredService<IPlanStore>(), services.GetRequiredService<ISessionLogStore>(), TimeProvider.System, Options.Create(new WeeklyPlanOptions())), TimeProvider.System, new AuditLog(NullLoggerFactory.Instance, TimeProvider.System));
        var health = new HealthFunctions(services.GetRequiredService<Tables>());

        async Task Direct(Func<HttpRequest, Task<IResult>> handler, bool authenticated)
        {
            var context = new DefaultHttpContext { RequestServices = services };
            context.Response.Body = new MemoryStream();
            if (authenticated)
            {
                context.Request.Headers.Authorization = $"Bearer {token}";
            }

            var result = await handler(context.Request);
            await result.ExecuteAsync(context);
            if (context.Response.StatusCode != 200)
            {
                throw new InvalidOperationException($"direct call answered {context.Response.StatusCode}");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{requests} requests per case, {clients} concurrent clients"));
        foreach (var (name, viaHost, direct) in new (string, Func<Task>, Func<Task>)[]
        {
            ("GET /api/health", () => ViaHost(Health), () => Direct(_ => health.Check(CancellationToken.None), authenticated: false)),
            ("GET /api/me/profile", () => ViaHost(GetProfile), () => Direct(r => profiles.Get(r, CancellationToken.None), authenticated: true)),
        })
        {
            await Measure(viaHost, Math.Max(requests / 10, 50), clients);
            await Measure(direct, Math.Max(requests / 10, 50), clients);
            var hosted = await Measure(viaHost, requests, clients);
            var inProcess = await Measure(direct, requests, clients);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-22} via LocalHost: p50 {hosted.P50:0.00} ms, p99 {hosted.P99:0.00} ms, {hosted.Rps:0} req/s | direct: p50 {inProcess.P50:0.00} ms, p99 {inProcess.P99:0.00} ms, {inProcess.Rps:0} req/s | host/direct p50 {hosted.P50 / inProcess.P50:0.0}x, p99 {hosted.P99 / inProcess.P99:0.0}x"));
        }
    }

    private static async Task<(double P50, double P99, double Rps)> Measure(Func<Task> call, int requests, int clients)
    {
        var latencies = new double[requests];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));
        clock.Stop();
        Array.Sort(latencies);
        return (latencies[requests / 2], latencies[(int)(requests * 0.99)], requests / clock.Elapsed.TotalSeconds);
    }
}
