using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Generation;

/// <summary>Where a week sits in the run-up to a race (RC1–RC4 in docs/training-rules.md).</summary>
public enum RacePhase { None, Base, Build, Peak, Taper, Race, Recovery }

/// <summary>
/// The periodisation toward a race: base, build, peak, taper, race week, then a recovery week.
/// Pure: a function of the race and the week alone.
/// </summary>
public readonly record struct RaceBlock(RacePhase Phase, int WeeksToRace, int TaperWeek, int TaperWeeks)
{
    public static readonly RaceBlock None = new(RacePhase.None, -1, 0, 0);

    /// <summary>RC2: one taper week for 5–10 km, two for a half marathon, three for a marathon and beyond.</summary>
    public static int TaperWeeksFor(double distanceKm) => distanceKm switch
    {
        <= 15 => 1,
        <= 30 => 2,
        _ => 3,
    };

    /// <summary>RC3: what the long run builds toward for the distance, in minutes.</summary>
    public static int LongRunGoalMinutes(double distanceKm) => distanceKm switch
    {
        <= 5 => 60,
        <= 10 => 75,
        <= 21.1 => 110,
        <= 30 => 130,
        _ => 170,
    };

    /// <summary>
    /// RC2, RC4: the share of the peak week's run minutes a week keeps: taper weeks from the first to
    /// the last, race week less still (its race not counted), the recovery week half. Intensity (the
    /// hard sessions) is kept through the taper.
    /// </summary>
    public double RunVolumeShare => Phase switch
    {
        RacePhase.Taper => TaperWeeks switch
        {
            1 => 0.60,
            2 => TaperWeek == 1 ? 0.70 : 0.55,
            _ => TaperWeek switch { 1 => 0.75, 2 => 0.65, _ => 0.50 },
        },
        RacePhase.Race => 0.40,
        RacePhase.Recovery => 0.50,
        _ => 1.0,
    };

    /// <summary>RC2, RC4: taper, race and recovery weeks run less than the peak and hold R1's reference.</summary>
    public bool Unloading => Phase is RacePhase.Taper or RacePhase.Race or RacePhase.Recovery;

    /// <summary>RC3: base, build and peak weeks grow the long run toward the distance's need.</summary>
    public bool BuildsLongRun => Phase is RacePhase.Base or RacePhase.Build or RacePhase.Peak;

    /// <summary>RC4: strength drops to maintenance from the taper until the recovery week is over.</summary>
    public bool StrengthMaintenance => Unloading;

    /// <summary>RC1: P1's deload weeks belong to base and build; peak and taper have their own shape.</summary>
    public bool KeepsDeloads => Phase is RacePhase.None or RacePhase.Base or RacePhase.Build;

    /// <summary>RC4: at most this many strength sessions: two short ones in the taper and after the race, one in race week.</summary>
    public int MaxStrengthSessions => Phase switch
    {
        RacePhase.Race => 1,
        _ when StrengthMaintenance => 2,
        _ => int.MaxValue,
    };

    public static RaceBlock For(RaceGoal? race, IsoWeek week)
    {
        if (race is null)
        {
            return None;
        }

        var raceWeek = IsoWeek.Containing(race.Date);
        var weeksToRace = Period.Between(week.Monday, raceWeek.Monday, PeriodUnits.Weeks).Weeks;
        var taper = TaperWeeksFor(race.DistanceKm);
        return weeksToRace switch
        {
            -1 => new RaceBlock(RacePhase.Recovery, weeksToRace, 0, taper),
            < -1 => None,
            0 => new RaceBlock(RacePhase.Race, 0, 0, taper),
            _ when weeksToRace <= taper => new RaceBlock(RacePhase.Taper, weeksToRace, taper - weeksToRace + 1, taper),
            _ when weeksToRace <= taper + 3 => new RaceBlock(RacePhase.Peak, weeksToRace, 0, taper),
            _ when weeksToRace <= taper + 9 => new RaceBlock(RacePhase.Build, weeksToRace, 0, taper),
            _ => new RaceBlock(RacePhase.Base, weeksToRace, 0, taper),
        };
    }
}
