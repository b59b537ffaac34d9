namespace RunStrength.Planning.Profiles;

/// <summary>The bounds a profile is validated against, named in one place.</summary>
public static class ProfileLimits
{
    public const int MinAvailableDays = 2;
    public const int MaxAvailableDays = 7;
    public const int MinSessionMinutes = 20;
    public const int MaxSessionMinutes = 180;
    public const int MinWeeklyRunMinutes = 0;

    /// <summary>Twenty hours a week: beyond that the plan is no longer for this product's users.</summary>
    public const int MaxWeeklyRunMinutes = 1200;

    /// <summary>Someone who says they do not run yet but runs more than this is not a non-runner.</summary>
    public const int NonRunnerMaxWeeklyRunMinutes = 60;

    public const int MinAge = 13;
    public const int MaxAge = 100;
    public const int MaxListItems = 10;

    /// <summary>Enough to rule out a whole movement pattern in every equipment, with room to spare.</summary>
    public const int MaxExcludedExercises = 40;

    public const int MaxUnavailableDates = 60;

    /// <summary>How far ahead a race or a day off may be set: a year and a day.</summary>
    public const int MaxDaysAhead = 366;

    public const double MinRaceKm = 3;
    public const double MaxRaceKm = 100;
    public const double MinRecentRaceKm = 1;
    public const int MaxRaceNameLength = 80;

    /// <summary>Paces outside 2:00–15:00 per km are not a race or a threshold this product can plan from.</summary>
    public const int MinPaceSecPerKm = 120;
    public const int MaxPaceSecPerKm = 900;

    public const int MinMaxHeartRate = 100;
    public const int MaxMaxHeartRate = 230;
    public const int MinRestingHeartRate = 25;
    public const int MaxRestingHeartRate = 120;
}
