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
}
