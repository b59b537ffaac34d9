namespace RunStrength.Planning.Profiles;

public enum Goal { Muscle, Endurance, Balanced }

public enum Experience { None, Beginner, Intermediate, Advanced }

public enum Equipment { Gym, Dumbbells, Kettlebell, Bodyweight }

public enum Terrain { Hills, Flat, Stairs, Track, Trail }

public enum Units { Metric, Imperial }

/// <summary>A validated training profile. Build one with <see cref="ProfileValidator"/>.</summary>
public sealed record Profile
{
    public required Goal Goal { get; init; }
    public required Experience RunningExperience { get; init; }
    public required Experience StrengthExperience { get; init; }

    /// <summary>Available training days, distinct and in week order (Monday first).</summary>
    public required IReadOnlyList<IsoDayOfWeek> AvailableDays { get; init; }

    public IsoDayOfWeek? LongRunDay { get; init; }
    public required int MaxSessionMinutes { get; init; }

    /// <summary>What the person runs now, per week; the starting point for R1.</summary>
    public required int WeeklyRunMinutes { get; init; }

    public required IReadOnlyList<Equipment> Equipment { get; init; }
    public required IReadOnlyList<Terrain> Terrain { get; init; }
    public required int BirthYear { get; init; }
    public required string TimeZone { get; init; }
    public Units Units { get; init; } = Units.Metric;

    /// <summary>Exercise ids the person never wants prescribed (injury, dislike, no such machine), sorted.</summary>
    public IReadOnlyList<string> ExcludedExercises { get; init; } = [];

    /// <summary>A recent race result: the best source of pace zones (Z1).</summary>
    public RaceResult? RecentRace { get; init; }

    /// <summary>Pace the person can hold for about an hour, seconds per km (Z1, when no race is given).</summary>
    public int? ThresholdPaceSecPerKm { get; init; }

    public int? MaxHeartRate { get; init; }
    public int? RestingHeartRate { get; init; }

    /// <summary>The race the plan builds toward, if any.</summary>
    public RaceGoal? Race { get; init; }

    /// <summary>Dates with no training at all (travel, work), sorted.</summary>
    public IReadOnlyList<LocalDate> UnavailableDates { get; init; } = [];

    /// <summary>
    /// The profile with days off and a race that are now in the past dropped: what a merge patch
    /// starts from, so that a stored date that has aged is not reported as the client's mistake.
    /// </summary>
    public Profile WithoutPastDates(DateTimeOffset now)
    {
        var today = WeekClock.Today(now, TimeZone);
        return this with
        {
            UnavailableDates = UnavailableDates.Where(d => d >= today).ToArray(),
            Race = Race is { } race && race.Date < today ? null : Race,
        };
    }

    public bool Excludes(string exerciseId) => ExcludedExercises.Contains(exerciseId, StringComparer.Ordinal);

    public bool HasHillAccess => Terrain.Contains(Profiles.Terrain.Hills) || Terrain.Contains(Profiles.Terrain.Stairs);

    public int AgeIn(int year) => year - BirthYear;

    /// <summary>Value equality, lists compared item by item (a record alone compares list references).</summary>
    public bool Equals(Profile? other) =>
        other is not null
        && Goal == other.Goal
        && RunningExperience == other.RunningExperience
        && StrengthExperience == other.StrengthExperience
        && AvailableDays.SequenceEqual(other.AvailableDays)
        && LongRunDay == other.LongRunDay
        && MaxSessionMinutes == other.MaxSessionMinutes
        && WeeklyRunMinutes == other.WeeklyRunMinutes
        && Equipment.SequenceEqual(other.Equipment)
        && Terrain.SequenceEqual(other.Terrain)
        && BirthYear == other.BirthYear
        && string.Equals(TimeZone, other.TimeZone, StringComparison.Ordinal)
        && Units == other.Units
        && ExcludedExercises.SequenceEqual(other.ExcludedExercises, StringComparer.Ordinal)
        && Equals(RecentRace, other.RecentRace)
        && ThresholdPaceSecPerKm == other.ThresholdPaceSecPerKm
        && MaxHeartRate == other.MaxHeartRate
        && RestingHeartRate == other.RestingHeartRate
        && Equals(Race, other.Race)
        && UnavailableDates.SequenceEqual(other.UnavailableDates);

    public override int GetHashCode() =>
        HashCode.Combine(Goal, RunningExperience, StrengthExperience, AvailableDays.Count, LongRunDay, MaxSessionMinutes, WeeklyRunMinutes, HashCode.Combine(BirthYear, TimeZone, Units, ExcludedExercises.Count, Race, UnavailableDates.Count));
}
