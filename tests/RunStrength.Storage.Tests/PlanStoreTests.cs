using RunStrength.Testing;
using RunStrength.Planning;
using RunStrength.Planning.Generation;
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
    public async Task ARaceWeekAndItsTaperReadBackWithTheirPhasesAndTheRaceSession()
    {
        // The race is the Sunday of TestData.Week: the week before it tapers.
        var profile = TestData.Profile() with { Race = new Planning.Profiles.RaceGoal(TestData.Week.Monday.PlusDays(6), 10, "Park 10k") };
        var taper = PlanGenerator.Generate(new PlanRequest { Profile = profile, ProfileVersion = 1, Week = TestData.Week.Plus(-1), GeneratedAt = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero) });
        var race = PlanGenerator.Generate(new PlanRequest { Profile = profile, ProfileVersion = 1, Week = TestData.Week, GeneratedAt = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero), Previous = taper });

        await Plans.WriteBatchAsync([("racer", taper), ("racer", race)]);

        var page = await Plans.ListAsync("racer", null, null, 10, null);
        Assert.Equal([Phase.Race, Phase.Taper], page.Items.Select(p => p.Phase));
        var read = (await Plans.GetAsync("racer", TestData.Week))!;
        Assert.Equal(PlanJson.Serialize(race), PlanJson.Serialize(read));
        Assert.Equal(TestData.Week.Monday.PlusDays(6), Assert.Single(read.Sessions, s => s.Type == "race").Date);
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
        Assert.Equal(2000, (await AllRowsAsync()).Count);
        Assert.All(users.Where((_, i) => i % 100 == 0), u => Assert.Equal(TestData.Week, Plans.GetMarkerAsync(u).Result!.Week));
    }

    [Fact]
    public async Task PagingThroughTwentyFiveHundredWeeksVisitsEachOnceNewestFirst()
    {
        var weeks = Enumerable.Range(0, 2500).Select(i => TestData.Week.Plus(-i)).ToList();
        await Plans.WriteBatchAsync(weeks.Select(w => ("pager", TestData.Plan(w))).ToList());

        var seen = new List<string>();
        IsoWeek? next = null;
        var pages = 0;
        do
        {
            var page = await Plans.ListAsync("pager", null, null, 100, next);
            seen.AddRange(page.Items.Select(p => p.Week));
            next = page.Next;
            pages++;
        }
        while (next is not null && pages < 100);

        Assert.Equal(weeks.Select(w => w.ToString()), seen);
        Assert.InRange(pages, 25, 26);
    }

    [Fact]
    public async Task APageNamesTheWeekTheNextStartsFromAndResumingReadsOnlyTheCallersOwnWeeks()
    {
        var weeks = Enumerable.Range(0, 6).Select(i => TestData.Week.Plus(-i)).ToList();
        await Plans.WriteBatchAsync(weeks.Select(w => ("owner", TestData.Plan(w))).Concat(weeks.Select(w => ("neighbour", TestData.Plan(w)))).ToList());

        var first = await Plans.ListAsync("owner", null, null, 2, null);

        Assert.Equal(["2026-W49", "2026-W48"], first.Items.Select(p => p.Week));
        Assert.Equal(TestData.Week.Plus(-2), first.Next);
        var second = await Plans.ListAsync("owner", null, null, 2, first.Next);
        Assert.Equal(["2026-W47", "2026-W46"], second.Items.Select(p => p.Week));

        // A position newer than the window's newest cannot widen the window.
        var windowed = await Plans.ListAsync("owner", null, TestData.Week.Plus(-4), 10, TestData.Week);
        Assert.Equal(["2026-W45", "2026-W44"], windowed.Items.Select(p => p.Week));
        Assert.Null(windowed.Next);
    }

    [Fact]
    public async Task ListingBetweenTwoWeeksIsInclusiveAndNewestFirst()
    {
        var weeks = Enumerable.Range(0, 10).Select(i => TestData.Week.Plus(-i)).ToList();
        await Plans.WriteBatchAsync(weeks.Select(w => ("window", TestData.Plan(w))).ToList());

        var page = await Plans.ListAsync("window", oldest: TestData.Week.Plus(-5), newest: TestData.Week.Plus(-2), 50, null);

        Assert.Equal(["2026-W47", "2026-W46", "2026-W45", "2026-W44"], page.Items.Select(p => p.Week));
        Assert.Null(page.Next);
        Assert.Equal(Phase.Build, page.Items[0].Phase);
    }

    [Fact]
    public async Task PlansAreStoredCompressedAndTheMarkerCarriesTheNewestOnlyWhenAsked()
    {
        var plan = TestData.Plan(TestData.Week);
        var json = PlanJson.Serialize(plan);

        await Plans.WriteAsync("alice", plan);

        var row = Assert.Single(await AllRowsAsync(), r => r.ContainsKey("Chunks"));
        var stored = row.GetBinary("Plan0");
        Assert.InRange(stored.Length, 1, json.Length / 2);
        Assert.Equal(json, PlanJson.Serialize(PlanCodec.Decode(stored)));
        var light = Assert.Single(await Plans.ListShardMarkersAsync(UserKey.For("alice").Shard).ToListAsync());
        Assert.Null(light.DecodePlan());
        var full = Assert.Single(await Plans.ListShardMarkersAsync(UserKey.For("alice").Shard, withPlans: true).ToListAsync());
        Assert.Equal(json, PlanJson.Serialize(full.DecodePlan()!));
    }

    [Fact]
    public async Task RowsWrittenAsJsonTextBeforeCompressionStillRead()
    {
        var plan = TestData.Plan(TestData.Week);
        var key = UserKey.For("legacy");
        var table = await Tables.GetAsync(Tables.Plans);
        await table.AddEntityAsync(new Azure.Data.Tables.TableEntity(key.Shard, PlanStore.RowKey(key, TestData.Week))
        {
            ["Week"] = plan.Week,
            ["Chunks"] = 1,
            ["Plan0"] = PlanJson.Serialize(plan),
        });

        Assert.Equal(PlanJson.Serialize(plan), PlanJson.Serialize((await Plans.GetAsync("legacy", TestData.Week))!));
    }

    [Fact]
    public async Task PlanLargerThanOnePropertyIsSplitAcrossPropertiesAndRoundTrips()
    {
        // Random text barely compresses: 200,000 characters stay well over one 64 KiB property.
        var plan = TestData.Plan(TestData.Week) with { AdjustmentReason = RandomText(200_000, seed: 1) };

        await Plans.WriteAsync("big", plan);

        var stored = (await Plans.GetAsync("big", TestData.Week))!;
        Assert.Equal(plan.AdjustmentReason, stored.AdjustmentReason);
        var row = Assert.Single(await AllRowsAsync(), r => r.ContainsKey("Chunks"));
        Assert.True(row.GetInt32("Chunks") >= 2);
        var marker = Assert.Single(await Plans.ListShardMarkersAsync(UserKey.For("big").Shard, withPlans: true).ToListAsync());
        Assert.Null(marker.DecodePlan());
    }

    [Fact]
    public async Task PlanOverOneMebibyteIsRejectedBeforeAnythingIsSent()
    {
        var plan = TestData.Plan(TestData.Week) with { AdjustmentReason = RandomText(1_600_000, seed: 2) };

        await Assert.ThrowsAsync<TableLimitException>(() => Plans.WriteAsync("huge", plan));

        Assert.Empty(await AllRowsAsync());
    }

    private static string RandomText(int length, int seed)
    {
        var random = new Random(seed);
        const string letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,";
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = letters[r.Next(letters.Length)];
            }
        });
    }
}

