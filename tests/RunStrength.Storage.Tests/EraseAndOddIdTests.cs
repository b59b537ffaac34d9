using System.Text.RegularExpressions;
using RunStrength.Testing;
using RunStrength.Planning.Plans;

namespace RunStrength.Storage.Tests;

public sealed class EraseAndOddIdTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    public static TheoryData<string> OddIds() => new(TestData.OddUserIds);

    private async Task FillAsync(string userId)
    {
        await Profiles.CreateAsync(userId, TestData.Profile());
        await Plans.WriteAsync(userId, TestData.Plan(TestData.Week.Previous()));
        await Plans.WriteBatchAsync([(userId, TestData.Plan(TestData.Week))]);
        await Logs.UpsertAsync(userId, TestData.Week, new SessionLog { SessionId = "s1", Status = SessionStatus.Completed });
        await Calendars.CreateOrRotateAsync(userId);
        await Calendars.CreateOrRotateAsync(userId);
    }

    [Theory]
    [MemberData(nameof(OddIds))]
    public async Task AnyUserIdWorksEverywhere(string userId)
    {
        await FillAsync(userId);

        Assert.Equal(userId, (await Profiles.GetAsync(userId))!.UserId);
        Assert.NotNull(await Plans.GetAsync(userId, TestData.Week));
        Assert.Equal(2, (await Plans.ListAsync(userId, null, null, 10, null)).Items.Count);
        Assert.Single(await Logs.GetWeekAsync(userId, TestData.Week));
        var token = await Calendars.CreateOrRotateAsync(userId);
        Assert.Equal(userId, await Calendars.ResolveAsync(token));
    }

    [Theory]
    [MemberData(nameof(OddIds))]
    public async Task EraseLeavesZeroRowsOfThatUserAndTouchesNoOneElse(string userId)
    {
        await FillAsync(userId);
        await FillAsync("bystander");
        var before = await AllRowsAsync();
        var bystanderRows = before.Count / 2;

        var deleted = await Eraser.EraseAsync(userId);

        var after = await AllRowsAsync();
        var key = UserKey.For(userId).Value;
        Assert.Equal(bystanderRows, after.Count);
        Assert.Equal(before.Count - after.Count, deleted);
        Assert.DoesNotContain(after, row => row.RowKey.Contains(key, StringComparison.Ordinal) || row.Select(p => p.Value).OfType<string>().Any(v => v == userId || v == key));
        Assert.Null(await Profiles.GetAsync(userId));
        Assert.NotNull(await Profiles.GetAsync("bystander"));
        Assert.Equal(0, await Eraser.EraseAsync(userId));
    }

    [Fact]
    public async Task ErasingAUserCostsTheSameWithFiveOrFiftyOtherUsers()
    {
        var few = await EraseBesideAsync(shard: "3a", others: 5);
        var many = await EraseBesideAsync(shard: "c5", others: 50);

        Assert.Equal(few, many);
    }

    [Fact]
    public async Task EraseReadsOnlyRowsKeyedByThatUser()
    {
        var userId = TestData.UserInShard("7e", 0);
        await FillAsync(userId);
        for (var i = 1; i <= 3; i++)
        {
            await FillAsync(TestData.UserInShard("7e", i));
        }

        Queries.Recording = true;
        await Eraser.EraseAsync(userId);
        Queries.Recording = false;

        // A point read names the user's key in its path; a query bounds RowKey by it within one partition.
        var key = UserKey.For(userId).Value;
        Assert.NotEmpty(Queries.All);
        Assert.All(Queries.All, read => Assert.True(
            read.Filter.Length == 0 ? read.Path.Contains(key, StringComparison.Ordinal) : Regex.IsMatch(read.Filter, $"^PartitionKey eq '[^']+' and RowKey (ge|eq) '[^']*{key}"),
            $"{read.Path} {read.Filter}"));
    }

    /// <summary>Entity operations and requests of erasing one user whose shard holds <paramref name="others"/> other users, and as many again elsewhere.</summary>
    private async Task<(long Reads, long Writes, long Requests)> EraseBesideAsync(string shard, int others)
    {
        Operations.Counting = false;
        var userId = TestData.UserInShard(shard, 0);
        await FillAsync(userId);
        for (var i = 1; i <= others; i++)
        {
            await FillAsync(TestData.UserInShard(shard, i));
            await FillAsync($"elsewhere-{shard}-{i}");
        }

        Operations.Reset();
        Operations.Counting = true;
        await Eraser.EraseAsync(userId);
        Operations.Counting = false;
        return (Operations.Reads, Operations.Writes, Operations.Requests);
    }
}
