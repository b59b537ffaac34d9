using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using RunStrength.Planning;
using RunStrength.Planning.Plans;

namespace RunStrength.Storage;

/// <summary>
/// A user whose due-index entry has come due: who, when, and the newest planned week it knows of
/// (a copy of the marker, written in the same transaction), with that week's plan decoded.
/// </summary>
public sealed record DueUser(UserKey User, string UserId, DateTimeOffset NextBuild, IsoWeek Week, long ProfileVersion)
{
    /// <summary>The plan of <see cref="Week"/>, or null when the entry does not carry it (read it from the plans then).</summary>
    public WeekPlan? Plan { get; init; }

    internal byte[]? EncodedPlan { get; init; }

    internal string ETag { get; init; } = "";
}

/// <summary>
/// A due-hour mark: shard <see cref="Shard"/> has due entries in the UTC hour <see cref="Hour"/>.
/// A tick reads the marks due up to now, then only the shards they name.
/// </summary>
public sealed record DueMark(string Shard, DateTimeOffset Hour)
{
    internal string ETag { get; init; } = "";
}

/// <summary>One user's weeks to write, and when the due index should wake the user next.</summary>
/// <param name="Plans">The weeks built, any order; the newest one becomes the marker.</param>
/// <param name="NextBuild">The next due time, from <c>PlanSchedule.NextBuildAt</c>.</param>
public sealed record UserWeeks(string UserId, IReadOnlyList<WeekPlan> Plans, DateTimeOffset NextBuild)
{
    /// <summary>The due time the user's marker pointed at before (its <see cref="PlanMarker.NextBuild"/>); that entry is removed.</summary>
    public DateTimeOffset? PreviousBuild { get; init; }

    /// <summary>The due entry this write settles, as read: when it changed or went meanwhile, the user is skipped.</summary>
    public DueUser? Settles { get; init; }
}

/// <summary>A user whose write storage refused, and why.</summary>
public sealed record FailedUser(UserKey User, string Reason);

/// <summary>What a shard write did: plans written, users skipped because their due entry was already settled, users refused.</summary>
public sealed record ShardWrite(int PlansWritten, IReadOnlyList<UserKey> AlreadySettled, IReadOnlyList<FailedUser> Failed)
{
    public static ShardWrite Empty { get; } = new(0, [], []);
}

/// <summary>
/// The due index: one row per user in the user's shard partition of the plans table, keyed
/// <c>!due-w{slot}-{userKey}</c> by the user's due hour as an hour of the UTC week (<c>000</c>,
/// Monday 00:00, to <c>167</c>), with the due time itself in <c>NextBuild</c>. A user's build hour
/// falls at the same hour of the week from one week to the next (a day before the lead-time
/// window, at the shard's spread hour), so each build replaces the entry in place, as read (ETag),
/// instead of writing a new row and removing the old one: one entity operation a week fewer. It
/// moves to another slot only when the hour does (a time-zone change, daylight saving, a catch-up).
/// The entry is written in the same transaction as the plan and marker that make it, so it can be
/// lost only together with them.
/// <para>
/// Beside the entries, the due-hour marks (table <c>duehours</c>, one partition, keyed
/// <c>{yyyyMMddHH}-{shard}</c>) say which shards have entries due in which hours, so a tick reads one
/// range of marks, and then, only in the shards they name, the slots of the hours they name, and of
/// those only the entries due by now. Missed hours keep their marks, so a later tick catches them
/// up. A mark is written before the entries it covers (an entry is never without its mark, except
/// when that write fails, and then the entry is not written either) and removed, only as read,
/// once its shard was built through that hour with no failure. A mark lost anyway (a race with a
/// write into an hour already past) is put back by the daily sweep, which marks the hour of every
/// entry overdue by more than an hour.
/// </para>
/// <para>
/// Entries written before the slots were keyed by the due time itself (<c>!due-{yyyyMMddHH}-{userKey}</c>).
/// The daily sweep moves each into its slot (<see cref="MigrateLegacyDueAsync"/>); erasure removes both forms.
/// </para>
/// </summary>
internal sealed partial class PlanStore
{
    private const string DuePrefix = "!due-";

    private const string SlotPrefix = DuePrefix + "w";

