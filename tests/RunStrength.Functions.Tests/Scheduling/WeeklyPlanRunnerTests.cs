using RunStrength.Testing;
using Azure.Data.Tables;
using RunStrength.Planning;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Serialization;
using RunStrength.Storage;

namespace RunStrength.Functions.Tests.Scheduling;

public sealed class WeeklyPlanRunnerTests(AzuriteFixture fixture) : RunnerTest(fixture)
{
    private static readonly IsoWeek W49 = new(2026, 49);
    private static readonly IsoWeek W50 = new(2026, 50);

    [Fact]
    public async Task TwoThousandUsersInTwelveZonesArePlannedExactlyOnceAndASecondTickBuildsNothing()
    {
        var users = await CreateUsersAsync(2000);

        var first = await TickAsync();
        Clock.Advance(TimeSpan.FromHours(1));
        var second = await TickAsync();

        Assert.Equal((2000, 4000, 0, 0), (first.UsersSeen, first.PlansBuilt, first.UpToDate, first.Failed));
        Assert.Equal((2000, 0, 2000, 0), (second.UsersSeen, second.PlansBuilt, second.UpToDate, second.Failed));
        var rows = await PlanRowsAsync();
        Assert.Equal(2000, rows.Count);
        Assert.All(rows.Values, weeks => Assert.Equal(["2026-W49", "2026-W50"], weeks.Order(StringComparer.Ordinal)));
        foreach (var user in users.Where((_, i) => i % 97 == 0))
        {
            Assert.Equal(W50, (await Plans.GetMarkerAsync(user))!.Week);
        }

        var summary = (await Runs.GetSummaryAsync(first.RunId))!;
        Assert.Equal(("reconcile", 2000, 4000), (summary.Kind, summary.UsersSeen, summary.PlansBuilt));
    }

    [Fact]
    public async Task EveryoneGetsNextWeekWithinTheLeadTimeBeforeTheirOwnMonday()
    {
        var users = await CreateUsersAsync(24, perZone: 2);
        var builtAt = new Dictionary<string, DateTimeOffset>();
        var step = TimeSpan.FromHours(6);
        StartClockAt(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));

        for (var tick = 0; tick < 18; tick++, Clock.Advance(step))
        {
            await TickAsync();
            foreach (var user in users.Where(u => !builtAt.ContainsKey(u)))
            {
                if ((await Plans.GetMarkerAsync(user))?.Week == W50)
                {
                    builtAt[user] = Clock.GetUtcNow();
                }
            }
        }

