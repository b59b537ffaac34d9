using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Tests;

/// <summary>Test data: a sensible profile, changed one field at a time.</summary>
public sealed class ProfileBuilder
{
    private Profile _profile = new()
    {
        Goal = Profiles.Goal.Balanced,
        RunningExperience = Experience.Intermediate,
        StrengthExperience = Experience.Intermediate,
        AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday],
        LongRunDay = IsoDayOfWeek.Saturday,
        MaxSessionMinutes = 60,
        WeeklyRunMinutes = 120,
        Equipment = [Profiles.Equipment.Gym],
        Terrain = [Profiles.Terrain.Hills, Profiles.Terrain.Flat],
        BirthYear = 1990,
        TimeZone = "Europe/Amsterdam",
    };

    public ProfileBuilder ForGoal(Goal goal) => With(p => p with { Goal = goal });
    public ProfileBuilder Running(Experience level, int weeklyMinutes) => With(p => p with { RunningExperience = level, WeeklyRunMinutes = weeklyMinutes });
    public ProfileBuilder Strength(Experience level) => With(p => p with { StrengthExperience = level });
    public ProfileBuilder Days(params IsoDayOfWeek[] days) => With(p => p with { AvailableDays = days.Order().ToArray(), LongRunDay = days.Contains(p.LongRunDay ?? IsoDayOfWeek.None) ? p.LongRunDay : null });
    public ProfileBuilder LongRun(IsoDayOfWeek? day) => With(p => p with { LongRunDay = day });
    public ProfileBuilder MaxMinutes(int minutes) => With(p => p with { MaxSessionMinutes = minutes });
    public ProfileBuilder WithEquipment(params Equipment[] equipment) => With(p => p with { Equipment = equipment });
    public ProfileBuilder OnTerrain(params Terrain[] terrain) => With(p => p with { Terrain = terrain });
    public ProfileBuilder BornIn(int year) => With(p => p with { BirthYear = year });

    public Profile Build() => _profile;

    private ProfileBuilder With(Func<Profile, Profile> change)
    {
        _profile = change(_profile);
        return this;
    }
}