    // Entries keyed by their due time, before the slots: '!due-' and a year's digits.
    private const string LegacyDueStart = DuePrefix + "0";
    private const string LegacyDueEnd = DuePrefix + ":";

    private const string MarksPartition = "due";

    private static readonly string[] DueKeyColumns = ["RowKey"];

    public async Task<ShardWrite> WriteUsersAsync(IReadOnlyList<UserWeeks> users, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        var units = users.Where(u => u.Plans.Count > 0).Select(WriteUnitOf).ToList();
        await MarkAsync(units.Select(u => new DueMark(u.User.Shard, u.DueAt)), cancellationToken).ConfigureAwait(false);
        return await SubmitAsync(units, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ShardWrite> RescheduleAsync(string userId, PlanMarker marker, DateTimeOffset nextBuild, DueUser? settles = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(marker);
        var key = UserKey.For(userId);

        // Merge, not upsert: when the user was erased meanwhile, the marker is gone and stays gone.
        var markerRow = new TableEntity(key.Shard, MarkerKey(key)) { ["NextBuild"] = nextBuild };
        var unit = new WriteUnit(key, 0, nextBuild);
        unit.Actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, markerRow, ETag.All));
        var encoded = settles?.Week == marker.Week ? settles.EncodedPlan : marker.EncodedPlan;
        AddDueEntry(unit, key, userId, nextBuild, marker.Week, marker.ProfileVersion, encoded, marker.NextBuild, settles);
        await MarkAsync([new DueMark(key.Shard, nextBuild)], cancellationToken).ConfigureAwait(false);
        return await SubmitAsync([unit], cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<DueMark>> ListDueMarksAsync(DateTimeOffset upTo, string? shard = null, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.DueHours, cancellationToken).ConfigureAwait(false);
        var end = HourKey(upTo.AddHours(1));
        var filter = shard is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {MarksPartition} and RowKey lt {end}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {MarksPartition} and RowKey lt {end} and Shard eq {shard}");
        var marks = new List<DueMark>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            marks.Add(new DueMark(row.GetString("Shard") ?? row.RowKey[^2..], row.GetDateTimeOffset("Hour") ?? DateTimeOffset.UnixEpoch) { ETag = row.ETag.ToString() });
        }

        return marks;
    }

    public Task MarkDueAsync(string shard, DateTimeOffset hour, CancellationToken cancellationToken = default) =>
        MarkAsync([new DueMark(shard, hour)], cancellationToken);

    public async Task ClearDueMarksAsync(IEnumerable<DueMark> marks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(marks);
        var table = await tables.GetAsync(Tables.DueHours, cancellationToken).ConfigureAwait(false);
        foreach (var mark in marks)
        {
            try
            {
                // Only as read: a mark written again meanwhile covers an entry this build did not see.
                await table.DeleteEntityAsync(MarksPartition, MarkKey(mark), new ETag(mark.ETag), cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Cleared by another delivery, or written again: either way it stays right.
            }
        }
    }

    /// <summary>Upserts the marks (distinct by hour and shard) in batch transactions of their one partition.</summary>
    private async Task MarkAsync(IEnumerable<DueMark> marks, CancellationToken cancellationToken)
    {
        var rows = marks
            .Select(m => new TableEntity(MarksPartition, MarkKey(m)) { ["Shard"] = m.Shard, ["Hour"] = HourOf(m.Hour) })
            .DistinctBy(r => r.RowKey, StringComparer.Ordinal)
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var table = await tables.GetAsync(Tables.DueHours, cancellationToken).ConfigureAwait(false);
        foreach (var chunk in rows.Chunk(TableLimits.MaxBatchEntities))
        {
            await Transactions.SubmitAsync(table, [.. chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r))], tables.Options, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string MarkKey(DueMark mark) => $"{HourKey(mark.Hour)}-{mark.Shard}";

    private static string HourKey(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    private static DateTimeOffset HourOf(DateTimeOffset at) => new(at.UtcDateTime.Date.AddHours(at.UtcDateTime.Hour), TimeSpan.Zero);

    public async Task<int> CountDueAsync(string shard, DateTimeOffset upTo, IEnumerable<DueMark> marks, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Plans, cancellationToken).ConfigureAwait(false);
        var count = 0;
        foreach (var filter in DueFilters(shard, upTo, marks))
        {
            await foreach (var _ in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: DueKeyColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                count++;
            }
        }

        return count;
    }

    public async IAsyncEnumerable<DueUser> ListDueAsync(string shard, DateTimeOffset upTo, IEnumerable<DueMark> marks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Plans, cancellationToken).ConfigureAwait(false);
        foreach (var filter in DueFilters(shard, upTo, marks))
        {
            // Entries carry plans (about 2 KiB each): 100 a page keeps a reader's memory small.
            await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 100, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                yield return ToDueUser(row, decode: true);
            }
        }
    }