        Assert.Equal(users.Count, builtAt.Count);
        foreach (var (user, at) in builtAt)
        {
            var zone = (await Profiles.GetAsync(user))!.Profile!.TimeZone;
            var monday = WeekClock.StartOf(W50, zone);
            Assert.True(at < monday, $"{zone}: built at {at}, after Monday 00:00 ({monday})");
            Assert.InRange(monday - at, TimeSpan.FromHours(48) - step, TimeSpan.FromHours(48));
        }
    }

    [Fact]
    public async Task ProfileChangeRebuildsANotStartedWeekWholeAndAStartedOneFromTomorrow()
    {
        await Profiles.CreateAsync("alice", Profile("Europe/Amsterdam"));
        await TickAsync();
        await Profiles.ReplaceAsync((await Profiles.GetAsync("alice"))!, Profile("Europe/Amsterdam", variant: 5));

        Clock.Advance(TimeSpan.FromHours(1));
        var rebuilt = await TickAsync();
        var w49 = (await Plans.GetAsync("alice", W49))!;
        var w50 = (await Plans.GetAsync("alice", W50))!;

        Assert.Equal(1, rebuilt.PlansBuilt);
        Assert.Equal((1L, 2L), (w49.ProfileVersion, w50.ProfileVersion));

        // Monday 7 December, 13:00 in Amsterdam: W50 has started, so only Tuesday on is planned again.
        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        await Profiles.ReplaceAsync((await Profiles.GetAsync("alice"))!, Profile("Europe/Amsterdam", variant: 7));
        var afterStart = await TickAsync();
        var replanned = (await Plans.GetAsync("alice", W50))!;

        Assert.Equal(1, afterStart.PlansBuilt);
        Assert.Equal(3L, replanned.ProfileVersion);
        var monday = new LocalDate(2026, 12, 7);
        Assert.Equal(w50.Sessions.Where(s => s.Date == monday), replanned.Sessions.Where(s => s.Date == monday));
        Assert.All(replanned.Sessions.Where(s => s.Date > monday && s.Kind != SessionKind.Rest),
            s => Assert.Contains(s.Day, Profile("Europe/Amsterdam", variant: 7).AvailableDays));
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await TickAsync()).PlansBuilt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunKilledHalfwayAndRunAgainPlansEveryUserExactlyOnce(bool cancel)
    {
        var users = await CreateUsersAsync(400);
        using var cancellation = new CancellationTokenSource();
        var crashing = new CrashingPlanStore(Plans, afterBatches: 60, cancel ? cancellation.Cancel : () => throw new InvalidOperationException("worker crashed"));
        const string runId = "2026-12-05T12:00Z";

        await Assert.ThrowsAnyAsync<Exception>(() => TickAsync(crashing, runId, cancellation.Token));
        var resumed = await TickAsync(runId: runId);
        Clock.Advance(TimeSpan.FromHours(1));
        var later = await TickAsync();

        Assert.True(resumed.ShardsResumed > 0, "the re-run should skip shards the first run finished");
        Assert.Equal(0, resumed.Failed);
        Assert.Equal(0, later.PlansBuilt);
        var rows = await PlanRowsAsync();
        Assert.Equal(users.Count, rows.Count);
        Assert.All(rows.Values, weeks => Assert.Equal(["2026-W49", "2026-W50"], weeks.Order(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    public async Task RunKilledAtASeededRandomPointAndRunAgainPlansEveryoneExactlyOnce(int seed)
    {
        var users = await CreateUsersAsync(150);
        var random = new Random(seed);
        // 150 users fill about 114 of the 256 shards, so every draw kills the run before it ends.
        var killAfter = random.Next(0, 100);
        var crashing = new CrashingPlanStore(Plans, killAfter, () => throw new InvalidOperationException($"killed after {killAfter} batches"));
        var runId = $"seed-{seed}";

        var killed = await Record.ExceptionAsync(() => TickAsync(crashing, runId));
        var rerun = await TickAsync(runId: random.Next(2) == 0 ? runId : $"{runId}-retry");

        Assert.Equal(0, rerun.Failed);
        var rows = await PlanRowsAsync();
        Assert.Equal(users.Count, rows.Count);
        Assert.All(rows.Values, weeks => Assert.Equal(["2026-W49", "2026-W50"], weeks.Order(StringComparer.Ordinal)));
        Assert.NotNull(killed);
    }

    [Fact]
    public async Task CorruptUserIsReportedAndSkippedWhileTheRestAreBuilt()
    {
        var users = await CreateUsersAsync(20);
        var broken = UserKey.For(users[7]);
        var table = await Tables.GetAsync(Tables.Profiles);
        await table.UpdateEntityAsync(new TableEntity(broken.Shard, broken.Value) { ["TimeZone"] = "Mars/Olympus" }, Azure.ETag.All, TableUpdateMode.Merge);

        var summary = await TickAsync();

        Assert.Equal((20, 19 * 2, 1), (summary.UsersSeen, summary.PlansBuilt, summary.Failed));
        Assert.StartsWith(broken.Value, Assert.Single(summary.Failures), StringComparison.Ordinal);
        Assert.Contains("timeZone", summary.Failures[0], StringComparison.Ordinal);
        Assert.Null(await Plans.GetMarkerAsync(users[7]));
        Assert.Equal(1, (await Runs.GetSummaryAsync(summary.RunId))!.Failed);
    }

    [Fact]
    public async Task TwelveWeeksWithRandomLogsProgressAndDeloadExactlyAsTheGeneratorSays()
    {
        var users = new[] { "runner", "lifter", "newbie" };
        for (var i = 0; i < users.Length; i++)
        {
            await Profiles.CreateAsync(users[i], Profile(Zones[(i * 5) % Zones.Length], variant: i * 3 + 1));
        }

        var random = new Random(12);
        await TickAsync();
        for (var week = 0; week < 12; week++)
        {
            var current = W50.Plus(week);
            foreach (var user in users)
            {
                var plan = (await Plans.GetAsync(user, current))!;
                foreach (var session in plan.Sessions.Where(s => s.Kind != SessionKind.Rest && random.Next(4) > 0))
                {
                    await Logs.UpsertAsync(user, current, new SessionLog
                    {
                        SessionId = session.Id,
                        Status = random.Next(5) == 0 ? SessionStatus.Skipped : SessionStatus.Completed,
                        Rpe = session.Intensity.Rpe + random.Next(-1, 3),
                        Exercises = session.Exercises.Select(e => new ExerciseLog(e.Id, Enumerable.Repeat(new SetLog(e.RepsMax, e.TargetRir), e.Sets).ToArray())).ToArray(),
                    });
                }
            }

            Clock.Advance(TimeSpan.FromDays(7));
            var summary = await TickAsync();
            Assert.Equal((users.Length, 0), (summary.PlansBuilt, summary.Failed));

            foreach (var user in users)
            {
                await AssertBuiltAsTheGeneratorSaysAsync(user, current.Next());
            }
        }

        foreach (var user in users)
        {
            var phases = new List<Phase>();
            for (var week = 0; week < 12; week++)
            {
                phases.Add((await Plans.GetAsync(user, W50.Plus(week)))!.Phase);
            }

            // W49 (the partial first week) was week 1 of the block, so W50 is week 2.
            Assert.Equal(Enumerable.Range(2, 12).Select(i => i % 4 == 0 ? Phase.Deload : Phase.Build), phases);
        }
    }

    [Fact]
    public async Task FewDueUsersAndMarkersWithoutAPlanAreBuiltFromThePlanRowsAlike()
    {
        // Eight users in one shard, one of them in the zone whose Monday comes first: on Friday
        // only that one is due, too few for the shard's bulk read, so its plan is read alone.
        var shard = UserKey.For("early-0").Shard;
        var shardUsers = Enumerable.Range(0, 5000).Select(i => $"shard-user-{i}").Where(u => UserKey.For(u).Shard == shard).Take(8).ToList();
        var early = shardUsers[0];
        await Profiles.CreateAsync(early, Profile("Pacific/Kiritimati", variant: 2));
        foreach (var user in shardUsers.Skip(1))
        {
            await Profiles.CreateAsync(user, Profile("Pacific/Honolulu", variant: 5));
        }

        // A marker that does not carry its plan (too large, or written before markers did).
        var bare = Enumerable.Range(0, 5000).Select(i => $"bare-{i}").First(u => UserKey.For(u).Shard != shard);
        await Profiles.CreateAsync(bare, Profile("Pacific/Kiritimati", variant: 7));
        Assert.Equal(18, (await TickAsync()).PlansBuilt);
        var plansTable = await Tables.GetAsync(Tables.Plans);
        var marker = (await plansTable.GetEntityAsync<TableEntity>(UserKey.For(bare).Shard, "~" + UserKey.For(bare).Value)).Value;
        Assert.True(marker.Remove("Plan"));
        await plansTable.UpdateEntityAsync(marker, marker.ETag, TableUpdateMode.Replace);

        Clock.Advance(TimeSpan.FromDays(6));
        var friday = await TickAsync();

        Assert.Equal((2, 0), (friday.PlansBuilt, friday.Failed));
        foreach (var user in new[] { early, bare })
        {
            await AssertBuiltAsTheGeneratorSaysAsync(user, W50.Next());
        }

        Assert.All(shardUsers.Skip(1), user => Assert.Null(Plans.GetAsync(user, W50.Next()).Result));
    }

    /// <summary>The stored week is exactly what the generator makes of the profile, the week before and its logs.</summary>
    private async Task AssertBuiltAsTheGeneratorSaysAsync(string user, IsoWeek week)
    {
        var stored = (await Profiles.GetAsync(user))!;
        var expected = PlanGenerator.Generate(new PlanRequest
        {
            Profile = stored.Profile!,
            ProfileVersion = stored.Version,
            Week = week,
            GeneratedAt = Clock.GetUtcNow(),
            Previous = await Plans.GetAsync(user, week.Previous()),
            PreviousLogs = await Logs.GetWeekAsync(user, week.Previous()),
        });
        Assert.Equal(PlanJson.Serialize(expected), PlanJson.Serialize((await Plans.GetAsync(user, week))!));
    }

    /// <summary>A plan store that stops the run after some batches: by throwing, or by cancelling.</summary>
    private sealed class CrashingPlanStore(IPlanStore inner, int afterBatches, Action crash) : ForwardingPlanStore(inner)
    {
        private int _batches;

        public override Task<ShardWrite> WriteUsersAsync(IReadOnlyList<UserWeeks> users, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _batches) > afterBatches)
            {
                crash();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return base.WriteUsersAsync(users, cancellationToken);
        }
    }
}
