using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Simulation;

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
    public Property W7ADaysSessionsFitMaxSessionMinutes(Profile profile, LogMode mode)
    {
        foreach (var plan in History(profile, mode))
        {
            foreach (var day in plan.Sessions.GroupBy(s => s.Day))
            {
                var minutes = day.Sum(s => s.DurationMinutes);
                if (minutes > profile.MaxSessionMinutes)
                {
                    return false.Label($"{plan.Week} {day.Key}: {minutes} of {profile.MaxSessionMinutes} min");
                }
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property W8HeavyLegsNeverOnConsecutiveDays(Profile profile, LogMode mode) =>
        NeverOnConsecutiveDays(History(profile, mode), s => s.IsHeavyLegs, s => s.IsHeavyLegs);

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property R3HardRunsNeverOnConsecutiveDays(Profile profile, LogMode mode) =>
        NeverOnConsecutiveDays(History(profile, mode), s => s.IsHardRun, s => s.IsHardRun);

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property W1NoHardRunTheDayAfterHeavyLegs(Profile profile, LogMode mode) =>
        NeverOnConsecutiveDays(History(profile, mode), s => s.IsHeavyLegs, s => s.IsHardRun);

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property R7PlyometricsAtLeast48HoursApart(Profile profile, LogMode mode) =>
        NeverOnConsecutiveDays(History(profile, mode), s => s.Kind == SessionKind.Plyometrics, s => s.Kind == SessionKind.Plyometrics);

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property R7PlyometricsNeverAfterARunTheSameDay(Profile profile, LogMode mode)
    {
        foreach (var plan in History(profile, mode))
        {
            for (var i = 0; i < plan.Sessions.Count; i++)
            {
                var plyo = plan.Sessions[i];
                if (plyo.Kind == SessionKind.Plyometrics && plan.Sessions.Take(i).Any(s => s.Day == plyo.Day && s.Kind == SessionKind.Run))
                {
                    return false.Label($"{plan.Week} {plyo.Day}: plyometrics after a run");
                }
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property R8NoNearMaximalSprintsInTheFirstBlockForOlderNovices(Profile profile, LogMode mode)
    {
        var plans = History(profile, mode);
        if (profile.AgeIn(Simulation.FirstWeek.Year) < TrainingRules.W6OlderAge || !WeekContext.IsBeginner(profile))
        {
            return true.ToProperty();
        }

        var sprint = plans.Take(2 * TrainingRules.P1BlockWeeks).SelectMany(p => p.Sessions)
            .FirstOrDefault(s => s.Type == "hill-sprints" || s.Blocks.Any(b => b.Work?.Contains("near-maximal", StringComparison.Ordinal) == true));
        var hard = plans.Take(TrainingRules.P1BlockWeeks).FirstOrDefault(p => p.Summary.HardRunSessions > 0);
        return (sprint is null && hard is null).Label($"{sprint?.Date} {sprint?.Type}; hard run in {hard?.Week}");
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property P1DeloadKeepsFrequencyAndShortensEverySession(Profile profile, LogMode mode)
    {
        var plans = History(profile, mode);
        for (var i = 1; i < plans.Count; i++)
        {
            var (before, deload) = (plans[i - 1], plans[i]);
            if (deload.Phase != Phase.Deload || before.Adjustment == Adjustment.Reentry)
            {
                continue;
            }

            foreach (var group in before.Sessions.Where(s => s.Kind != SessionKind.Rest).GroupBy(Group))
            {
                var kept = deload.Sessions.Where(s => Group(s) == group.Key).ToList();
                if (kept.Count < group.Count())
                {
                    return false.Label($"{deload.Week}: {kept.Count} {group.Key} sessions after {group.Count()}");
                }

                if (kept.Max(s => s.DurationMinutes) > group.Max(s => s.DurationMinutes))
                {
                    return false.Label($"{deload.Week}: a {kept.Max(s => s.DurationMinutes)} min {group.Key} after {group.Max(s => s.DurationMinutes)}");
                }
            }

            var longBefore = before.Sessions.Where(s => s.IsLongRun).Select(s => s.DurationMinutes).DefaultIfEmpty(0).Max();
            var longAfter = deload.Sessions.Where(s => s.IsLongRun).Select(s => s.DurationMinutes).DefaultIfEmpty(0).Max();
            if (longBefore > 0 && longAfter >= longBefore)
            {
                return false.Label($"{deload.Week}: long run {longAfter} min after {longBefore}");
            }
        }

        return true.ToProperty();

        // Runs other than the long run are one group: R3 may turn a deload's hard run easy when its
        // share of the shorter week is too large, which keeps the run and its day.
        static string Group(Session s) => s.Kind switch
        {
            SessionKind.Run => s.IsLongRun ? "long run" : "run",
            _ => s.Kind.ToString(),
        };
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property P4UnloggedSessionsNeverCountAsMissed(Profile profile, bool runsUnlogged)
    {
        var plans = History(profile, runsUnlogged ? LogMode.RunsUnlogged : LogMode.Done);
        var bad = plans.FirstOrDefault(p => p.Adjustment is Adjustment.Hold or Adjustment.Reduce or Adjustment.Reentry);
        return (bad is null).Label($"{bad?.Week}: {bad?.Adjustment} after a week done as planned");
    }

    /// <summary>No <paramref name="first"/> session the day before a <paramref name="second"/> one, across week boundaries too.</summary>
    private static Property NeverOnConsecutiveDays(IReadOnlyList<WeekPlan> plans, Func<Session, bool> first, Func<Session, bool> second)
    {
        var firstDays = new HashSet<int>();
        var secondDays = new HashSet<int>();
        for (var week = 0; week < plans.Count; week++)
        {
            foreach (var session in plans[week].Sessions)
            {
                var day = (week * 7) + (int)session.Day;
                if (first(session))
                {
                    firstDays.Add(day);
                }

                if (second(session))
                {
                    secondDays.Add(day);
                }
            }
        }

        var clash = firstDays.Where(d => secondDays.Contains(d + 1)).Order().ToList();
        return (clash.Count == 0).Label($"week {(clash.FirstOrDefault() / 7) + 1}, day {clash.FirstOrDefault() % 7}: back to back");
    }
}
