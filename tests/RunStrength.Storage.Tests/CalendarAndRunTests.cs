using RunStrength.Testing;
namespace RunStrength.Storage.Tests;

public sealed class CalendarTokenStoreTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    [Fact]
    public async Task TokenResolvesToItsUserAndIsStoredOnlyAsAHash()
    {
        var token = await Calendars.CreateOrRotateAsync("alice");

        Assert.Equal("alice", await Calendars.ResolveAsync(token));
        Assert.True(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "=").Length * 8 >= 128);
        Assert.DoesNotContain(await AllRowsAsync(), row => row.Select(p => p.Value).OfType<string>().Any(v => v.Contains(token, StringComparison.Ordinal)) || row.RowKey.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotationRevokesTheOldToken()
    {
        var old = await Calendars.CreateOrRotateAsync("bob");
        var current = await Calendars.CreateOrRotateAsync("bob");

        Assert.NotEqual(old, current);
        Assert.Null(await Calendars.ResolveAsync(old));
        Assert.Equal("bob", await Calendars.ResolveAsync(current));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("../../etc/passwd")]
    public async Task UnknownTokensResolveToNobody(string token) => Assert.Null(await Calendars.ResolveAsync(token));
}

public sealed class RunCheckpointStoreTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    [Fact]
    public async Task CheckpointIsCreatedThenUpdatedOnlyWithItsETag()
    {
        var created = await Runs.SaveAsync(new RunCheckpoint { RunId = "2026-11-28T10", Shard = "0a", Status = ShardRunStatus.Running, UsersSeen = 5 });
        var stored = Assert.Single(await Runs.GetRunAsync("2026-11-28T10").ToListAsync());

        var updated = await Runs.SaveAsync(stored with { Status = ShardRunStatus.Done, PlansBuilt = 5 });
        var stale = await Runs.SaveAsync(stored with { Status = ShardRunStatus.Running });
        var duplicate = await Runs.SaveAsync(new RunCheckpoint { RunId = "2026-11-28T10", Shard = "0a", Status = ShardRunStatus.Running });

        Assert.Equal(WriteOutcome.Created, created.Outcome);
        Assert.Equal(WriteOutcome.Updated, updated.Outcome);
        Assert.Equal(WriteOutcome.Stale, stale.Outcome);
        Assert.Equal(WriteOutcome.Conflict, duplicate.Outcome);
        var final = Assert.Single(await Runs.GetRunAsync("2026-11-28T10").ToListAsync());
        Assert.Equal((ShardRunStatus.Done, 5), (final.Status, final.PlansBuilt));
    }

    [Fact]
    public async Task SummaryIsStoredBesideTheShardsButNotListedAsOne()
    {
        await Runs.SaveAsync(new RunCheckpoint { RunId = "r1", Shard = "00", Status = ShardRunStatus.Done });
        await Runs.SaveSummaryAsync(new RunSummary { RunId = "r1", Kind = "due", UsersSeen = 7, PlansBuilt = 3, Poisoned = 2, Failures = ["ab: x", "cd: y"] });

        Assert.Single(await Runs.GetRunAsync("r1").ToListAsync());
        var summary = (await Runs.GetSummaryAsync("r1"))!;
        Assert.Equal(("due", 7, 3, 2), (summary.Kind, summary.UsersSeen, summary.PlansBuilt, summary.Poisoned));
        Assert.Equal(["ab: x", "cd: y"], summary.Failures);
    }
}
