namespace RunStrength.Planning.Targets;

/// <summary>The effort zones a run block can ask for, easiest first (Z1–Z3 in docs/training-rules.md).</summary>
public enum RunZone { Easy, Steady, Tempo, Threshold, Interval, Repetition, Sprint }

/// <summary>An inclusive whole-number range, such as a pace in seconds per km or a heart rate in bpm.</summary>
public readonly record struct Band(int Min, int Max);

/// <summary>What a run block aims at: a zone, and a pace and heart rate when the person's numbers allow.</summary>
public sealed record RunTarget(RunZone Zone, Band? PaceSecPerKm, Band? HeartRateBpm);

/// <summary>
/// A person's pace and heart-rate zones (Z1, Z2), worked out once per plan from the best evidence the
/// profile holds: a recent race, else a threshold pace; a measured max heart rate, else Tanaka's.
/// </summary>
public sealed class RunZones
{
    public static readonly RunZones Unknown = new(null, null, null, false);

    private readonly Band?[] _pace;
    private readonly Band?[] _heartRate;
    private readonly RunTarget[] _targets;

    private RunZones(double? vdot, Band?[]? pace, Band?[]? heartRate, bool heartRateEstimated)
    {
        Vdot = vdot;
        _pace = pace ?? new Band?[Count];
        _heartRate = heartRate ?? new Band?[Count];
        HeartRateEstimated = heartRateEstimated;
        _targets = new RunTarget[Count];
        for (var i = 0; i < Count; i++)
        {
            _targets[i] = new RunTarget((RunZone)i, _pace[i], _heartRate[i]);
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int VdotTenths, int? Max, int? Resting, int Age), RunZones> Cache = new();

    /// <summary>
    /// A person's zones in a given year, from the best evidence the profile holds (Z1, Z2). Zones
    /// depend on a few small numbers, so they are made once per combination and shared.
    /// </summary>
    public static RunZones Of(Profiles.Profile profile, int year)
    {
        ArgumentNullException.ThrowIfNull(profile);
        double? vdot = profile.RecentRace is { } race ? VdotModel.FromRace(race.DistanceKm, race.Time)
            : profile.ThresholdPaceSecPerKm is { } threshold ? VdotModel.FromThresholdPace(threshold)
            : null;
        var key = (vdot is { } v ? (int)Math.Round(v * 10) : 0, profile.MaxHeartRate, profile.RestingHeartRate, profile.AgeIn(year));
        return Cache.Count < 100_000
            ? Cache.GetOrAdd(key, static k => For(k.VdotTenths > 0 ? k.VdotTenths / 10.0 : null, k.Max, k.Resting, k.Age))
            : For(key.Item1 > 0 ? key.Item1 / 10.0 : null, key.MaxHeartRate, key.RestingHeartRate, key.Item4);
    }

    private const int Count = 7;

    /// <summary>Daniels' VDOT behind the pace zones, when known.</summary>
    public double? Vdot { get; }

    /// <summary>True when the heart-rate zones rest on an age-predicted maximum (Tanaka), not a measured one.</summary>
    public bool HeartRateEstimated { get; }

    public Band? Pace(RunZone zone) => _pace[(int)zone];

    public Band? HeartRate(RunZone zone) => _heartRate[(int)zone];

    /// <summary>The block target for a zone; the same instance for every block of the zone.</summary>
    public RunTarget Target(RunZone zone) => _targets[(int)zone];

    /// <param name="vdot">From <see cref="VdotModel.FromRace"/> or <see cref="VdotModel.FromThresholdPace"/>; null when unknown.</param>
    /// <param name="maxHeartRate">Measured maximum; null to estimate it from age (Tanaka).</param>
    /// <param name="restingHeartRate">Measured resting rate; with it the zones follow Karvonen's reserve.</param>
    public static RunZones For(double? vdot, int? maxHeartRate, int? restingHeartRate, int age)
    {
        Band?[]? pace = null;
        if (vdot is { } v)
        {
            pace = new Band?[Count];
            foreach (var (zone, slow, fast) in PaceFractions)
            {
                // The slower bound is the lower fraction of VO2max.
                pace[(int)zone] = new Band(
                    (int)Math.Round(VdotModel.SecondsPerKm(v * fast)),
                    (int)Math.Round(VdotModel.SecondsPerKm(v * slow)));
            }
        }

        var estimated = maxHeartRate is null;
        var max = maxHeartRate ?? HeartRateModel.TanakaMax(age);
        var heartRate = new Band?[Count];
        foreach (var (zone, low, high) in restingHeartRate is null ? MaxFractions : ReserveFractions)
        {
            heartRate[(int)zone] = restingHeartRate is { } rest
                ? new Band(HeartRateModel.Karvonen(max, rest, low), HeartRateModel.Karvonen(max, rest, high))
                : new Band((int)Math.Round(max * low), (int)Math.Round(max * high));
        }

        return new RunZones(vdot, pace, heartRate, estimated);
    }

    // Fractions of VDOT (VO2max) per zone, after Daniels' Running Formula (3rd ed.): E 59-74%,
    // M 75-84%, T 83-88%, I 95-100%, R about 105-110%. Steady is marathon effort; tempo sits between
    // M and T. Sprints are near-maximal by effort and carry no pace.
    private static readonly (RunZone Zone, double Slow, double Fast)[] PaceFractions =
    [
        (RunZone.Easy, 0.62, 0.74),
        (RunZone.Steady, 0.75, 0.83),
        (RunZone.Tempo, 0.83, 0.86),
        (RunZone.Threshold, 0.86, 0.90),
        (RunZone.Interval, 0.95, 1.00),
        (RunZone.Repetition, 1.05, 1.10),
    ];

    // Karvonen: fractions of the heart-rate reserve. Repetitions and sprints are too short for heart
    // rate to mean anything, so they carry none.
    private static readonly (RunZone Zone, double Low, double High)[] ReserveFractions =
    [
        (RunZone.Easy, 0.60, 0.70),
        (RunZone.Steady, 0.70, 0.80),
        (RunZone.Tempo, 0.80, 0.85),
        (RunZone.Threshold, 0.85, 0.90),
        (RunZone.Interval, 0.90, 1.00),
    ];

    // Without a resting rate: fractions of the maximum, the ranges Daniels gives per intensity.
    private static readonly (RunZone Zone, double Low, double High)[] MaxFractions =
    [
        (RunZone.Easy, 0.65, 0.79),
        (RunZone.Steady, 0.80, 0.87),
        (RunZone.Tempo, 0.85, 0.88),
        (RunZone.Threshold, 0.88, 0.92),
        (RunZone.Interval, 0.95, 1.00),
    ];
}

/// <summary>Daniels and Gilbert's oxygen-cost and drop-dead equations (Z1).</summary>
public static class VdotModel
{
    /// <summary>VDOT from a race: the VO2 its speed costs, over the fraction of VO2max held for its duration.</summary>
    public static double FromRace(double distanceKm, TimeSpan time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(distanceKm);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(time, TimeSpan.Zero);
        var minutes = time.TotalMinutes;
        var velocity = distanceKm * 1000 / minutes;
        var fraction = 0.8 + 0.1894393 * Math.Exp(-0.012778 * minutes) + 0.2989558 * Math.Exp(-0.1932605 * minutes);
        return OxygenCost(velocity) / fraction;
    }

