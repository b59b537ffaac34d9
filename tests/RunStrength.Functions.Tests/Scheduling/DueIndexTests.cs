using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Plans;
using RunStrength.Functions.Scheduling;
using RunStrength.Planning;
using RunStrength.Planning.Scheduling;
using RunStrength.Storage;
using RunStrength.Testing;

namespace RunStrength.Functions.Tests.Scheduling;

public sealed class DueIndexTests(AzuriteFixture azurite) : RunnerTest(azurite)
{
    private static readonly IsoWeek W49 = new(2026, 49);
    private static readonly IsoWeek W50 = new(2026, 50);

    /// <summary>Wednesday 2 December 2026, 10:00 UTC: every zone is in W49, and W50 is not yet due anywhere.</summary>
    private static readonly DateTimeOffset Wednesday = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SignUpWritesTheDueEntryWithThePlanInTheDayBeforeTheLeadTimeWindow()
    {
        StartClockAt(Wednesday);
        var users = await SignUpAsync(48);

        var entries = await DueRowsAsync();
        Assert.Equal(users.Count, entries.Count);
        foreach (var user in users)
        {
            var key = UserKey.For(user);
            var zone = (await Profiles.GetAsync(user))!.Profile!.TimeZone;
            var marker = (await Plans.GetMarkerAsync(user))!;
            var expected = PlanSchedule.NextBuildAt(W49, zone, TimeSpan.FromHours(48), key.SpreadHour);
            var window = WeekClock.StartOf(W50, zone) - TimeSpan.FromHours(48);
            Assert.Equal((W49, (DateTimeOffset?)expected), (marker.Week, marker.NextBuild));
            Assert.InRange(expected, window - TimeSpan.FromHours(24), window);
            Assert.Equal(0, expected.Minute);
            Assert.Contains(Entry(key, expected), entries);
        }

        // The hours come from the user key, so 48 users land on many different hours.
        Assert.True(users.Select(u => UserKey.For(u).SpreadHour).Distinct().Count() >= 12);
    }

    [Fact]
    public async Task AHourlyTickReadsOnlyTheDueEntriesAndTheDueUsersState()
    {
        StartClockAt(Wednesday);
        var users = await SignUpAsync(120);
        var nextBuilds = await NextBuildsAsync(users);
        Clock.SetUtcNow(nextBuilds.Values.Order().ElementAt(30));
        var due = nextBuilds.Count(n => n.Value <= Clock.GetUtcNow());
        var marksBefore = await MarkRowsAsync();
        var marksDue = nextBuilds.Where(n => n.Value <= Clock.GetUtcNow()).Select(n => $"{n.Value.UtcDateTime:yyyyMMddHH}-{UserKey.For(n.Key).Shard}").ToHashSet();
        Assert.Subset(marksBefore.ToHashSet(), marksDue);
        var entriesBefore = await DueRowsAsync();
        Operations.Reset();

        var tick = await DueTickAsync();
        var (reads, writes, marks) = (Operations.Reads, Operations.Writes, Operations.Marks);

        Assert.InRange(due, 31, 119);
        Assert.Equal((due, due, 0), (tick.UsersSeen, tick.PlansBuilt, tick.Failed));

        // Per due user: its due entry, read with the plan it carries, and its profile (it has no logs).
        // Written: the plan, its plan-ready event, the marker, and the entry replaced in place (the
        // same hour of next week is the same slot). And the run's summary.
        // Apart: the due-hour marks read, those of the next entries written, and those read removed.
        var marksAfter = await MarkRowsAsync();
        var marksWritten = marksAfter.Except(marksBefore).Count();
        Assert.Empty(marksAfter.Intersect(marksDue));
        Assert.Equal(2 * due, reads);
        Assert.Equal(4 * due, writes);
        Assert.Equal(entriesBefore.Order(), (await DueRowsAsync()).Order());
        Assert.Equal(marksDue.Count + marksWritten + marksDue.Count, marks);
        Assert.Equal(1, Operations.Bookkeeping);
        foreach (var (user, next) in nextBuilds)
        {
            var marker = (await Plans.GetMarkerAsync(user))!;
            Assert.Equal(next <= Clock.GetUtcNow() ? (W50, next.AddDays(7)) : (W49, next), (marker.Week, marker.NextBuild!.Value));
        }

        Operations.Reset();
        Assert.Equal(0, (await DueTickAsync()).PlansBuilt);
        Assert.Equal(0, Operations.Reads);
    }

