using RunStrength.Testing;
using RunStrength.Planning.Plans;

namespace RunStrength.Storage.Tests;

public sealed class SessionLogStoreTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    private static SessionLog Log(string session, SessionStatus status = SessionStatus.Completed, int? rpe = 6) => new()
    {
        SessionId = session,
        Status = status,
        ActualMinutes = 40,
        Rpe = rpe,
        Note = "felt good",
        Exercises = [new ExerciseLog("back-squat", [new SetLog(8, 2, 80.5m), new SetLog(8, 1, 80.5m)])],
    };

    [Fact]
    public async Task FirstLogIsCreatedThenUpdatedInPlace()
    {
        var first = await Logs.UpsertAsync("alice", TestData.Week, Log("s1"));
        var second = await Logs.UpsertAsync("alice", TestData.Week, Log("s1", SessionStatus.Partial, rpe: 9));

        var week = await Logs.GetWeekAsync("alice", TestData.Week);

        Assert.Equal((WriteOutcome.Created, WriteOutcome.Updated), (first.Outcome, second.Outcome));
        var log = Assert.Single(week);
        Assert.Equal((SessionStatus.Partial, 9), (log.Status, log.Rpe));
        Assert.Equal(80.5m, log.Exercises[0].Sets[0].Load);
    }

    [Fact]
    public async Task WeekReadReturnsOnlyThatUsersWeek()
    {
        await Logs.UpsertAsync("alice", TestData.Week, Log("s1"));
        await Logs.UpsertAsync("alice", TestData.Week, Log("s2"));
        await Logs.UpsertAsync("alice", TestData.Week.Next(), Log("s1"));
        await Logs.UpsertAsync("bob", TestData.Week, Log("s1"));

        var week = await Logs.GetWeekAsync("alice", TestData.Week);

        Assert.Equal(["s1", "s2"], week.Select(l => l.SessionId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ShardWeekGroupsEveryUsersLogsOfThatShardAndWeek()
    {
        var users = Enumerable.Range(0, 4).Select(i => TestData.UserInShard("a1", i)).ToList();
        foreach (var user in users)
        {
            await Logs.UpsertAsync(user, TestData.Week, Log("s1"));
            await Logs.UpsertAsync(user, TestData.Week, Log("s2"));
            await Logs.UpsertAsync(user, TestData.Week.Previous(), Log("s3"));
        }

        await Logs.UpsertAsync(TestData.UserInShard("a2", 0), TestData.Week, Log("s1"));

        var shard = await Logs.GetShardWeekAsync("a1", TestData.Week);

        Assert.Equal(users.Select(u => UserKey.For(u).Value).Order(StringComparer.Ordinal), shard.Keys.Select(k => k.Value).Order(StringComparer.Ordinal));
        Assert.All(shard.Values, logs => Assert.Equal(["s1", "s2"], logs.Select(l => l.SessionId).Order(StringComparer.Ordinal)));
    }
}
