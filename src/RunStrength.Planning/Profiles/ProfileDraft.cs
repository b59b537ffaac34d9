namespace RunStrength.Planning.Profiles;

/// <summary>
/// A profile as a client sent it: every field optional and loosely typed, so that validation can
/// report every problem at once instead of stopping at the first.
/// </summary>
public sealed record ProfileDraft
{
    public string? Goal { get; init; }
    public string? RunningExperience { get; init; }
    public string? StrengthExperience { get; init; }
    public IReadOnlyList<string?>? AvailableDays { get; init; }
    public string? LongRunDay { get; init; }
    public int? MaxSessionMinutes { get; init; }
    public int? WeeklyRunMinutes { get; init; }
    public IReadOnlyList<string?>? Equipment { get; init; }
    public IReadOnlyList<string?>? Terrain { get; init; }
    public int? BirthYear { get; init; }
    public string? TimeZone { get; init; }
    public string? Units { get; init; }
    public IReadOnlyList<string?>? ExcludedExercises { get; init; }
    public RaceDraft? RecentRace { get; init; }
    public int? ThresholdPaceSecPerKm { get; init; }
    public int? MaxHeartRate { get; init; }
    public int? RestingHeartRate { get; init; }
    public RaceDraft? Race { get; init; }
    public IReadOnlyList<string?>? UnavailableDates { get; init; }

    /// <summary>The draft that round-trips a valid profile.</summary>
    public static ProfileDraft From(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new ProfileDraft
        {
            Goal = WireNames.Of(profile.Goal),
            RunningExperience = WireNames.Of(profile.RunningExperience),
            StrengthExperience = WireNames.Of(profile.StrengthExperience),
            AvailableDays = profile.AvailableDays.Select(d => (string?)WireNames.Of(d)).ToArray(),
            LongRunDay = profile.LongRunDay is { } day ? WireNames.Of(day) : null,
            MaxSessionMinutes = profile.MaxSessionMinutes,
            WeeklyRunMinutes = profile.WeeklyRunMinutes,
            Equipment = profile.Equipment.Select(e => (string?)WireNames.Of(e)).ToArray(),
            Terrain = profile.Terrain.Select(t => (string?)WireNames.Of(t)).ToArray(),
            BirthYear = profile.BirthYear,
            TimeZone = profile.TimeZone,
            Units = WireNames.Of(profile.Units),
            ExcludedExercises = profile.ExcludedExercises.Select(id => (string?)id).ToArray(),
            RecentRace = profile.RecentRace is { } result
                ? new RaceDraft { DistanceKm = result.DistanceKm, Time = ProfileText.Duration(result.Time), Date = ProfileText.Date(result.Date) }
                : null,
            ThresholdPaceSecPerKm = profile.ThresholdPaceSecPerKm,
            MaxHeartRate = profile.MaxHeartRate,
            RestingHeartRate = profile.RestingHeartRate,
            Race = profile.Race is { } race
                ? new RaceDraft { DistanceKm = race.DistanceKm, Date = ProfileText.Date(race.Date), Name = race.Name }
                : null,
            UnavailableDates = profile.UnavailableDates.Select(d => (string?)ProfileText.Date(d)).ToArray(),
        };
    }
}
