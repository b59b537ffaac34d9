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
}
