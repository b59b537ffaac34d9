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

    [Fact]
    public async Task ConcurrentRotationsLeaveExactlyOneValidToken()
    {
        for (var round = 0; round < 3; round++)
        {
            var userId = $"racer-{round}";
            var earlier = new[] { await Calendars.CreateOrRotateAsync(userId), await Calendars.CreateOrRotateAsync(userId) };

            var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Calendars.CreateOrRotateAsync(userId))));

            var valid = new List<string>();
            foreach (var token in earlier.Concat(racing))
            {
                if (await Calendars.ResolveAsync(token) is { } owner)
                {
                    Assert.Equal(userId, owner);
                    valid.Add(token);
                }
            }

            Assert.Single(valid);
            Assert.Contains(valid[0], racing);
        }
    }

    [Fact]
    public async Task ATokenLeftByACrashedRotationIsRevokedByTheNextOne()
    {
        var first = await Calendars.CreateOrRotateAsync("carol");
        var table = await Tables.GetAsync(Tables.Calendars);
        var pointer = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>($"usr-{UserKey.For("carol").Shard}", UserKey.For("carol").Value)).Value;

        // A rotation that wrote its index row and token and then died before moving the pointer.
        var orphan = "orphan-token-from-a-crashed-rotation-000000";
        var hash = CalendarTokenStore.Hash(orphan);
        await table.AddEntityAsync(new Azure.Data.Tables.TableEntity(pointer.PartitionKey, $"{pointer.RowKey}-tok-{hash}") { ["Generation"] = pointer.GetInt64("Generation")!.Value + 1 });
        await table.AddEntityAsync(new Azure.Data.Tables.TableEntity($"tok-{hash[..2]}", hash) { ["UserId"] = "carol", ["UserKey"] = pointer.RowKey });
        Assert.Equal("carol", await Calendars.ResolveAsync(orphan));

        var current = await Calendars.CreateOrRotateAsync("carol");

        Assert.Null(await Calendars.ResolveAsync(first));
        Assert.Null(await Calendars.ResolveAsync(orphan));
        Assert.Equal("carol", await Calendars.ResolveAsync(current));
    }

    [Fact]
    public async Task RevokingLeavesNoValidTokenAndCanBeRepeated()
    {
        var old = await Calendars.CreateOrRotateAsync("dave");
        var current = await Calendars.CreateOrRotateAsync("dave");

        Assert.Equal(1, await Calendars.RevokeAsync("dave"));
        Assert.Equal(0, await Calendars.RevokeAsync("dave"));
        Assert.Equal(0, await Calendars.RevokeAsync("never-had-a-feed"));

        Assert.Null(await Calendars.ResolveAsync(old));
        Assert.Null(await Calendars.ResolveAsync(current));
        var again = await Calendars.CreateOrRotateAsync("dave");
        Assert.Equal("dave", await Calendars.ResolveAsync(again));
        Assert.DoesNotContain(await AllRowsAsync(), row => row.RowKey.Contains(UserKey.For("never-had-a-feed").Value, StringComparison.Ordinal));
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