public sealed class PlanMarkerTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    [Fact]
    public async Task MarkerFollowsTheNewestWeekWrittenAndItsProfileVersion()
    {
        await Plans.WriteAsync("alice", TestData.Plan(TestData.Week, profileVersion: 1));
        await Plans.WriteBatchAsync([("alice", TestData.Plan(TestData.Week.Next(), profileVersion: 2)), ("alice", TestData.Plan(TestData.Week, profileVersion: 2))]);

        var marker = await Plans.GetMarkerAsync("alice");

        Assert.Equal((TestData.Week.Next(), 2L), (marker!.Week, marker.ProfileVersion));
        Assert.Null(await Plans.GetMarkerAsync("bob"));
    }

    [Fact]
    public async Task ShardMarkersComeBackInOneRangeAndListingsIgnoreThem()
    {
        var users = Enumerable.Range(0, 5).Select(i => TestData.UserInShard("7e", i)).ToList();
        await Plans.WriteBatchAsync(users.Select(u => (u, TestData.Plan(TestData.Week))).ToList());

        var markers = await Plans.ListShardMarkersAsync("7e").ToListAsync();

        Assert.Equal(users.Select(u => UserKey.For(u).Value).Order(StringComparer.Ordinal), markers.Select(m => m.User.Value).Order(StringComparer.Ordinal));
        Assert.Single((await Plans.ListAsync(users[0], null, null, 10, null)).Items);
    }

    [Fact]
    public void AUserUnitIsNeverSplitAcrossTransactions()
    {
        static Azure.Data.Tables.TableTransactionAction Row(string key) =>
            new(Azure.Data.Tables.TableTransactionActionType.UpsertReplace, new Azure.Data.Tables.TableEntity("aa", key));
        var units = Enumerable.Range(0, 40).Select(i => (IReadOnlyList<Azure.Data.Tables.TableTransactionAction>)[Row($"{i}-a"), Row($"{i}-b"), Row($"{i}-c")]).ToList();

        var batches = TableLimits.Batches(units).ToList();

        Assert.All(batches, b => Assert.True(b.Count <= 100 && b.Count % 3 == 0));
        Assert.Equal(120, batches.Sum(b => b.Count));
    }
}
