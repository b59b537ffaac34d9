using System.Globalization;
using BenchmarkDotNet.Running;
using RunStrength.Benchmarks;

// `storage [plans] [concurrency]` runs the Azurite load run; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "storage")
{
    var plans = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
    var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
    await StorageThroughput.RunAsync(plans, concurrency);
    return;
}

// `localhost [requests] [clients]` measures latency through LocalHost against the handlers called directly.
if (args.Length > 0 && args[0] == "localhost")
{
    var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4000;
    var clients = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
    await HostLatency.RunAsync(requests, clients);
    return;
}

// `weekly [users] [shards at once]` runs the weekly reconciler over that many users on Azurite.
if (args.Length > 0 && args[0] == "weekly")
{
    var users = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
    var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
    await WeeklyRunLoad.RunAsync(users, concurrency);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PlanGenerationBenchmarks).Assembly).Run(args);
