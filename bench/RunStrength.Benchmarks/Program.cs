using System.Globalization;
using BenchmarkDotNet.Running;
using RunStrength.Benchmarks;

// The scale benchmark's phases run in processes of their own, so each one's peak memory is its own.
if (WeeklyScale.IsChild(args))
{
    await WeeklyScale.ChildAsync(args);
    return 0;
}

// `weekly-scale [sizes] [shards at once]`: the weekly run against its raw ceiling at each size, with peak memory.
if (args.Length > 0 && args[0] == "weekly-scale")
{
    var sizes = args.Length > 1 ? args[1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList() : [10_000, 100_000];
    var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
    await WeeklyScale.RunAsync(sizes, concurrency);
    return 0;
}

// `week-of-ticks [users] [shards at once] [baseline ticks]`: entity operations per user over a week of hourly ticks, due index against the hourly sweep.
if (args.Length > 0 && args[0] == "week-of-ticks")
{
    var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
    var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
    var baselineHours = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 168;
    await DueIndexCost.RunAsync(users, concurrency, baselineHours);
    return 0;
}

// `storage [plans] [concurrency]` runs the Azurite load run; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "storage")
{
    var plans = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
    var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
    await StorageThroughput.RunAsync(plans, concurrency);
    return 0;
}

// `localhost [requests] [clients]` measures latency through LocalHost against the handlers called directly.
if (args.Length > 0 && args[0] == "localhost")
{
    var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4000;
    var clients = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
    await HostLatency.RunAsync(requests, clients);
    return 0;
}

// `http-load [requests per level] [clients, e.g. 16,64]`: a mix of profile reads, patches and plan reads through LocalHost.
if (args.Length > 0 && args[0] == "http-load")
{
    var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 6000;
    var levels = args.Length > 2 ? args[2].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList() : [16, 64];
    return await HttpLoad.RunAsync(requests, levels);
}

BenchmarkSwitcher.FromAssembly(typeof(PlanGenerationBenchmarks).Assembly).Run(args);
return 0;
