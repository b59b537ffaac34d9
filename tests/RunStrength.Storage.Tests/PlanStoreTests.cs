using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Serialization;

namespace RunStrength.Storage.Tests;

public sealed class PlanStoreTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    [Fact]
    public async Task PlanReadsBackExactly()
    {
        var plan = TestData.Plan(TestData.Week);

        await Plans.WriteAsync("alice", plan);

        Assert.Equal(PlanJson.Serialize(plan), PlanJson.Serialize((await Plans.GetAsync("alice", TestData.Week))!));
        Assert.Null(await Plans.GetAsync("alice", TestData.Week.Next()));
        Assert.Null(await Plans.GetAsync("bob", TestData.Week));
    }

    [Fact]
    public async Task RewritingAWeekReplacesItInsteadOfDuplicating()
    {
        await Plans.WriteAsync("alice", TestData.Plan(TestData.Week, profileVersion: 1));
        await Plans.WriteAsync("alice", TestData.Plan(TestData.Week, profileVersion: 2));

        var page = await Plans.ListAsync("alice", null, null, 10, null);

        Assert.Equal(2, Assert.Single(page.Items).ProfileVersion);
        Assert.Equal(2, (await Plans.GetAsync("alice", TestData.Week))!.ProfileVersion);
    }

    [Fact]
    public async Task ThousandPlansAcrossShardsAreWrittenInBatchesAndAllReadBack()
    {
        var users = Enumerable.Range(0, 1000).Select(i => $"batch-user-{i}").ToList();
        var shards = users.Select(u => UserKey.For(u).Shard).Distinct().Count();

        var transactions = await Plans.WriteBatchAsync(users.Select(u => (u, TestData.Plan(TestData.Week))).ToList());

        Assert.InRange(transactions, shards, shards + (1000 / 100));
        var read = await Task.WhenAll(users.Select(u => Plans.GetAsync(u, TestData.Week)));
        Assert.All(read, Assert.NotNull);
        Assert.Equal(1000, (await AllRowsAsync()).Count);
    }

    [Fact]
    public async Task PagingThroughTwentyFiveHundredWeeksVisitsEachOnceNewestFirst()
    {
        var weeks = Enumerable.Range(0, 2500).Select(i => TestData.Week.Plus(-i)).ToList();
        await Plans.WriteBatchAsync(weeks.Select(w => ("pager", TestData.Plan(w))).ToList());

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Plans.ListAsync("pager", null, null, 100, token);
            seen.AddRange(page.Items.Select(p => p.Week));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 100);

        Assert.Equal(weeks.Select(w => w.ToString()), seen);
        Assert.InRange(pages, 25, 26);
    }

    [Fact]
    public async Task ListingBetweenTwoWeeksIsInclusiveAndNewestFirst()
    {
        var weeks = Enumerable.Range(0, 10).Select(i => TestData.Week.Plus(-i)).ToList();
        await Plans.WriteBatchAsync(weeks.Select(w => ("window", TestData.Plan(w))).ToList());

        var page = await Plans.ListAsync("window", oldest: TestData.Week.Plus(-5), newest: TestData.Week.Plus(-2), 50, null);

        Assert.Equal(["2026-W47", "2026-W46", "2026-W45", "2026-W44"], page.Items.Select(p => p.Week));
        Assert.Null(page.ContinuationToken);
        Assert.Equal(Phase.Build, page.Items[0].Phase);
    }

    [Fact]
    public async Task PlanLargerThanOnePropertyIsSplitAcrossPropertiesAndRoundTrips()
    {
        var plan = TestData.Plan(TestData.Week) with { AdjustmentReason = new string('r', 100_000) };

        await Plans.WriteAsync("big", plan);

        var stored = (await Plans.GetAsync("big", TestData.Week))!;
        Assert.Equal(100_000, stored.AdjustmentReason.Length);
        var row = Assert.Single(await AllRowsAsync());
        Assert.True(row.GetInt32("Chunks") >= 4);
    }

    [Fact]
    public async Task PlanOverOneMebibyteIsRejectedBeforeAnythingIsSent()
    {
        var plan = TestData.Plan(TestData.Week) with { AdjustmentReason = new string('r', 600_000) };

        await Assert.ThrowsAsync<TableLimitException>(() => Plans.WriteAsync("huge", plan));

        Assert.Empty(await AllRowsAsync());
    }
}
