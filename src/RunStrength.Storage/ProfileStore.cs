using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using RunStrength.Planning.Profiles;

namespace RunStrength.Storage;

/// <summary>A stored profile with its version (bumped on every change) and storage ETag.</summary>
/// <param name="Profile">The profile, or null when the stored row no longer validates (see <paramref name="Problem"/>).</param>
public sealed record StoredProfile(
    string UserId,
    UserKey Key,
    Profile? Profile,
    long Version,
    DateTimeOffset UpdatedAt,
    string ETag,
    string? Problem = null);

public interface IProfileStore
{
    Task<StoredProfile?> GetAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Creates version 1, or reports <see cref="WriteOutcome.Conflict"/> when a profile exists.</summary>
    Task<WriteResult> CreateAsync(string userId, Profile profile, CancellationToken cancellationToken = default);

    /// <summary>Replaces <paramref name="current"/> with version + 1, only if it is unchanged since read.</summary>
    Task<WriteResult> ReplaceAsync(StoredProfile current, Profile profile, CancellationToken cancellationToken = default);

    Task<WriteResult> DeleteAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Every profile of one shard, page by page (one partition, a range query).</summary>
    IAsyncEnumerable<StoredProfile> ListShardAsync(string shard, CancellationToken cancellationToken = default);
}

internal sealed class ProfileStore(Tables tables, TimeProvider clock) : IProfileStore
{
    public async Task<StoredProfile?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        var key = UserKey.For(userId);
        var table = await tables.GetAsync(Tables.Profiles, cancellationToken).ConfigureAwait(false);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(key.Shard, key.Value, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? ProfileRows.Read(response.Value!) : null;
    }

    public async Task<WriteResult> CreateAsync(string userId, Profile profile, CancellationToken cancellationToken = default)
    {
        var entity = ProfileRows.Write(userId, profile, version: 1, clock.GetUtcNow());
        TableLimits.Validate(entity);
        var table = await tables.GetAsync(Tables.Profiles, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return new WriteResult(WriteOutcome.Created, response.Headers.ETag?.ToString(), 1);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return new WriteResult(WriteOutcome.Conflict);
        }
    }

    public async Task<WriteResult> ReplaceAsync(StoredProfile current, Profile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        var entity = ProfileRows.Write(current.UserId, profile, current.Version + 1, clock.GetUtcNow());
        TableLimits.Validate(entity);
        var table = await tables.GetAsync(Tables.Profiles, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(entity, new ETag(current.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new WriteResult(WriteOutcome.Updated, response.Headers.ETag?.ToString(), current.Version + 1);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return new WriteResult(e.Status == 404 ? WriteOutcome.NotFound : WriteOutcome.Stale);
        }
    }

    public async Task<WriteResult> DeleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        var key = UserKey.For(userId);
        var table = await tables.GetAsync(Tables.Profiles, cancellationToken).ConfigureAwait(false);
        var response = await table.DeleteEntityAsync(key.Shard, key.Value, ETag.All, cancellationToken).ConfigureAwait(false);
        return new WriteResult(response.Status == 404 ? WriteOutcome.NotFound : WriteOutcome.Deleted);
    }

    public async IAsyncEnumerable<StoredProfile> ListShardAsync(string shard, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Profiles, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {shard}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return ProfileRows.Read(entity);
        }
    }
}

