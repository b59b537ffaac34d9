using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RunStrength.DevToken;
using RunStrength.EndToEnd.Tests;

namespace RunStrength.Benchmarks;

/// <summary>
/// HTTP load run against the built app through LocalHost, as mobile clients use it: a seeded mix
/// of profile reads (50%), current-plan reads (35%) and merge-patches with If-Match (15%). Two
/// clients share each user, so some patches carry an ETag the other client has just made stale:
/// those 412s are intended, and the client re-reads the profile. Any other non-2xx/304 answer
/// or exception is an error. Usage:
/// <c>dotnet run -c Release --project bench/RunStrength.Benchmarks -- http-load [requests per level] [client levels, e.g. 16,64]</c>.
/// </summary>
public static class HttpLoad
{
    private const string Profile = """{"goal":"balanced","runningExperience":"intermediate","strengthExperience":"beginner","availableDays":["mon","wed","fri","sat"],"longRunDay":"sat","maxSessionMinutes":60,"weeklyRunMinutes":120,"birthYear":1988,"timeZone":"Europe/Amsterdam"}""";

    private enum Operation { ReadProfile, ReadPlan, Patch, ReRead }

    public static async Task<int> RunAsync(int requests, IReadOnlyList<int> levels)
    {
        await using var host = await LocalHostFixture.StartRunStrengthAsync();
        var settings = DevTokens.Read(Path.Combine(LocalHostFixture.Output("RunStrength.Functions"), "local.settings.json"));
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores; LocalHost, worker, Azurite and these clients share them. Mix: 50% GET profile, 35% GET current plan, 15% PATCH profile with If-Match; two clients per user."));
        Console.WriteLine("| clients | requests | req/s | p50 ms | p99 ms | GET profile p50/p99 | GET plan p50/p99 | PATCH p50/p99 | 412 (intended) | errors |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        var failed = 0;
        foreach (var clients in levels)
        {
            var users = await SignUpAsync(client, settings, clients / 2, $"load{clients}");
            await MeasureAsync(client, users, clients, Math.Max(requests / 10, clients * 4), seed: 1); // warm-up, not reported
            var result = await MeasureAsync(client, users, clients, requests, seed: 2);
            Console.WriteLine(result.Row(clients, requests));
            failed += result.Errors;
            foreach (var error in result.ErrorSamples)
            {
                Console.WriteLine($"  error: {error}");
            }
        }

        return failed == 0 ? 0 : 1;
    }

    private static async Task<List<LoadUser>> SignUpAsync(HttpClient client, DevTokens.Settings settings, int count, string prefix)
    {
        var users = new List<LoadUser>();
        for (var i = 0; i < Math.Max(count, 1); i++)
        {
            var user = new LoadUser(DevTokens.Mint(settings, $"{prefix}-user-{i}", TimeSpan.FromHours(2)));
            using var put = user.Request(HttpMethod.Put, "api/me/profile", Profile, "application/json");
            using var response = await client.SendAsync(put);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Sign-up answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }

            user.ETag = response.Headers.ETag?.Tag;
            users.Add(user);
        }

        return users;
    }

    private static async Task<LoadResult> MeasureAsync(HttpClient client, List<LoadUser> users, int clients, int requests, int seed)
    {
        var samples = new ConcurrentBag<(Operation Operation, double Milliseconds)>();
        var errors = new ConcurrentQueue<string>();
        var preconditionFailed = 0;
        var issued = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var random = new Random(seed * 1000 + c);
            var user = users[c % users.Count];
            while (Interlocked.Increment(ref issued) < requests)
            {
                var roll = random.Next(100);
                var operation = roll < 50 ? Operation.ReadProfile : roll < 85 ? Operation.ReadPlan : Operation.Patch;
                var status = await TimedAsync(operation, () => SendAsync(client, user, operation, random));
                if (status == HttpStatusCode.PreconditionFailed && operation == Operation.Patch)
                {
                    Interlocked.Increment(ref preconditionFailed);
                    status = await TimedAsync(Operation.ReRead, () => SendAsync(client, user, Operation.ReadProfile, random));
                }

                if (status is not (HttpStatusCode.OK or HttpStatusCode.NotModified))
                {
                    errors.Enqueue($"{operation}: {(int)status}");
                }
            }
        }));
        clock.Stop();

        async Task<HttpStatusCode> TimedAsync(Operation operation, Func<Task<HttpStatusCode>> send)
        {
            var start = Stopwatch.GetTimestamp();
            HttpStatusCode status;
            try
            {
                status = await send();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                errors.Enqueue($"{operation}: {e.GetType().Name} {e.Message}");
                return HttpStatusCode.OK;
            }

            samples.Add((operation, Stopwatch.GetElapsedTime(start).TotalMilliseconds));
            return status;
        }

        return new LoadResult(samples.ToList(), clock.Elapsed, preconditionFailed, errors.Count, errors.Take(5).ToList());
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, LoadUser user, Operation operation, Random random)
    {
        using var request = operation switch
        {
            Operation.ReadPlan => user.Request(HttpMethod.Get, "api/me/plans/current"),
            Operation.Patch => user.Request(HttpMethod.Patch, "api/me/profile",
                string.Create(CultureInfo.InvariantCulture, $$"""{"maxSessionMinutes":{{45 + (random.Next(4) * 5)}}}"""), "application/merge-patch+json"),
            _ => user.Request(HttpMethod.Get, "api/me/profile"),
        };
        if (operation == Operation.Patch && user.ETag is { } etag)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        }

        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        if (operation != Operation.ReadPlan && response.IsSuccessStatusCode && response.Headers.ETag is { } fresh)
        {
            user.ETag = fresh.Tag;
        }

        return response.StatusCode;
    }

    private sealed class LoadUser(string token)
    {
        private string? _etag;

        public string? ETag { get => Volatile.Read(ref _etag); set => Volatile.Write(ref _etag, value); }

        public HttpRequestMessage Request(HttpMethod method, string path, string? body = null, string? contentType = null)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, contentType!);
            }

            return request;
        }
    }

    private sealed record LoadResult(List<(Operation Operation, double Milliseconds)> Samples, TimeSpan Elapsed, int PreconditionFailed, int Errors, List<string> ErrorSamples)
    {
        public string Row(int clients, int requests)
        {
            var all = Samples.Select(s => s.Milliseconds).ToArray();
            string Of(Operation operation)
            {
                var times = Samples.Where(s => s.Operation == operation).Select(s => s.Milliseconds).ToArray();
                return times.Length == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Percentile(times, 0.50):0.0} / {Percentile(times, 0.99):0.0}");
            }

            return string.Create(CultureInfo.InvariantCulture,
                $"| {clients} | {requests} | {Samples.Count / Elapsed.TotalSeconds:0} | {Percentile(all, 0.50):0.0} | {Percentile(all, 0.99):0.0} | {Of(Operation.ReadProfile)} | {Of(Operation.ReadPlan)} | {Of(Operation.Patch)} | {PreconditionFailed} | {Errors} |");
        }

        private static double Percentile(double[] values, double quantile)
        {
            Array.Sort(values);
            return values[Math.Min(values.Length - 1, (int)(values.Length * quantile))];
        }
    }
}
