using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Simulation;
using RunStrength.Planning.Targets;

namespace RunStrength.Planning.Tests;

/// <summary>RC1–RC4: a race goal wired into the generator, week by week.</summary>
[Properties(Replay = PropertySeed.Replay)]
public sealed class RaceGoalTests
{
    // Twelve weeks from 2026-W49 lead to race week 2027-W09; the race is its Sunday.
    private static readonly LocalDate HalfDate = Simulation.FirstWeek.Monday.PlusWeeks(12).PlusDays(6);

    private static Profile HalfRunner() => new ProfileBuilder()
        .ForGoal(Goal.Endurance)
        .Running(Experience.Intermediate, 180)
        .Strength(Experience.Beginner)
        .Days(IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday)
        .LongRun(IsoDayOfWeek.Sunday)
        .MaxMinutes(120)
        .Build() with
    {
        Race = new RaceGoal(HalfDate, 21.0975, "City half"),
        ThresholdPaceSecPerKm = 300,
    };

    private static IReadOnlyList<WeekPlan> HalfWeeks() => Simulation.Run(HalfRunner(), 14, Simulation.Logger(LogMode.Done));

    [Fact]
    public void RC1AHalfTwelveWeeksOutRunsBaseBuildPeakTaperRaceThenRecovery()
    {
        var phases = HalfWeeks().Select(w => w.Phase).ToList();

        Assert.Equal(Phase.Base, phases[0]);
        Assert.Equal([Phase.Peak, Phase.Peak, Phase.Peak], phases[7..10]);
        Assert.Equal([Phase.Taper, Phase.Taper, Phase.Race, Phase.Recovery], phases[10..14]);
        Assert.Contains(Phase.Build, phases[1..7]);
        Assert.Contains(Phase.Deload, phases[1..7]);
    }

    [Fact]
    public void RC2AHalfTapersTwoWeeksEachAtMostThreeQuartersOfThePeakAndKeepsItsHardSession()
    {
        var weeks = HalfWeeks();
        var peak = weeks.Where(w => w.Phase == Phase.Peak).ToList();
        var taper = weeks.Where(w => w.Phase == Phase.Taper).ToList();
        var peakMinutes = peak.Max(w => w.Summary.RunMinutes);

        Assert.Equal([weeks[10].Week, weeks[11].Week], taper.Select(w => w.Week));
        Assert.All(taper, w => Assert.True(w.Summary.RunMinutes <= 0.75 * peakMinutes, $"{w.Week}: {w.Summary.RunMinutes} min after a {peakMinutes} min peak"));
        Assert.All(taper, w => Assert.True(w.Summary.RunMinutes >= 0.5 * peakMinutes, $"{w.Week}: {w.Summary.RunMinutes} min is more than a 50% cut of {peakMinutes}"));
        Assert.All(taper, w => Assert.Equal(peak[^1].Summary.HardRunSessions, w.Summary.HardRunSessions));
        Assert.True(taper[1].Summary.RunMinutes < taper[0].Summary.RunMinutes);
    }

    [Fact]
    public void RC4RaceWeekHoldsTheRaceOnRaceDayWithItsPaceTarget()
    {
        var raceWeek = HalfWeeks()[12];
        var race = Assert.Single(raceWeek.Sessions, s => s.Type == "race");
        var zones = RunZones.Of(HalfRunner(), 2027);

        Assert.Equal(HalfDate, race.Date);
        Assert.Equal("Race: City half", race.Title);
        var main = race.Blocks.Single(b => b.Name == "main");
        Assert.Equal(RunZone.Tempo, main.Target!.Zone);
        Assert.Equal(zones.Pace(RunZone.Tempo), main.Target.PaceSecPerKm);
        Assert.InRange(main.Minutes!.Value, 21.0975 * zones.Pace(RunZone.Tempo)!.Value.Min / 60, 21.0975 * zones.Pace(RunZone.Tempo)!.Value.Max / 60 + 1);
        Assert.DoesNotContain(raceWeek.Sessions, s => s.Date > HalfDate && s.Kind != SessionKind.Rest);
    }