    /// <summary>VDOT from a threshold pace, held at about 88% of VO2max.</summary>
    public static double FromThresholdPace(int secondsPerKm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(secondsPerKm);
        return OxygenCost(60_000.0 / secondsPerKm) / 0.88;
    }

    /// <summary>The pace, in seconds per km, whose oxygen cost is <paramref name="vo2"/> ml/kg/min.</summary>
    public static double SecondsPerKm(double vo2)
    {
        // Solve 0.000104 v² + 0.182258 v − (4.60 + VO2) = 0 for the velocity v in m/min.
        const double a = 0.000104, b = 0.182258;
        var velocity = (-b + Math.Sqrt(b * b + 4 * a * (4.60 + vo2))) / (2 * a);
        return 60_000.0 / velocity;
    }

    /// <summary>Riegel's model, for a distance the VDOT table does not list: T2 = T1 · (D2/D1)^1.06.</summary>
    public static TimeSpan Riegel(double fromKm, TimeSpan fromTime, double toKm) =>
        TimeSpan.FromSeconds(fromTime.TotalSeconds * Math.Pow(toKm / fromKm, 1.06));

    private static double OxygenCost(double metresPerMinute) =>
        -4.60 + 0.182258 * metresPerMinute + 0.000104 * metresPerMinute * metresPerMinute;
}

/// <summary>Heart-rate maths (Z2).</summary>
public static class HeartRateModel
{
    /// <summary>Tanaka, Monahan and Seals (2001): HRmax = 208 − 0.7 × age.</summary>
    public static int TanakaMax(int age) => (int)Math.Round(208 - 0.7 * age);

    /// <summary>Karvonen: resting + fraction × (max − resting).</summary>
    public static int Karvonen(int max, int resting, double fraction) =>
        (int)Math.Round(resting + fraction * (max - resting));
}