    [Fact]
    public async Task ATickAfterMissedHoursCatchesThemAllUpAndTheNextBuildsNothing()
    {
        StartClockAt(Wednesday);
        var users = await SignUpAsync(60);
        var nextBuilds = await NextBuildsAsync(users);
        var first = nextBuilds.Values.Min();
        Clock.SetUtcNow(first);
        var early = await DueTickAsync();

        // The host is down for six hours; the tick after it finds every entry of those hours.
        Clock.Advance(TimeSpan.FromHours(6));
        var caughtUp = await DueTickAsync();
        var again = await DueTickAsync();

        var inFirstHour = nextBuilds.Values.Count(n => n <= first);
        var inMissedHours = nextBuilds.Values.Count(n => n > first && n <= Clock.GetUtcNow());
        Assert.Equal(inFirstHour, early.PlansBuilt);
        Assert.True(inMissedHours > 0);
        Assert.Equal(inMissedHours, caughtUp.PlansBuilt);
        Assert.Equal((0, 0), (again.UsersSeen, again.PlansBuilt));
        var rows = await PlanRowsAsync();
        Assert.Equal(inFirstHour + inMissedHours, rows.Values.Count(weeks => weeks.Contains("2026-W50")));
    }

    [Fact]
    public async Task EveryUserGetsNextWeekFromTheIndexAloneBeforeTheLeadTimeAndExactlyOnce()
    {
        StartClockAt(Wednesday);
        var users = await SignUpAsync(48);

        // Hourly ticks until Monday; the reconcile sweep never runs.
        var built = 0;
        while (Clock.GetUtcNow() < new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero))
        {
            Clock.Advance(TimeSpan.FromHours(1));
            built += (await DueTickAsync()).PlansBuilt;
        }

