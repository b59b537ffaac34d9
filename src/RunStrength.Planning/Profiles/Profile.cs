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

    /// <summary>Exercise ids never to prescribe (see <c>ExerciseCatalog.IsAllowed</c>).</summary>
    public IReadOnlyList<string> ExcludedExercises { get; init; } = [];

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
        && ExcludedExercises.SequenceEqual(other.ExcludedExercises, StringComparer.Ordinal);

    public override int GetHashCode() =>
        HashCode.Combine(Goal, RunningExperience, StrengthExperience, AvailableDays.Count, LongRunDay, MaxSessionMinutes, WeeklyRunMinutes, HashCode.Combine(BirthYear, TimeZone, Units));
}
