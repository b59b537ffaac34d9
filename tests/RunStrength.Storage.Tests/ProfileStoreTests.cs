using RunStrength.Testing;
using RunStrength.Planning;
using RunStrength.Planning.Profiles;

namespace RunStrength.Storage.Tests;

public sealed class ProfileStoreTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    [Fact]
    public async Task CreatedProfileReadsBackAsVersionOne()
    {
        var created = await Profiles.CreateAsync("alice", TestData.Profile());

        var stored = await Profiles.GetAsync("alice");

        Assert.Equal(WriteOutcome.Created, created.Outcome);
        Assert.NotNull(stored);
        Assert.Equal(TestData.Profile(), stored.Profile);
        Assert.Equal(1, stored.Version);
        Assert.Equal("alice", stored.UserId);
        Assert.Equal(created.ETag, stored.ETag);
        Assert.Null(stored.Problem);
    }

    [Fact]
    public async Task ExcludedExercisesRoundTripAndAProfileWithoutThemReadsAsNone()
    {
        var profile = TestData.Profile() with { ExcludedExercises = ["back-squat", "push-up"] };
        await Profiles.CreateAsync("erin", profile);
        await Profiles.CreateAsync("frank", TestData.Profile());

        Assert.Equal(["back-squat", "push-up"], (await Profiles.GetAsync("erin"))!.Profile!.ExcludedExercises);
        Assert.Empty((await Profiles.GetAsync("frank"))!.Profile!.ExcludedExercises);
    }

    [Fact]
    public async Task RaceTargetsAndDaysOffRoundTrip()
    {
        var profile = TestData.Profile() with
        {
            RecentRace = new RaceResult(10, TimeSpan.FromMinutes(50), new LocalDate(2026, 10, 18)),
            ThresholdPaceSecPerKm = 306,
            MaxHeartRate = 188,
            RestingHeartRate = 52,
            Race = new RaceGoal(new LocalDate(2027, 3, 7), 21.0975, "City half"),
            UnavailableDates = [new LocalDate(2026, 12, 24), new LocalDate(2026, 12, 25)],
        };
        await Profiles.CreateAsync("gina", profile);

        var stored = (await Profiles.GetAsync("gina"))!;

        Assert.Null(stored.Problem);
        Assert.Equal(profile, stored.Profile);
    }

    [Fact]
    public async Task SecondCreateIsAConflictAndChangesNothing()
    {
        await Profiles.CreateAsync("bob", TestData.Profile(Goal.Muscle));

        var second = await Profiles.CreateAsync("bob", TestData.Profile(Goal.Endurance));

        Assert.Equal(WriteOutcome.Conflict, second.Outcome);
        Assert.Equal(Goal.Muscle, (await Profiles.GetAsync("bob"))!.Profile!.Goal);
    }

    [Fact]
    public async Task MissingProfileIsNullAndReplacingItIsNotFound()
    {
        Assert.Null(await Profiles.GetAsync("nobody"));
        await Profiles.CreateAsync("carol", TestData.Profile());
        var stored = (await Profiles.GetAsync("carol"))!;
        await Profiles.DeleteAsync("carol");

        var replaced = await Profiles.ReplaceAsync(stored, TestData.Profile(Goal.Muscle));

        Assert.Equal(WriteOutcome.NotFound, replaced.Outcome);
        Assert.Null(await Profiles.GetAsync("carol"));
    }

    [Fact]
    public async Task ReplaceBumpsTheVersionAndStaleETagIsRejected()
    {
        await Profiles.CreateAsync("dave", TestData.Profile());
        var first = (await Profiles.GetAsync("dave"))!;

        var replaced = await Profiles.ReplaceAsync(first, TestData.Profile(Goal.Muscle));
        var stale = await Profiles.ReplaceAsync(first, TestData.Profile(Goal.Endurance));

        Assert.Equal((WriteOutcome.Updated, 2), (replaced.Outcome, replaced.Version));
        Assert.Equal(WriteOutcome.Stale, stale.Outcome);
        var stored = (await Profiles.GetAsync("dave"))!;
        Assert.Equal((Goal.Muscle, 2L), (stored.Profile!.Goal, stored.Version));
    }

    [Fact]
    public async Task TwoRacingWritersOneWinsTheOtherIsStaleAndNothingIsLost()
    {
        await Profiles.CreateAsync("erin", TestData.Profile());
        var read = (await Profiles.GetAsync("erin"))!;

        var results = await Task.WhenAll(
            Task.Run(() => Profiles.ReplaceAsync(read, TestData.Profile(Goal.Muscle) with { MaxSessionMinutes = 45 })),
            Task.Run(() => Profiles.ReplaceAsync(read, TestData.Profile(Goal.Endurance) with { WeeklyRunMinutes = 200 })));

        Assert.Equal([WriteOutcome.Updated, WriteOutcome.Stale], results.Select(r => r.Outcome).Order());
        var winner = (await Profiles.GetAsync("erin"))!;
        Assert.Equal(2, winner.Version);

        // The loser re-reads and applies its change on top: both changes survive.
        var loserWasMuscle = results[0].Outcome == WriteOutcome.Stale;
        var retried = await Profiles.ReplaceAsync(winner, loserWasMuscle
            ? winner.Profile! with { Goal = Goal.Muscle, MaxSessionMinutes = 45 }
            : winner.Profile! with { Goal = Goal.Endurance, WeeklyRunMinutes = 200 });
        var final = (await Profiles.GetAsync("erin"))!;
        Assert.Equal(WriteOutcome.Updated, retried.Outcome);
        Assert.Equal(3, final.Version);
        Assert.True(final.Profile!.MaxSessionMinutes == 45 || final.Profile.WeeklyRunMinutes == 200);
    }

    [Fact]
    public async Task SixteenConcurrentReplacesWithOneETagGiveExactlyOneWinner()
    {
        await Profiles.CreateAsync("frank", TestData.Profile());
        var read = (await Profiles.GetAsync("frank"))!;

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => Profiles.ReplaceAsync(read, TestData.Profile() with { MaxSessionMinutes = 30 + i }))));

        Assert.Equal(1, results.Count(r => r.Outcome == WriteOutcome.Updated));
        Assert.Equal(15, results.Count(r => r.Outcome == WriteOutcome.Stale));
        Assert.Equal(2, (await Profiles.GetAsync("frank"))!.Version);
    }

    [Fact]
    public async Task ListShardReturnsOnlyThatShardsProfiles()
    {
        var sameShard = Enumerable.Range(0, 5).Select(i => TestData.UserInShard("3c", i)).ToList();
        foreach (var user in sameShard.Append(TestData.UserInShard("3d", 0)))
        {
            await Profiles.CreateAsync(user, TestData.Profile());
        }

        var listed = await Profiles.ListShardAsync("3c").Select(p => p.UserId).ToListAsync();

        Assert.Equal(sameShard.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CorruptRowIsReportedNotThrown()
    {
        await Profiles.CreateAsync("hank", TestData.Profile());
        var key = UserKey.For("hank");
        var table = await Tables.GetAsync(Tables.Profiles);
        await table.UpdateEntityAsync(new Azure.Data.Tables.TableEntity(key.Shard, key.Value) { ["Goal"] = "flying" }, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Merge);

        var stored = (await Profiles.GetAsync("hank"))!;

        Assert.Null(stored.Profile);
        Assert.Contains("goal", stored.Problem, StringComparison.Ordinal);
    }
}
