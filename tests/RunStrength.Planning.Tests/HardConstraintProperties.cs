using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Tests;

/// <summary>
/// The hard safety constraints of docs/training-rules.md, checked for random profiles over 12
/// weeks under each of the five logging users (none, done, struggle, skip, runs-unlogged).
/// </summary>
public sealed class HardConstraintProperties
{
    private const int Weeks = 12;
    private const int Cases = 1000;

    private static IReadOnlyList<WeekPlan> History(Profile profile, LogMode mode) =>
        Simulation.Run(profile, Weeks, Simulation.Logger(mode));

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property P4UnloggedSessionsNeverCountAsMissed(Profile profile, bool runsUnlogged)
    {
        var plans = History(profile, runsUnlogged ? LogMode.RunsUnlogged : LogMode.Done);
        var bad = plans.FirstOrDefault(p => p.Adjustment is Adjustment.Hold or Adjustment.Reduce or Adjustment.Reentry);
        return (bad is null).Label($"{bad?.Week}: {bad?.Adjustment} after a week done as planned");
    }
}