    [Fact]
    public void RC4NoHeavyLegsOrHardRunCloseToTheRace()
    {
        var sessions = HalfWeeks().SelectMany(w => w.Sessions).ToList();

        Assert.DoesNotContain(sessions, s => (s.IsHeavyLegs || s.Kind == SessionKind.Plyometrics) && s.Date >= HalfDate.PlusDays(-4) && s.Date <= HalfDate);
        Assert.DoesNotContain(sessions, s => s.IsHardRun && s.Date >= HalfDate.PlusDays(-2) && s.Date <= HalfDate);
    }

    [Fact]
    public void RC4StrengthDropsToOneOrTwoShortSessionsFromTheTaperToTheRecoveryWeek()
    {
        var weeks = HalfWeeks();
        var build = weeks.Where(w => w.Phase is Phase.Build or Phase.Peak).ToList();
        var maintenance = weeks.Where(w => w.Phase is Phase.Taper or Phase.Race or Phase.Recovery).ToList();
        var longestBuild = build.SelectMany(w => w.Sessions).Where(s => s.Kind == SessionKind.Strength).Max(s => s.DurationMinutes);

        Assert.All(maintenance, w => Assert.InRange(w.Summary.StrengthSessions, 1, 2));
        Assert.Equal(1, weeks[12].Summary.StrengthSessions);
        Assert.All(maintenance.SelectMany(w => w.Sessions).Where(s => s.Kind == SessionKind.Strength), s => Assert.True(s.DurationMinutes < longestBuild, $"{s.Date}: {s.DurationMinutes} min"));
    }

    [Fact]
    public void RC3TheLongRunBuildsTowardTheHalfWithinR2()
    {
        var weeks = HalfWeeks();
        var longRuns = weeks.Select(w => w.Sessions.Where(s => s.IsLongRun).Select(s => s.DurationMinutes).DefaultIfEmpty(0).Max()).ToList();
        var withoutRace = Simulation.Run(HalfRunner() with { Race = null }, 10, Simulation.Logger(LogMode.Done))
            .Select(w => w.Sessions.Where(s => s.IsLongRun).Select(s => s.DurationMinutes).DefaultIfEmpty(0).Max()).ToList();

        Assert.True(longRuns[9] > withoutRace[9], $"peak long run {longRuns[9]} min, {withoutRace[9]} min without a race");
        Assert.InRange(longRuns[7..10].Max(), 90, 110);
        for (var i = 1; i < 10; i++)
        {
            Assert.True(longRuns[i] <= Math.Floor(longRuns[..i].TakeLast(4).Max() * 1.1), $"week {i + 1}: {longRuns[i]} min");
        }
    }

    [Fact]
    public void RC4TheRecoveryWeekRunsEasyAtAboutHalfThePeak()
    {
        var weeks = HalfWeeks();
        var recovery = weeks[13];
        var peak = weeks.Where(w => w.Phase == Phase.Peak).Max(w => w.Summary.RunMinutes);

        Assert.Equal(Phase.Recovery, recovery.Phase);
        Assert.Equal(0, recovery.Summary.HardRunSessions);
        Assert.Equal(0, recovery.Summary.PlyometricsSessions);
        Assert.InRange(recovery.Summary.RunMinutes, 1, peak / 2);
    }

    [Fact]
    public void RC4MaintenanceHoldsLoadRepsAndVariantFromTheTaperToTheEndOfRecovery()
    {
        // Every set is logged at the top of its range at the target RIR, which adds load in a build week.
        var weeks = HalfWeeks();
        var loadsAdded = 0;
        for (var i = 1; i < weeks.Count; i++)
        {
            var before = weeks[i - 1].Sessions.SelectMany(s => s.Exercises).GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First());
            foreach (var exercise in weeks[i].Sessions.SelectMany(s => s.Exercises))
            {
                if (!before.TryGetValue(exercise.Id, out var last) || last.LoadKg is not { } lastKg || exercise.LoadKg is not { } kg)
                {
                    continue;
                }

                if (weeks[i].Phase is Phase.Taper or Phase.Race or Phase.Recovery)
                {
                    Assert.True(kg <= lastKg, $"{weeks[i].Week} {exercise.Id}: {kg} kg after {lastKg}");
                    Assert.True(exercise.TargetReps <= last.TargetReps, $"{weeks[i].Week} {exercise.Id}: {exercise.TargetReps} reps after {last.TargetReps}");
                }
                else
                {
                    loadsAdded += kg > lastKg ? 1 : 0;
                }
            }
        }

