using System.Globalization;
using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Targets;

/// <summary>Loads from logged sets (L1–L3 in docs/training-rules.md).</summary>
public static class Loads
{
    public const double KgPerLb = 0.45359237;

    /// <summary>
    /// Estimated one-rep max from a set, counting the reps left in reserve as reps that could have
    /// been done (Epley on reps + RIR).
    /// </summary>
    public static double OneRepMax(double loadKg, int reps, int rir) => loadKg * (1 + (reps + Math.Max(0, rir)) / 30.0);

    /// <summary>The load that leaves <paramref name="rir"/> in reserve after <paramref name="reps"/>, from a one-rep max.</summary>
    public static double LoadFor(double oneRepMaxKg, int reps, int rir) => oneRepMaxKg / (1 + (reps + Math.Max(0, rir)) / 30.0);

    /// <summary>The smallest load change the equipment allows: 2.5 kg or 5 lb for barbells and machines, 1 kg or 2 lb for dumbbells and kettlebells.</summary>
    public static double StepKg(Equipment equipment, Units units) => (equipment, units) switch
    {
        (Equipment.Gym, Units.Imperial) => 5 * KgPerLb,
        (Equipment.Gym, _) => 2.5,
        (_, Units.Imperial) => 2 * KgPerLb,
        _ => 1.0,
    };

    /// <summary>Rounds down to a load that can be put on the bar or picked from the rack, never below one step.</summary>
    public static double RoundDown(double kg, Equipment equipment, Units units)
    {
        var step = StepKg(equipment, units);
        return Math.Max(step, Math.Floor((kg + 1e-9) / step) * step);
    }

    /// <summary>
    /// Double progression with loads (T3): when every set reached the top of the range at the target
    /// RIR, add load, at least one step and at most 5%, never beyond what the one-rep max implies
    /// for the bottom of the range, and restart at the bottom. Otherwise the load holds.
    /// </summary>
    public static double NextLoad(double lastKg, double oneRepMaxKg, int repsMin, int targetRir, Equipment equipment, Units units)
    {
        var step = StepKg(equipment, units);
        var ceiling = Math.Min(LoadFor(oneRepMaxKg, repsMin, targetRir), lastKg * 1.05);
        var nextOnTheGrid = (Math.Floor((lastKg + 1e-9) / step) + 1) * step;
        return Math.Max(nextOnTheGrid, RoundDown(ceiling, equipment, units));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(long Grams, Units Units), string> Texts = new();

    private static readonly string[] CalibrationNotes = [.. Enumerable.Range(0, 6).Select(rir => rir == 0
        ? "First week: pick a load you can just complete every set with; log it, and the plan sets your load from then on."
        : $"First week: pick a load you could lift {rir} more time{(rir == 1 ? "" : "s")} at the end of each set; log it, and the plan sets your load from then on.")];

    /// <summary>L2: the calibration asked for before any load is logged, for a target RIR.</summary>
    public static string CalibrationNote(int rir) => CalibrationNotes[Math.Clamp(rir, 0, CalibrationNotes.Length - 1)];

    /// <summary><see cref="Text"/>, made once per load and unit: loads sit on a small grid, so a plan allocates no text.</summary>
    public static string CachedText(double kg, Units units) =>
        Texts.Count < 10_000
            ? Texts.GetOrAdd(((long)Math.Round(kg * 1000), units), static key => Text(key.Grams / 1000.0, key.Units))
            : Text(kg, units);

    /// <summary>The load in the person's units, as a gym-floor text: "62.5 kg", "140 lb".</summary>
    public static string Text(double kg, Units units) => units == Units.Imperial
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(kg / KgPerLb):0} lb")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Round(kg, 1):0.##} kg");
}