        Assert.Equal(users.Count, built);
        foreach (var user in users)
        {
            var zone = (await Profiles.GetAsync(user))!.Profile!.TimeZone;
            var w50 = (await Plans.GetAsync(user, W50))!;
            var ahead = WeekClock.StartOf(W50, zone) - w50.GeneratedAt;
            Assert.InRange(ahead, TimeSpan.FromHours(48), TimeSpan.FromHours(72));
        }
    }

    [Fact]
    public async Task TheReconcileSweepRepairsAMissingEntryAndATimeZoneChange()
    {
        StartClockAt(Wednesday);
        var users = await SignUpAsync(12);
        var (lost, moved) = (users[3], users[7]);
        var table = await Tables.GetAsync(Tables.Plans);

        // Lost: the marker points at no due time and the entry is gone (as written before the index).
        var lostKey = UserKey.For(lost);
        var lostMarker = (await Plans.GetMarkerAsync(lost))!;
        await table.DeleteEntityAsync(lostKey.Shard, Entry(lostKey, lostMarker.NextBuild!.Value));
        var markerRow = (await table.GetEntityAsync<TableEntity>(lostKey.Shard, "~" + lostKey.Value)).Value;
        markerRow.Remove("NextBuild");
        await table.UpdateEntityAsync(markerRow, markerRow.ETag, TableUpdateMode.Replace);

        // Moved: the profile's zone changed, and the re-plan of that change never happened.
        var movedProfile = (await Profiles.GetAsync(moved))!;
        var newZone = movedProfile.Profile!.TimeZone == "Asia/Tokyo" ? "America/Denver" : "Asia/Tokyo";
        await Profiles.ReplaceAsync(movedProfile, movedProfile.Profile with { TimeZone = newZone });
        Clock.Advance(TimeSpan.FromHours(1));

        var sweep = await TickAsync();

        Assert.Equal(0, sweep.Failed);
        var entries = await DueRowsAsync();
        Assert.Equal(users.Count, entries.Count);
        var repaired = (await Plans.GetMarkerAsync(lost))!;
        var lostZone = (await Profiles.GetAsync(lost))!.Profile!.TimeZone;
        Assert.Equal(PlanSchedule.NextBuildAt(W49, lostZone, TimeSpan.FromHours(48), lostKey.SpreadHour), repaired.NextBuild);
        Assert.Contains(Entry(lostKey, repaired.NextBuild!.Value), entries);

        var movedKey = UserKey.For(moved);
        var movedMarker = (await Plans.GetMarkerAsync(moved))!;
        Assert.Equal(PlanSchedule.NextBuildAt(movedMarker.Week, newZone, TimeSpan.FromHours(48), movedKey.SpreadHour), movedMarker.NextBuild);
        Assert.Equal([Entry(movedKey, movedMarker.NextBuild!.Value)], entries.Where(e => e.EndsWith(movedKey.Value, StringComparison.Ordinal)));

        // A second sweep finds nothing left to repair.
        Operations.Reset();
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await TickAsync()).PlansBuilt);
        Assert.Equal(0, Operations.Writes);
        Assert.Equal(UserKey.ShardCount + 2, Operations.Bookkeeping); // the run's checkpoints read and written, and its summary
    }

    [Fact]
    public async Task APatchedTimeZoneMovesTheEntryInTheSameRequest()
    {
        // Sunday, with a lead time of an hour: next week is not due yet in either zone.
        StartClockAt(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
        Settings.LeadTime = TimeSpan.FromHours(1);
        await Profiles.CreateAsync("zoe", Profile("Europe/Amsterdam"));
        var created = (await Profiles.GetAsync("zoe"))!;
        await Planner().PlanAsync("zoe", created.Profile!, created.Version, default);
        var before = (await Plans.GetMarkerAsync("zoe"))!;

        // Sunday: the current week is not planned again, nothing is due, but the entry moves with the zone.
        var changed = created.Profile! with { TimeZone = "America/Los_Angeles" };
        var replaced = await Profiles.ReplaceAsync(created, changed);
        Assert.Empty(await Planner().PlanAsync("zoe", changed, replaced.Version, default));

        var after = (await Plans.GetMarkerAsync("zoe"))!;
        var key = UserKey.For("zoe");
        Assert.Equal(W49, after.Week);
        Assert.Equal(PlanSchedule.NextBuildAt(W49, "America/Los_Angeles", TimeSpan.FromHours(1), key.SpreadHour), after.NextBuild);
        Assert.NotEqual(before.NextBuild, after.NextBuild);
        Assert.Equal([Entry(key, after.NextBuild!.Value)], await DueRowsAsync());
    }

    [Fact]
    public async Task AnErasedUsersEntryGoesWithTheUser()
    {
        StartClockAt(Wednesday);
        var users = await SignUpAsync(3);
        await Profiles.DeleteAsync(users[0]);

        // The plan, the marker, the due entry and the plan-ready event not yet relayed.
        Assert.Equal(4, await Plans.DeleteUserAsync(users[0]));
        Assert.Equal(2, (await DueRowsAsync()).Count);
    }

    [Fact]
    public async Task AnErasedUsersEntryKeyedTheOldWayGoesWithTheUser()
    {
        StartClockAt(Wednesday);
        var users = await SignUpAsync(3);
        var key = UserKey.For(users[0]);
        var next = (await Plans.GetMarkerAsync(users[0]))!.NextBuild!.Value;
        var table = await Tables.GetAsync(Tables.Plans);
        await table.DeleteEntityAsync(key.Shard, Entry(key, next));
        await table.AddEntityAsync(new TableEntity(key.Shard, $"!due-{next.UtcDateTime:yyyyMMddHH}-{key.Value}") { ["UserId"] = users[0], ["NextBuild"] = next, ["Week"] = "2026-W49", ["ProfileVersion"] = 1L });

        Assert.Equal(4, await Plans.DeleteUserAsync(users[0]));
        Assert.DoesNotContain(await DueRowsAsync(), e => e.EndsWith(key.Value, StringComparison.Ordinal));
        Assert.Equal(2, (await DueRowsAsync()).Count);
    }

    [Fact]
    public async Task ASimulatedWeekCostsAtMostTwentyEntityOperationsPerUser()
    {
        var week = await WeekOfTicks.RunAsync(ConnectionString, "due-index", users: 200);

        // Users' entity operations; the run's own checkpoints and summaries are counted apart (per run, not per user).
        Assert.Equal((200, 0), (week.PlansBuilt, week.Failed));
        // At most 20 (docs/PERFORMANCE.md): the build's 6 (its due entry and profile read; the plan,
        // its plan-ready event, the marker and the entry replaced in place written) and the daily
        // sweep's profile and marker, 7 times. The relay of the event is not counted here.
        Assert.InRange(week.PerUser, 5, 20);

        // The due-hour marks, counted apart: each mark written, read and removed once, at most one per
        // user built (fewer as users share an hour and a shard), so never more than three per user.
        Assert.InRange(week.Marks, 3, 3 * 200);
        Assert.True(week.Bookkeeping > 168);
        Assert.True(week.BusiestDay.Plans > 0);
    }

    [Fact]
    public async Task AShardsDueUsersAreReadAndBuiltUsersAtOnceAtATime()
    {
        StartClockAt(Wednesday);
        var shard = UserKey.For("together-0").Shard;
        var users = Enumerable.Range(0, 5000).Select(i => $"together-{i}").Where(u => UserKey.For(u).Shard == shard).Take(6).ToList();
        foreach (var (user, i) in users.Select((u, i) => (u, i)))
        {
            await Profiles.CreateAsync(user, Profile(Zones[i % Zones.Length], i));
            var stored = (await Profiles.GetAsync(user))!;
            await Planner().PlanAsync(user, stored.Profile!, stored.Version, default);
        }

        Clock.SetUtcNow((await NextBuildsAsync(users)).Values.Max());
        Settings.UsersAtOnce = 3;
        var profiles = new GatedProfiles(Profiles, opensAt: 3);
        var builder = new DueShardBuilder(profiles, Plans, Logs, Clock, Options.Create(Settings), NullLogger<DueShardBuilder>.Instance);

        var tally = await builder.BuildAsync(shard, Clock.GetUtcNow(), default);

        Assert.Equal((6, 6, 0), (tally.UsersSeen, tally.PlansBuilt, tally.Failed));
        Assert.Equal(3, profiles.MostAtOnce);
        foreach (var user in users)
        {
            Assert.Equal(W50, (await Plans.GetMarkerAsync(user))!.Week);
        }
    }

    [Fact]
    public async Task ATickReadsOnlyTheShardsItsDueHourMarksName()
    {
        StartClockAt(Wednesday);
        var users = await SignUpAsync(60);
        var nextBuilds = await NextBuildsAsync(users);
        Clock.SetUtcNow(nextBuilds.Values.Order().ElementAt(20));
        var dueShards = nextBuilds.Where(n => n.Value <= Clock.GetUtcNow()).Select(n => UserKey.For(n.Key).Shard).ToHashSet();
        var plans = new ShardReadingPlanStore(Plans);

        var tick = await DueTickAsync(plans);

        Assert.Equal(nextBuilds.Count(n => n.Value <= Clock.GetUtcNow()), tick.PlansBuilt);
        Assert.Equal(dueShards.Order(), plans.ShardsRead.Order());
        Assert.True(dueShards.Count < UserKey.ShardCount / 4, $"{dueShards.Count} shards due");

        // Built, their marks are gone: the next tick reads no shard at all.
        plans.ShardsRead.Clear();
        Assert.Equal(0, (await DueTickAsync(plans)).UsersSeen);
        Assert.Empty(plans.ShardsRead);
    }

    [Fact]
    public async Task ALostDueHourMarkIsPutBackByTheDailySweepAndTheNextTickBuildsItsUser()
    {
        StartClockAt(Wednesday);
        var users = await SignUpAsync(12);
        var nextBuilds = await NextBuildsAsync(users);
        var (user, at) = nextBuilds.MinBy(n => n.Value);
        var key = UserKey.For(user);
        var table = await Tables.GetAsync(Tables.DueHours);
        await table.DeleteEntityAsync("due", $"{at.UtcDateTime:yyyyMMddHH}-{key.Shard}");

        // Two hours past due: the tick does not see the user, whose mark is lost.
        Clock.SetUtcNow(at.AddHours(2));
        var others = nextBuilds.Count(n => n.Value <= Clock.GetUtcNow() && UserKey.For(n.Key).Shard != key.Shard);
        Assert.Equal(others, (await DueTickAsync()).PlansBuilt);
        Assert.Equal(W49, (await Plans.GetMarkerAsync(user))!.Week);

        // The sweep (not yet in the lead-time window, so it builds nothing for the user) marks the
        // entry's own hour again, so the next tick reads its slot.
        await TickAsync();
        Assert.Equal(W49, (await Plans.GetMarkerAsync(user))!.Week);
        Assert.Contains($"{at.UtcDateTime:yyyyMMddHH}-{key.Shard}", await MarkRowsAsync());

        Clock.Advance(TimeSpan.FromHours(1));
        await DueTickAsync();
        Assert.Equal(W50, (await Plans.GetMarkerAsync(user))!.Week);
    }

    [Fact]
    public async Task TheDailySweepMovesEntriesKeyedByTheirDueTimeIntoTheirSlotsAndTheTickBuildsThem()
    {
        StartClockAt(Wednesday);
        var users = await SignUpAsync(12);
        var nextBuilds = await NextBuildsAsync(users);
        var (current, stale) = (users[2], users[5]);
        var table = await Tables.GetAsync(Tables.Plans);

        // As written before the slots: the entry keyed by its due time, and no mark (the marks
        // table is read before the entries, so a lost mark is the worst case). The stale one is an
        // entry its marker no longer points at.
        var (currentKey, staleKey) = (UserKey.For(current), UserKey.For(stale));
        var entry = (await table.GetEntityAsync<TableEntity>(currentKey.Shard, Entry(currentKey, nextBuilds[current]))).Value;
        await table.DeleteEntityAsync(entry.PartitionKey, entry.RowKey);
        await table.AddEntityAsync(new TableEntity(entry.PartitionKey, $"!due-{nextBuilds[current].UtcDateTime:yyyyMMddHH}-{currentKey.Value}")
        {
            ["UserId"] = entry["UserId"], ["NextBuild"] = entry["NextBuild"], ["Week"] = entry["Week"], ["ProfileVersion"] = entry["ProfileVersion"], ["Plan"] = entry["Plan"],
        });
        await table.AddEntityAsync(new TableEntity(staleKey.Shard, $"!due-2026112508-{staleKey.Value}")
        {
            ["UserId"] = stale, ["NextBuild"] = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero), ["Week"] = "2026-W48", ["ProfileVersion"] = 1L,
        });
        var marks = await Tables.GetAsync(Tables.DueHours);
        await marks.DeleteEntityAsync("due", $"{nextBuilds[current].UtcDateTime:yyyyMMddHH}-{currentKey.Shard}");

        Clock.Advance(TimeSpan.FromHours(1));
        await TickAsync();

        var entries = await DueRowsAsync();
        Assert.DoesNotContain(entries, e => e.StartsWith("!due-2", StringComparison.Ordinal));
        Assert.Contains(Entry(currentKey, nextBuilds[current]), entries);
        Assert.Equal([Entry(staleKey, nextBuilds[stale])], entries.Where(e => e.EndsWith(staleKey.Value, StringComparison.Ordinal)));
        Assert.Contains($"{nextBuilds[current].UtcDateTime:yyyyMMddHH}-{currentKey.Shard}", await MarkRowsAsync());

        // At its hour, the tick builds the moved user from the entry, with the plan it carried.
        Clock.SetUtcNow(nextBuilds[current]);
        await DueTickAsync();
        Assert.Equal(W50, (await Plans.GetMarkerAsync(current))!.Week);
    }

    private WeekPlanner Planner() => new(Plans, Logs, Clock, Options.Create(Settings));

    /// <summary>Users signing up through the API's planner, in 12 zones.</summary>
    private async Task<List<string>> SignUpAsync(int count)
    {
        var users = await CreateUsersAsync(count);
        foreach (var user in users)
        {
            var stored = (await Profiles.GetAsync(user))!;
            await Planner().PlanAsync(user, stored.Profile!, stored.Version, default);
        }

        return users;
    }

    private async Task<Dictionary<string, DateTimeOffset>> NextBuildsAsync(IEnumerable<string> users)
    {
        var next = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            next[user] = (await Plans.GetMarkerAsync(user))!.NextBuild!.Value;
        }

        return next;
    }

    private async Task<List<string>> MarkRowsAsync()
    {
        var table = await Tables.GetAsync(Tables.DueHours);
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            rows.Add(row.RowKey);
        }

        return rows;
    }

    /// <summary>Records the shards whose due entries a tick reads or counts.</summary>
    private sealed class ShardReadingPlanStore(IPlanStore inner) : ForwardingPlanStore(inner)
    {
        public System.Collections.Concurrent.ConcurrentBag<string> ShardsRead { get; } = [];

        public override IAsyncEnumerable<DueUser> ListDueAsync(string shard, DateTimeOffset upTo, IEnumerable<DueMark> marks, CancellationToken cancellationToken = default)
        {
            ShardsRead.Add(shard);
            return base.ListDueAsync(shard, upTo, marks, cancellationToken);
        }

        public override Task<int> CountDueAsync(string shard, DateTimeOffset upTo, IEnumerable<DueMark> marks, CancellationToken cancellationToken = default)
        {
            ShardsRead.Add(shard);
            return base.CountDueAsync(shard, upTo, marks, cancellationToken);
        }
    }

    /// <summary>A due entry's key: the user's due hour as an hour of the UTC week, Monday 00:00 being 000.</summary>
    private static string Entry(UserKey key, DateTimeOffset at) =>
        $"!due-w{((((int)at.UtcDateTime.DayOfWeek) + 6) % 7 * 24) + at.UtcDateTime.Hour:000}-{key.Value}";

    private async Task<List<string>> DueRowsAsync()
    {
        var table = await Tables.GetAsync(Tables.Plans);
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter: "RowKey ge '!due-' and RowKey lt '!due.'", select: ["RowKey"]))
        {
            rows.Add(row.RowKey);
        }

        return rows;
    }

    /// <summary>
    /// Profile reads held until <paramref name="opensAt"/> are waiting at once (or 20 s have passed),
    /// counting the most in flight: reads one after another would each wait and count one.
    /// </summary>
    private sealed class GatedProfiles(IProfileStore inner, int opensAt) : IProfileStore
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _most;

        public int MostAtOnce => Volatile.Read(ref _most);

        public async Task<StoredProfile?> GetAsync(string userId, CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref _inFlight);
            try
            {
                InterlockedMax(ref _most, now);
                if (now >= opensAt)
                {
                    _open.TrySetResult();
                }

                await Task.WhenAny(_open.Task, Task.Delay(TimeSpan.FromSeconds(20), cancellationToken));
                return await inner.GetAsync(userId, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public Task<WriteResult> CreateAsync(string userId, Planning.Profiles.Profile profile, CancellationToken cancellationToken = default) => inner.CreateAsync(userId, profile, cancellationToken);
        public Task<WriteResult> ReplaceAsync(StoredProfile current, Planning.Profiles.Profile profile, CancellationToken cancellationToken = default) => inner.ReplaceAsync(current, profile, cancellationToken);
        public Task<WriteResult> DeleteAsync(string userId, CancellationToken cancellationToken = default) => inner.DeleteAsync(userId, cancellationToken);
        public IAsyncEnumerable<StoredProfile> ListShardAsync(string shard, CancellationToken cancellationToken = default) => inner.ListShardAsync(shard, cancellationToken);

        private static void InterlockedMax(ref int target, int value)
        {
            var seen = Volatile.Read(ref target);
            while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var was && was != seen)
            {
                seen = was;
            }
        }
    }
}