        Assert.True(loadsAdded > 0, "the build weeks add load, so the check above can fail");
        Assert.Contains(weeks, w => w.Phase == Phase.Taper && w.Sessions.Any(s => s.Exercises.Any(e => e.LoadKg is not null)));
    }

    [Fact]
    public void RC4ARaceOnADayOffIsNotPlanned()
    {
        var profile = HalfRunner() with { UnavailableDates = [HalfDate] };

        var weeks = Simulation.Run(profile, 13, Simulation.Logger(LogMode.Done));

        Assert.Equal(Phase.Race, weeks[12].Phase);
        Assert.DoesNotContain(weeks[12].Sessions, s => s.Date == HalfDate);
    }

    public static Arbitrary<(Profile, int, LogMode)> ProfileWithRace() => Arb.From(
        from profile in Generators.ProfileGen()
        from weeksOut in Gen.Choose(0, 16)
        from day in Gen.Choose(0, 6)
        from km in Gen.Elements(5.0, 10.0, 21.0975, 42.195, 30.0, 3.0, 100.0)
        from offsets in Gen.Choose(0, (18 * 7) - 1).ListOf().Select(l => l.Distinct().Take(ProfileLimits.MaxUnavailableDates).ToArray())
        from weeks in Gen.Choose(weeksOut + 1, 18)
        from mode in Gen.Elements(Enum.GetValues<LogMode>())
        select (profile with
        {
            Race = new RaceGoal(Simulation.FirstWeek.Monday.PlusWeeks(weeksOut).PlusDays(day), km, null),
            UnavailableDates = offsets.Select(o => Simulation.FirstWeek.Monday.PlusDays(o)).Order().ToArray(),
        }, weeks, mode));

    [Property(MaxTest = 500, Arbitrary = [typeof(RaceGoalTests)])]
    public Property RacesLandOnRaceDayNeverOnADayOffAndTapersStayBelowThePeak((Profile Profile, int Weeks, LogMode Mode) input)
    {
        var (profile, count, mode) = input;
        var race = profile.Race!;
        var off = profile.UnavailableDates.ToHashSet();
        var weeks = Simulation.Run(profile, count, Simulation.Logger(mode));
        var races = weeks.SelectMany(w => w.Sessions).Where(s => s.Type == "race").ToList();
        var label = $"{Generators.Describe(profile)}, race {race.DistanceKm} km on {race.Date}";

        if (weeks.SelectMany(w => w.Sessions).FirstOrDefault(s => s.Kind != SessionKind.Rest && off.Contains(s.Date)) is { } onDayOff)
        {
            return false.Label($"{label}: {onDayOff.Title} on {onDayOff.Date}, a day off");
        }

        if (off.Contains(race.Date) ? races.Count != 0 : races.Count != 1 || races[0].Date != race.Date)
        {
            return false.Label($"{label}: races on {string.Join(", ", races.Select(r => r.Date))}");
        }

        if (weeks.SelectMany(w => w.Sessions).FirstOrDefault(s => (s.IsHeavyLegs || s.Kind == SessionKind.Plyometrics) && s.Date >= race.Date.PlusDays(-4) && s.Date <= race.Date) is { } legs)
        {
            return false.Label($"{label}: {legs.Title} on {legs.Date}");
        }

        // The peak is the larger of the most the build planned in a week and R1's reference it
        // reached: a week cut short by days off (D1) or by the session budget (W7) holds the
        // reference without running it. The half marathon test holds the taper to 75% of it. A race
        // less than three weeks before the taper leaves no build to measure it against.
        var peak = 0;
        var built = 0;
        for (var i = 1; i < weeks.Count; i++)
        {
            var before = weeks[i - 1];
            peak = before.Phase is Phase.Base or Phase.Build or Phase.Peak or Phase.Deload
                ? Math.Max(peak, Math.Max(before.Summary.RunMinutes, before.Progress.BuildRunMinutes))
                : peak;
            built += before.Phase is Phase.Base or Phase.Build or Phase.Peak or Phase.Deload ? 1 : 0;
            if (weeks[i].Phase == Phase.Taper && built >= 3 && weeks[i].Summary.RunMinutes >= peak)
            {
                return false.Label($"{label}: taper {weeks[i].Week} runs {weeks[i].Summary.RunMinutes} min after a {peak} min peak");
            }
        }

        return true.ToProperty();
    }
}
