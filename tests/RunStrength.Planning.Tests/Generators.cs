using FsCheck;
using FsCheck.Fluent;
using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Tests;

/// <summary>FsCheck arbitraries: any valid profile, and a seed for a random logging user.</summary>
public static class Generators
{
    private static readonly string[] Zones = ["Europe/Amsterdam", "America/New_York", "Australia/Sydney", "Pacific/Honolulu", "Asia/Kolkata", "America/Santiago"];

    public static Arbitrary<Profile> Profile() => Arb.From(ProfileGen());

    public static Gen<Profile> ProfileGen() =>
        from goal in Gen.Elements(Enum.GetValues<Goal>())
        from running in Gen.Elements(Enum.GetValues<Experience>())
        from strength in Gen.Elements(Enum.GetValues<Experience>())
        from dayMask in Gen.Choose(0, 127).Where(m => System.Numerics.BitOperations.PopCount((uint)m) >= 2)
        from longRunPick in Gen.Choose(-1, 6)
        from maxMinutes in Gen.Choose(ProfileLimits.MinSessionMinutes, 150)
        from weekly in running == Experience.None ? Gen.Choose(0, 60) : Gen.Choose(0, 600)
        from equipmentMask in Gen.Choose(1, 15)
        from terrainMask in Gen.Choose(1, 31)
        from birthYear in Gen.Choose(1940, 2010)
        from zone in Gen.Elements(Zones)
        let days = Enumerable.Range(0, 7).Where(d => (dayMask & (1 << d)) != 0).Select(d => (IsoDayOfWeek)(d + 1)).ToArray()
        select new Profile
        {
            Goal = goal,
            RunningExperience = running,
            StrengthExperience = strength,
            AvailableDays = days,
            LongRunDay = longRunPick < 0 ? null : days[longRunPick % days.Length],
            MaxSessionMinutes = maxMinutes,
            WeeklyRunMinutes = weekly,
            Equipment = Enum.GetValues<Equipment>().Where(e => (equipmentMask & (1 << (int)e)) != 0).ToArray(),
            Terrain = Enum.GetValues<Terrain>().Where(t => (terrainMask & (1 << (int)t)) != 0).ToArray(),
            BirthYear = birthYear,
            TimeZone = zone,
        };

    /// <summary>A profile in one line, lists spelled out, for property labels.</summary>
    public static string Describe(Profile profile) =>
        $"{profile.Goal} run {profile.RunningExperience} {profile.WeeklyRunMinutes} min lift {profile.StrengthExperience} days {string.Join(",", profile.AvailableDays)} long {profile.LongRunDay} max {profile.MaxSessionMinutes} eq {string.Join(",", profile.Equipment)} terrain {string.Join(",", profile.Terrain)} born {profile.BirthYear} excluded {string.Join(",", profile.ExcludedExercises)}";
}
