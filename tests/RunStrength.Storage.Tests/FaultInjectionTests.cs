using RunStrength.Testing;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using RunStrength.Planning.Plans;

namespace RunStrength.Storage.Tests;

public sealed class FaultInjectionTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    [Fact]
    public async Task WithTwentyPercentOf503sEveryWriteStillLandsExactlyOnce()
    {
        var faults = new TransientFaults(rate: 0.2, seed: 2026);
        var options = new TableClientOptions();
        var storage = new StorageOptions
        {
            ConnectionString = Azurite.ConnectionString,
            TablePrefix = Prefix,
            MaxRetries = 10,
            RetryDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        };
        StorageServiceCollectionExtensions.Configure(options, storage);
        options.AddPolicy(faults, HttpPipelinePosition.PerRetry);
        var faulty = new Tables(new TableServiceClient(Azurite.ConnectionString, options), Options.Create(storage));
        var plans = new PlanStore(faulty);
        var logs = new SessionLogStore(faulty, TimeProvider.System);

        var batched = Enumerable.Range(0, 600).Select(i => ($"batched-{i}", TestData.Plan(TestData.Week, profileVersion: i))).ToList();
        await plans.WriteBatchAsync(batched);
        await Parallel.ForEachAsync(Enumerable.Range(0, 150), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await plans.WriteAsync($"single-{i}", TestData.Plan(TestData.Week, profileVersion: 1000 + i), ct));
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await logs.UpsertAsync($"logger-{i / 2}", TestData.Week, new SessionLog { SessionId = $"s{i % 2}", Status = SessionStatus.Completed, Rpe = i % 10 }, ct));

        // Read back through the fault-free stores.
        var rows = await AllRowsAsync();
        Assert.True(faults.BeforeSend > 20 && faults.AfterSend > 20, $"injected {faults.BeforeSend} before and {faults.AfterSend} after sending");
        // Each plan with its marker; each log, and one week-index row per user who logged (100 users).
        Assert.Equal(((600 + 150) * 2) + 200 + 100, rows.Count);
        foreach (var (user, plan) in batched.Where((_, i) => i % 50 == 0))
        {
            Assert.Equal(plan.ProfileVersion, (await Plans.GetAsync(user, TestData.Week))!.ProfileVersion);
        }

        Assert.Equal(1149, (await Plans.GetAsync("single-149", TestData.Week))!.ProfileVersion);
        Assert.Equal(9, (await Logs.GetWeekAsync("logger-99", TestData.Week)).Single(l => l.SessionId == "s1").Rpe);
    }
}