    public async Task<int> MigrateLegacyDueAsync(string shard, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Plans, cancellationToken).ConfigureAwait(false);
        var legacy = TableClient.CreateQueryFilter($"PartitionKey eq {shard} and RowKey ge {LegacyDueStart} and RowKey lt {LegacyDueEnd}");
        var moved = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(legacy, maxPerPage: 100, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var due = ToDueUser(row, decode: false);
            var remove = new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(shard, row.RowKey), row.ETag);

            // The entry is current only while its marker still points at it; otherwise a later
            // write could not remove it (it looked for the slot), and it just goes.
            var marker = await table.GetEntityIfExistsAsync<TableEntity>(shard, MarkerKey(due.User), select: MarkerColumns, cancellationToken: cancellationToken).ConfigureAwait(false);
            var current = marker.HasValue && marker.Value!.GetDateTimeOffset("NextBuild") == due.NextBuild && marker.Value.GetString("Week") == due.Week.ToString();
            List<TableTransactionAction> actions = [remove];
            if (current)
            {
                // Added, never replaced: an entry already in the slot was written after this one.
                var unit = new WriteUnit(due.User, 0, due.NextBuild);
                AddDueEntry(unit, due.User, due.UserId, due.NextBuild, due.Week, due.ProfileVersion, due.EncodedPlan, previous: null, settles: null);
                actions.Insert(0, new TableTransactionAction(TableTransactionActionType.Add, unit.Actions[0].Entity));
                await MarkAsync([new DueMark(shard, due.NextBuild)], cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await Transactions.SubmitAsync(table, actions, tables.Options, cancellationToken).ConfigureAwait(false);
                moved += current ? 1 : 0;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // The slot was written meanwhile (409), or the old entry changed or went (412, 404):
                // whatever holds the slot is newer. The old entry goes, only as read.
                try
                {
                    await table.DeleteEntityAsync(shard, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException gone) when (gone.Status is 404 or 412)
                {
                }
            }
        }

        return moved;
    }

    private static DueUser ToDueUser(TableEntity row, bool decode)
    {
        var encoded = row.ContainsKey(MarkerPlan) ? row.GetBinary(MarkerPlan) : null;
        return new DueUser(
            new UserKey(row.RowKey[^64..]),
            row.GetString("UserId") ?? "",
            row.GetDateTimeOffset("NextBuild") ?? DateTimeOffset.UnixEpoch,
            IsoWeek.Parse(row.GetString("Week")),
            row.GetInt64("ProfileVersion") ?? 0)
        {
            Plan = decode && encoded is not null ? PlanCodec.Decode(encoded) : null,
            EncodedPlan = encoded,
            ETag = row.ETag.ToString(),
        };
    }