/// <summary>The profiles table's columns: one per profile field, so rows stay readable in a table browser.</summary>
internal static class ProfileRows
{
    public static TableEntity Write(string userId, Profile profile, long version, DateTimeOffset updatedAt)
    {
        var key = UserKey.For(userId);
        return new TableEntity(key.Shard, key.Value)
        {
            ["UserId"] = userId,
            ["Goal"] = WireNames.Of(profile.Goal),
            ["RunningExperience"] = WireNames.Of(profile.RunningExperience),
            ["StrengthExperience"] = WireNames.Of(profile.StrengthExperience),
            ["AvailableDays"] = string.Join(',', profile.AvailableDays.Select(WireNames.Of)),
            ["LongRunDay"] = profile.LongRunDay is { } day ? WireNames.Of(day) : null,
            ["MaxSessionMinutes"] = profile.MaxSessionMinutes,
            ["WeeklyRunMinutes"] = profile.WeeklyRunMinutes,
            ["Equipment"] = string.Join(',', profile.Equipment.Select(WireNames.Of)),
            ["Terrain"] = string.Join(',', profile.Terrain.Select(WireNames.Of)),
            ["BirthYear"] = profile.BirthYear,
            ["TimeZone"] = profile.TimeZone,
            ["Units"] = WireNames.Of(profile.Units),
            ["ExcludedExercises"] = string.Join(',', profile.ExcludedExercises),
            ["RecentRaceKm"] = profile.RecentRace?.DistanceKm,
            ["RecentRaceTime"] = profile.RecentRace is { } result ? ProfileText.Duration(result.Time) : null,
            ["RecentRaceDate"] = profile.RecentRace is { } ran ? ProfileText.Date(ran.Date) : null,
            ["ThresholdPaceSecPerKm"] = profile.ThresholdPaceSecPerKm,
            ["MaxHeartRate"] = profile.MaxHeartRate,
            ["RestingHeartRate"] = profile.RestingHeartRate,
            ["RaceKm"] = profile.Race?.DistanceKm,
            ["RaceDate"] = profile.Race is { } race ? ProfileText.Date(race.Date) : null,
            ["RaceName"] = profile.Race?.Name,
            ["UnavailableDates"] = string.Join(',', profile.UnavailableDates.Select(ProfileText.Date)),
            ["Version"] = version,
            ["UpdatedAt"] = updatedAt,
        };
    }

    public static StoredProfile Read(TableEntity entity)
    {
        var updatedAt = entity.GetDateTimeOffset("UpdatedAt") ?? entity.Timestamp ?? DateTimeOffset.UnixEpoch;
        var draft = new ProfileDraft
        {
            Goal = entity.GetString("Goal"),
            RunningExperience = entity.GetString("RunningExperience"),
            StrengthExperience = entity.GetString("StrengthExperience"),
            AvailableDays = List(entity.GetString("AvailableDays")),
            LongRunDay = entity.GetString("LongRunDay"),
            MaxSessionMinutes = entity.GetInt32("MaxSessionMinutes"),
            WeeklyRunMinutes = entity.GetInt32("WeeklyRunMinutes"),
            Equipment = List(entity.GetString("Equipment")),
            Terrain = List(entity.GetString("Terrain")),
            BirthYear = entity.GetInt32("BirthYear"),
            TimeZone = entity.GetString("TimeZone"),
            Units = entity.GetString("Units"),
            ExcludedExercises = List(entity.GetString("ExcludedExercises")),
            RecentRace = entity.GetDouble("RecentRaceKm") is { } recentKm
                ? new RaceDraft { DistanceKm = recentKm, Time = entity.GetString("RecentRaceTime"), Date = entity.GetString("RecentRaceDate") }
                : null,
            ThresholdPaceSecPerKm = entity.GetInt32("ThresholdPaceSecPerKm"),
            MaxHeartRate = entity.GetInt32("MaxHeartRate"),
            RestingHeartRate = entity.GetInt32("RestingHeartRate"),
            Race = entity.GetDouble("RaceKm") is { } raceKm
                ? new RaceDraft { DistanceKm = raceKm, Date = entity.GetString("RaceDate"), Name = entity.GetString("RaceName") }
                : null,
            UnavailableDates = List(entity.GetString("UnavailableDates")),
        };

        // The row was valid when written; validating against the year it was written keeps it valid.
        var validation = ProfileValidator.Validate(draft, updatedAt.Year);
        var problem = validation.IsValid ? null : string.Join("; ", validation.Errors.Select(e => $"{e.Key} {string.Join(" ", e.Value)}"));
        return new StoredProfile(
            entity.GetString("UserId") ?? "",
            new UserKey(entity.RowKey),
            validation.Profile,
            entity.GetInt64("Version") ?? 0,
            updatedAt,
            entity.ETag.ToString(),
            problem);
    }

    private static string?[]? List(string? value) => value?.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
