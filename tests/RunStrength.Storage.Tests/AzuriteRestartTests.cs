using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RunStrength.Testing;

namespace RunStrength.Storage.Tests;

/// <summary>Azurite with disk persistence, stopped and restarted in the middle of a run of batch writes.</summary>
public sealed class AzuriteRestartTests
{
    [Fact]
    public async Task StoppingAndRestartingStorageMidRunLosesNoCommittedPlan()
    {
        var data = Directory.CreateTempSubdirectory("azurite-restart-").FullName;
        var azurite = await AzuriteProcess.StartAsync(dataDirectory: data);
        var port = azurite.TablePort;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:MaxRetries"] = "1",
            ["Storage:RetryDelay"] = "00:00:00.050",
            ["Storage:MaxRetryDelay"] = "00:00:00.100",
            ["Storage:NetworkTimeout"] = "00:00:05",
        }).Build();
        await using var services = new ServiceCollection().AddRunStrengthStorage(configuration).BuildServiceProvider();
        var plans = services.GetRequiredService<IPlanStore>();
        var users = Enumerable.Range(0, 600).Select(i => $"restart-user-{i}").ToList();
        var committed = new ConcurrentBag<string>();
        var failed = new ConcurrentBag<string>();

        try
        {
            // Writers commit batch after batch while storage is stopped underneath them.
            var writers = Task.Run(async () =>
            {
                foreach (var chunk in users.Chunk(10))
                {
                    try
                    {
                        await plans.WriteBatchAsync(chunk.Select(u => (u, TestData.Plan(TestData.Week))).ToList());
                        foreach (var user in chunk)
                        {
                            committed.Add(user);
                        }
                    }
                    catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException or TaskCanceledException)
                    {
                        foreach (var user in chunk)
                        {
                            failed.Add(user);
                        }
                    }
                }
            });

            while (committed.Count < 150)
            {
                await Task.Delay(20);
            }

            await azurite.StopAsync();
            await writers;
            var committedBeforeRestart = committed.ToHashSet(StringComparer.Ordinal);
            azurite = await AzuriteProcess.StartAsync(dataDirectory: data, port: port);

            var missing = new List<string>();
            foreach (var user in committedBeforeRestart)
            {
                if (await plans.GetAsync(user, TestData.Week) is null)
                {
                    missing.Add(user);
                }
            }

            Assert.True(missing.Count == 0, $"{missing.Count} of {committedBeforeRestart.Count} committed plans missing after restart; azurite said: {azurite.Output}");

            Assert.NotEmpty(failed);
            await plans.WriteBatchAsync(failed.Select(u => (u, TestData.Plan(TestData.Week))).ToList());
            var table = await services.GetRequiredService<Tables>().GetAsync(Tables.Plans);
            var rows = await table.QueryAsync<Azure.Data.Tables.TableEntity>(select: ["RowKey"]).CountAsync();
            Assert.Equal(users.Count * 2, rows);
        }
        finally
        {
            await azurite.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
