using System.Globalization;
using Azure;
using Azure.Data.Tables;
using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Serialization;

namespace RunStrength.Storage;

/// <summary>
/// One page of a user's weeks, newest first, and the week the next page starts from (null at the
/// end). A position, not a token: the API turns it into a signed continuation token for clients.
/// </summary>
public sealed record PlanListingPage(IReadOnlyList<PlanListing> Items, IsoWeek? Next);

/// <summary>One line of a user's plan history: enough to list weeks without reading whole plans.</summary>
public sealed record PlanListing(
    string Week,
    LocalDate WeekStart,
    Phase Phase,
    int BlockWeek,
    long ProfileVersion,
    string GeneratorVersion,
    DateTimeOffset GeneratedAt,
    int RunMinutes,
    int StrengthSessions,
    int HardRunSessions,
    int SessionCount);

/// <summary>
/// The newest week planned for a user and the profile version it came from. It is written in the
/// same transaction as the plan, so the weekly run can trust it without reading plans. It also
/// carries that plan, encoded (<see cref="PlanCodec"/>), when asked for and when it fits one
/// property: the weekly run builds the next week from it without a read per user.
/// </summary>
public sealed record PlanMarker(UserKey User, IsoWeek Week, long ProfileVersion)
{
    /// <summary>When the due index wakes this user next (see <see cref="IPlanStore.ListDueAsync"/>); null for markers written before the index.</summary>
    public DateTimeOffset? NextBuild { get; init; }

    /// <summary>The newest plan in <see cref="PlanCodec"/> form; null when not asked for, or too large to carry.</summary>
    public byte[]? EncodedPlan { get; init; }

    /// <summary>The plan of <see cref="Week"/>, decoded, or null when the marker does not carry it.</summary>
    public WeekPlan? DecodePlan() => EncodedPlan is null ? null : PlanCodec.Decode(EncodedPlan);
}

public interface IPlanStore
{
    Task<WeekPlan?> GetAsync(string userId, IsoWeek week, CancellationToken cancellationToken = default);