    public async Task DropDueAsync(DueUser due, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(due);
        var table = await tables.GetAsync(Tables.Plans, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(due.User.Shard, DueKey(due.User, due.NextBuild), new ETag(due.ETag), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Settled or moved meanwhile: nothing to drop.
        }
    }

    /// <summary>The hour of the UTC week, <c>000</c> (Monday 00:00) to <c>167</c>, that keys a due entry.</summary>
    internal static string Slot(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return (((((int)utc.DayOfWeek) + 6) % 7 * 24) + utc.Hour).ToString("000", CultureInfo.InvariantCulture);
    }

    internal static string DueKey(UserKey key, DateTimeOffset nextBuild) => $"{SlotPrefix}{Slot(nextBuild)}-{key.Value}";

    /// <summary>The key an entry had before the slots: its due time. Only migration and erasure look for it.</summary>
    internal static string LegacyDueKey(UserKey key, DateTimeOffset nextBuild) =>
        string.Create(CultureInfo.InvariantCulture, $"{DuePrefix}{nextBuild.UtcDateTime:yyyyMMddHH}-{key.Value}");

    /// <summary>
    /// One range query per slot of the marks' hours: that slot's entries due by the end of the hour
    /// of <paramref name="upTo"/> (the rest of the slot are users already built for a later week).
    /// </summary>
    private static IEnumerable<string> DueFilters(string shard, DateTimeOffset upTo, IEnumerable<DueMark> marks)
    {
        ArgumentNullException.ThrowIfNull(marks);
        var end = HourOf(upTo).AddHours(1);
        return marks
            .Where(m => m.Shard == shard && m.Hour < end)
            .Select(m => Slot(m.Hour))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(slot => TableClient.CreateQueryFilter(
                $"PartitionKey eq {shard} and RowKey ge {SlotPrefix + slot + "-"} and RowKey lt {SlotPrefix + slot + "."} and NextBuild lt {end}"));
    }

    /// <summary>All of a user's rows in one unit: the plans, the marker, the new due entry and the old one's removal.</summary>
    private static WriteUnit WriteUnitOf(UserWeeks user)
    {
        var key = UserKey.For(user.UserId);
        var newest = user.Plans.MaxBy(p => IsoWeek.Parse(p.Week))!;
        var unit = new WriteUnit(key, user.Plans.Count, user.NextBuild);
        byte[]? carried = null;
        foreach (var plan in user.Plans)
        {
            var encoded = PlanCodec.Encode(plan);
            unit.Actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(user.UserId, plan, encoded)));

            // The week's plan-ready event commits with it: no event without its plan, no plan without its event.
            unit.Actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, PlanReadyOutbox.ToRow(key, plan)));
            if (ReferenceEquals(plan, newest) && encoded.Length <= TableLimits.MaxBinaryBytes)
            {
                carried = encoded;
            }
        }

        var week = IsoWeek.Parse(newest.Week);
        var marker = new TableEntity(key.Shard, MarkerKey(key))
        {
            ["Week"] = newest.Week,
            ["ProfileVersion"] = newest.ProfileVersion,
            ["NextBuild"] = user.NextBuild,
        };
        if (carried is not null)
        {
            marker[MarkerPlan] = carried;
        }

        unit.Actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, marker));
        AddDueEntry(unit, key, user.UserId, user.NextBuild, week, newest.ProfileVersion, carried, user.PreviousBuild, user.Settles);
        return unit;
    }

    private static void AddDueEntry(
        WriteUnit unit, UserKey key, string userId, DateTimeOffset nextBuild, IsoWeek week, long profileVersion, byte[]? encoded, DateTimeOffset? previous, DueUser? settles)
    {
        var rowKey = DueKey(key, nextBuild);
        var due = new TableEntity(key.Shard, rowKey)
        {
            ["UserId"] = userId,
            ["NextBuild"] = nextBuild,
            ["Week"] = week.ToString(),
            ["ProfileVersion"] = profileVersion,
        };
        if (encoded is not null)
        {
            due[MarkerPlan] = encoded;
        }

        var settledKey = settles is null ? null : DueKey(settles.User, settles.NextBuild);
        if (settledKey == rowKey)
        {
            // The same hour again: replace the entry only as it was read.
            unit.Settle = new TableTransactionAction(TableTransactionActionType.UpdateReplace, due, new ETag(settles!.ETag));
            unit.Actions.Add(unit.Settle);
            return;
        }

        unit.Actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, due));
        if (settles is not null)
        {
            unit.Settle = new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(key.Shard, settledKey), new ETag(settles.ETag));
            unit.Actions.Add(unit.Settle);
        }
        else if (previous is { } before && DueKey(key, before) != rowKey)
        {
            unit.Previous = new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(key.Shard, DueKey(key, before)), ETag.All);
            unit.Actions.Add(unit.Previous);
        }
    }

    /// <summary>
    /// Submits units in batch transactions per partition. A batch refused with 404 or 412 names
    /// the action that failed: a settled entry skips its user (the work was done elsewhere), an
    /// old entry already gone is left out, anything else fails that user; the rest go again.
    /// </summary>
    private async Task<ShardWrite> SubmitAsync(List<WriteUnit> units, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(Tables.Plans, cancellationToken).ConfigureAwait(false);
        var result = new Tally();
        foreach (var batch in Pack(units))
        {
            await SubmitBatchAsync(table, batch, result, cancellationToken).ConfigureAwait(false);
        }

        return new ShardWrite(result.Written, result.Settled, result.Failed);
    }

    private async Task SubmitBatchAsync(TableClient table, List<WriteUnit> pending, Tally result, CancellationToken cancellationToken)
    {
        while (pending.Count > 0)
        {
            var actions = pending.SelectMany(u => u.Actions).ToList();
            try
            {
                await Transactions.SubmitAsync(table, actions, tables.Options, cancellationToken).ConfigureAwait(false);
                result.Written += pending.Sum(u => u.Plans);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                var index = (e as TableTransactionFailedException)?.FailedTransactionActionIndex;
                if (index is not { } failed || failed >= actions.Count)
                {
                    if (pending.Count > 1)
                    {
                        // No index to go by: each unit on its own.
                        foreach (var unit in pending)
                        {
                            await SubmitBatchAsync(table, [unit], result, cancellationToken).ConfigureAwait(false);
                        }

                        return;
                    }

                    Resolve(pending, pending[0], pending[0].Settle ?? pending[0].Previous, result, e);
                    continue;
                }

                var action = actions[failed];
                Resolve(pending, pending.First(u => u.Actions.Contains(action)), action, result, e);
            }
            catch (Exception e) when (e is TableLimitException || (e is RequestFailedException r && !Transactions.IsTransient(r.Status)))
            {
                result.Failed.AddRange(pending.Select(u => new FailedUser(u.User, $"{e.GetType().Name}: {e.Message}")));
                return;
            }
        }
    }

    private static void Resolve(List<WriteUnit> pending, WriteUnit unit, TableTransactionAction? action, Tally result, RequestFailedException e)
    {
        if (action is not null && ReferenceEquals(action, unit.Settle))
        {
            pending.Remove(unit);
            result.Settled.Add(unit.User);
        }
        else if (action is not null && ReferenceEquals(action, unit.Previous))
        {
            unit.Actions.Remove(action);
            unit.Previous = null;
        }
        else
        {
            pending.Remove(unit);
            result.Failed.Add(new FailedUser(unit.User, $"{e.GetType().Name}: {e.Message}"));
        }
    }

    /// <summary>Units into batches of one partition, at most 100 entities and under 4 MiB; a unit is never split.</summary>
    private static IEnumerable<List<WriteUnit>> Pack(IEnumerable<WriteUnit> units)
    {
        foreach (var partition in units.GroupBy(u => u.User.Shard, StringComparer.Ordinal))
        {
            var batch = new List<WriteUnit>();
            var (count, bytes) = (0, 0);
            foreach (var unit in partition)
            {
                var size = unit.Actions.Sum(a => TableLimits.Validate(a.Entity) + 512);
                if (unit.Actions.Count > TableLimits.MaxBatchEntities || size > TableLimits.MaxBatchBytes - (64 * 1024))
                {
                    throw new TableLimitException($"A user's write of {unit.Actions.Count} entities and about {size} bytes exceeds one batch.");
                }

                if (count + unit.Actions.Count > TableLimits.MaxBatchEntities || bytes + size > TableLimits.MaxBatchBytes - (64 * 1024))
                {
                    yield return batch;
                    batch = [];
                    (count, bytes) = (0, 0);
                }

                batch.Add(unit);
                count += unit.Actions.Count;
                bytes += size;
            }

            if (batch.Count > 0)
            {
                yield return batch;
            }
        }
    }

    private sealed class WriteUnit(UserKey user, int plans, DateTimeOffset dueAt)
    {
        public UserKey User { get; } = user;
        public int Plans { get; } = plans;
        public DateTimeOffset DueAt { get; } = dueAt;
        public List<TableTransactionAction> Actions { get; } = [];
        public TableTransactionAction? Settle { get; set; }
        public TableTransactionAction? Previous { get; set; }
    }

    private sealed class Tally
    {
        public int Written { get; set; }
        public List<UserKey> Settled { get; } = [];
        public List<FailedUser> Failed { get; } = [];
    }
}