    /// <summary>Writes (or overwrites) one user's week and its marker atomically; keys are deterministic, so rewriting never duplicates.</summary>
    Task WriteAsync(string userId, WeekPlan plan, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes many users' weeks with their markers in batch transactions (a user's rows always in
    /// one transaction), one shard partition at a time; returns the transaction count.
    /// </summary>
    Task<int> WriteBatchAsync(IReadOnlyList<(string UserId, WeekPlan Plan)> plans, CancellationToken cancellationToken = default);

    Task<PlanMarker?> GetMarkerAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Every plan marker of one shard: one range query; with the newest plans too when <paramref name="withPlans"/>.</summary>
    IAsyncEnumerable<PlanMarker> ListShardMarkersAsync(string shard, bool withPlans = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// A user's weeks newest first, optionally between two weeks (inclusive), page by page: each
    /// page names the week the next one starts from, which the caller passes back as <paramref name="resumeAt"/>.
    /// </summary>
    Task<PlanListingPage> ListAsync(string userId, IsoWeek? oldest, IsoWeek? newest, int pageSize, IsoWeek? resumeAt, CancellationToken cancellationToken = default);

    Task<int> DeleteUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes users' weeks with their markers and due-index entries, one shard at a time: each
    /// user's newest plan, marker and next due entry (replacing the one before in place, or with
    /// its removal when the hour of the week moved) commit together. A user whose <see cref="UserWeeks.Settles"/> entry was settled meanwhile (another
    /// delivery of the same work) is skipped, not written twice. Users whose write was refused are
    /// returned; transient faults that outlast the retries throw.
    /// </summary>
    Task<ShardWrite> WriteUsersAsync(IReadOnlyList<UserWeeks> users, CancellationToken cancellationToken = default);

    /// <summary>Moves a user's due entry to <paramref name="nextBuild"/> without writing plans (a time-zone change, or a due entry with nothing due).</summary>
    Task<ShardWrite> RescheduleAsync(string userId, PlanMarker marker, DateTimeOffset nextBuild, DueUser? settles = null, CancellationToken cancellationToken = default);

    /// <summary>The due-hour marks up to the hour of <paramref name="upTo"/>, of every shard or of one: the shards a tick has to read.</summary>
    Task<IReadOnlyList<DueMark>> ListDueMarksAsync(DateTimeOffset upTo, string? shard = null, CancellationToken cancellationToken = default);

    /// <summary>Marks <paramref name="shard"/> as having due entries in the hour of <paramref name="hour"/> (the sweep's repair of a lost mark: the hour of the entry overdue).</summary>
    Task MarkDueAsync(string shard, DateTimeOffset hour, CancellationToken cancellationToken = default);

    /// <summary>Removes marks whose shard was built through their hour with no failure; each only if unchanged since read.</summary>
    Task ClearDueMarksAsync(IEnumerable<DueMark> marks, CancellationToken cancellationToken = default);

    /// <summary>How many due entries of one shard, in the hours of its <paramref name="marks"/>, are due by the hour of <paramref name="upTo"/> (keys only).</summary>
    Task<int> CountDueAsync(string shard, DateTimeOffset upTo, IEnumerable<DueMark> marks, CancellationToken cancellationToken = default);

    /// <summary>
    /// The due entries of one shard, in the hours of its <paramref name="marks"/> (read before),
    /// due by the hour of <paramref name="upTo"/>, with the newest plan each carries, decoded.
    /// </summary>
    IAsyncEnumerable<DueUser> ListDueAsync(string shard, DateTimeOffset upTo, IEnumerable<DueMark> marks, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves a shard's due entries written before the slots (keyed by their due time) into their
    /// slots, marked, and drops those their marker no longer points at; returns how many moved.
    /// </summary>
    Task<int> MigrateLegacyDueAsync(string shard, CancellationToken cancellationToken = default);

    /// <summary>Removes a due entry, only if unchanged since read (a user erased since).</summary>
    Task DropDueAsync(DueUser due, CancellationToken cancellationToken = default);
}

internal sealed partial class PlanStore(Tables tables) : IPlanStore
{
    private const string ChunkPrefix = "Plan";

    private const string MarkerPlan = "Plan";

    private static readonly string[] MarkerColumns = ["RowKey", "Week", "ProfileVersion", "NextBuild"];

    private static readonly string[] ListingColumns =
        ["Week", "WeekStart", "Phase", "BlockWeek", "ProfileVersion", "GeneratorVersion", "GeneratedAt", "RunMinutes", "StrengthSessions", "HardRunSessions", "SessionCount"];

    public async Task<WeekPlan?> GetAsync(string userId, IsoWeek week, CancellationToken cancellationToken = default)
    {
        var key = UserKey.For(userId);
        var table = await tables.GetAsync(Tables.Plans, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(key.Shard, RowKey(key, week), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return null;
        }

        var entity = response.Value!;
        var chunks = entity.GetInt32("Chunks") ?? 1;

        // Rows written before plans were compressed hold JSON text.
        return entity[$"{ChunkPrefix}0"] is string
            ? PlanJson.Deserialize<WeekPlan>(TableLimits.Join(entity, ChunkPrefix, chunks))
            : PlanCodec.Decode(TableLimits.JoinBytes(entity, ChunkPrefix, chunks));
    }

    public Task WriteAsync(string userId, WeekPlan plan, CancellationToken cancellationToken = default) =>
        WriteBatchAsync([(userId, plan)], cancellationToken);

    public async Task<int> WriteBatchAsync(IReadOnlyList<(string UserId, WeekPlan Plan)> plans, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var table = await tables.GetAsync(Tables.Plans, cancellationToken).ConfigureAwait(false);
        var units = plans.GroupBy(p => p.UserId, StringComparer.Ordinal).SelectMany(Units);
        var transactions = 0;
        foreach (var batch in TableLimits.Batches(units))
        {
            // Upserts with deterministic keys: a batch retried after a lost response lands once.
            await Transactions.SubmitAsync(table, batch, tables.Options, cancellationToken).ConfigureAwait(false);
            transactions++;
        }

        return transactions;
    }

    public async Task<PlanMarker?> GetMarkerAsync(string userId, CancellationToken cancellationToken = default)
    {
        var key = UserKey.For(userId);
        var table = await tables.GetAsync(Tables.Plans, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(key.Shard, MarkerKey(key), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToMarker(row.Value!) : null;
    }

    public async IAsyncEnumerable<PlanMarker> ListShardMarkersAsync(string shard, bool withPlans = false, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Plans, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shard} and RowKey ge {MarkerPrefix}");
        // Markers carrying plans come 100 a page, so a reader streaming them holds little at a time.
        var rows = table.QueryAsync<TableEntity>(filter, maxPerPage: withPlans ? 100 : 1000, select: withPlans ? null : MarkerColumns, cancellationToken: cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            yield return ToMarker(row);
        }
    }

    public async Task<PlanListingPage> ListAsync(string userId, IsoWeek? oldest, IsoWeek? newest, int pageSize, IsoWeek? resumeAt, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var key = UserKey.For(userId);
        var table = await tables.GetAsync(Tables.Plans, cancellationToken).ConfigureAwait(false);
        var newestKey = newest is { } n ? RowKey(key, n) : key.Value + "-000000";
        var oldestKey = oldest is { } o ? RowKey(key, o) : key.Value + "-999999";
        if (resumeAt is { } week)
        {
            // The page goes on from the week asked for, never newer than the window allows.
            var resume = RowKey(key, week);
            newestKey = string.CompareOrdinal(resume, newestKey) > 0 ? resume : newestKey;
        }

        // One row more than the page: when it exists, its week is where the next page starts.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {key.Shard} and RowKey ge {newestKey} and RowKey le {oldestKey}");
        var items = new List<PlanListing>(pageSize + 1);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize + 1, select: ListingColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            items.Add(ToListing(row));
            if (items.Count > pageSize)
            {
                break;
            }
        }

        if (items.Count <= pageSize)
        {
            return new PlanListingPage(items, null);
        }

        var next = IsoWeek.Parse(items[pageSize].Week);
        items.RemoveAt(pageSize);
        return new PlanListingPage(items, next);
    }

    public async Task<int> DeleteUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        var key = UserKey.For(userId);
        var table = await tables.GetAsync(Tables.Plans, cancellationToken).ConfigureAwait(false);
        var next = (await GetMarkerAsync(userId, cancellationToken).ConfigureAwait(false))?.NextBuild;

        // One key range or key per query: a filter that ORs them may be served by scanning the whole shard.
        string[] filters =
        [
            TableClient.CreateQueryFilter($"PartitionKey eq {key.Shard} and RowKey ge {key.Value + "-"} and RowKey le {key.Value + "-999999"}"),
            TableClient.CreateQueryFilter($"PartitionKey eq {key.Shard} and RowKey ge {PlanReadyOutbox.Prefix + key.Value + "-"} and RowKey lt {PlanReadyOutbox.Prefix + key.Value + "."}"),
            TableClient.CreateQueryFilter($"PartitionKey eq {key.Shard} and RowKey eq {(next is { } slot ? DueKey(key, slot) : MarkerKey(key))}"),
            // The entry as keyed before the slots, until the daily sweep has moved it. One the marker no
            // longer points at is dropped by that sweep, which finds no marker for it.
            TableClient.CreateQueryFilter($"PartitionKey eq {key.Shard} and RowKey eq {(next is { } legacy ? LegacyDueKey(key, legacy) : MarkerKey(key))}"),
            TableClient.CreateQueryFilter($"PartitionKey eq {key.Shard} and RowKey eq {MarkerKey(key)}"),
        ];
        var deleted = 0;
        foreach (var filter in filters.Distinct(StringComparer.Ordinal))
        {
            deleted += await Rows.DeleteAllAsync(table, filter, tables.Options, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    internal static string RowKey(UserKey key, IsoWeek week) => $"{key.Value}-{WeekKeys.Descending(week)}";

    // '~' sorts after every hex digit, so all markers sit together at the end of a shard's partition.
    private const string MarkerPrefix = "~";

    private static string MarkerKey(UserKey key) => MarkerPrefix + key.Value;

    /// <summary>
    /// A user's newest plan and its marker form one transaction unit, so the marker never claims a
    /// plan that was not written; older weeks of the same user go as units of their own.
    /// </summary>
    private static IEnumerable<IReadOnlyList<TableTransactionAction>> Units(IGrouping<string, (string UserId, WeekPlan Plan)> user)
    {
        var key = UserKey.For(user.Key);
        var newest = user.Select(p => p.Plan).MaxBy(p => IsoWeek.Parse(p.Week))!;
        foreach (var (userId, plan) in user)
        {
            var encoded = PlanCodec.Encode(plan);
            var row = new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(userId, plan, encoded));
            if (!ReferenceEquals(plan, newest))
            {
                yield return [row];
                continue;
            }

            var marker = new TableEntity(key.Shard, MarkerKey(key))
            {
                ["Week"] = newest.Week,
                ["ProfileVersion"] = newest.ProfileVersion,
            };
            if (encoded.Length <= TableLimits.MaxBinaryBytes)
            {
                marker[MarkerPlan] = encoded;
            }

            yield return [row, new TableTransactionAction(TableTransactionActionType.UpsertReplace, marker)];
        }
    }

    private static PlanMarker ToMarker(TableEntity row) =>
        new(new UserKey(row.RowKey[MarkerPrefix.Length..]), IsoWeek.Parse(row.GetString("Week")), row.GetInt64("ProfileVersion") ?? 0)
        {
            EncodedPlan = row.ContainsKey(MarkerPlan) ? row.GetBinary(MarkerPlan) : null,
            NextBuild = row.GetDateTimeOffset("NextBuild"),
        };

    /// <summary>A plan's row; internal so the benchmark's raw ceiling writes exactly this shape.</summary>
    internal static TableEntity ToEntity(string userId, WeekPlan plan, byte[] encoded)
    {
        var key = UserKey.For(userId);
        var week = IsoWeek.Parse(plan.Week);
        var chunks = TableLimits.Chunks(encoded);
        var entity = new TableEntity(key.Shard, RowKey(key, week))
        {
            ["Week"] = plan.Week,
            ["WeekStart"] = plan.WeekStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Phase"] = plan.Phase.ToString(),
            ["BlockWeek"] = plan.BlockWeek,
            ["ProfileVersion"] = plan.ProfileVersion,
            ["GeneratorVersion"] = plan.GeneratorVersion,
            ["GeneratedAt"] = plan.GeneratedAt,
            ["RunMinutes"] = plan.Summary.RunMinutes,
            ["StrengthSessions"] = plan.Summary.StrengthSessions,
            ["HardRunSessions"] = plan.Summary.HardRunSessions,
            ["SessionCount"] = plan.Sessions.Count,
            ["Chunks"] = chunks.Count,
        };
        for (var i = 0; i < chunks.Count; i++)
        {
            entity[string.Create(CultureInfo.InvariantCulture, $"{ChunkPrefix}{i}")] = chunks[i];
        }

        return entity;
    }

    private static PlanListing ToListing(TableEntity entity) => new(
        entity.GetString("Week"),
        LocalDate.FromDateOnly(DateOnly.ParseExact(entity.GetString("WeekStart"), "yyyy-MM-dd", CultureInfo.InvariantCulture)),
        Enum.Parse<Phase>(entity.GetString("Phase")),
        entity.GetInt32("BlockWeek") ?? 0,
        entity.GetInt64("ProfileVersion") ?? 0,
        entity.GetString("GeneratorVersion") ?? "",
        entity.GetDateTimeOffset("GeneratedAt") ?? DateTimeOffset.UnixEpoch,
        entity.GetInt32("RunMinutes") ?? 0,
        entity.GetInt32("StrengthSessions") ?? 0,
        entity.GetInt32("HardRunSessions") ?? 0,
        entity.GetInt32("SessionCount") ?? 0);
}

/// <summary>Deleting every row a filter finds, in batches per partition.</summary>
internal static class Rows
{
    private static readonly string[] KeysOnly = ["PartitionKey", "RowKey"];

    public static async Task<int> DeleteAllAsync(TableClient table, string filter, StorageOptions options, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: KeysOnly, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
        }

        foreach (var batch in TableLimits.Batches(actions))
        {
            try
            {
                await Transactions.SubmitAsync(table, batch, options, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // A retried batch whose first attempt was applied, or a row deleted meanwhile:
                // delete one by one, where a missing row is not an error.
                foreach (var action in batch)
                {
                    await table.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return actions.Count;
    }
}
