using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Tests;

/// <summary>
/// Invariants that must hold for every valid profile over 12 simulated weeks of random logging.
/// Each property runs 1,000 generated cases.
/// </summary>
[Properties(Replay = PropertySeed.Replay)]
public sealed class PlanInvariantProperties
{
    private const int Weeks = 12;
    private const int Cases = 1000;

    private static IReadOnlyList<WeekPlan> History(Profile profile, int seed) =>
        Simulation.Run(profile, Weeks, Simulation.RandomLogger(seed));

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public bool SessionsOnlyOnAvailableDays(Profile profile, int seed) =>
        History(profile, seed).SelectMany(p => p.Sessions).All(s => profile.AvailableDays.Contains(s.Day));

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public bool NoSessionLongerThanMaxSessionMinutes(Profile profile, int seed) =>
        History(profile, seed).SelectMany(p => p.Sessions).All(s => s.DurationMinutes <= profile.MaxSessionMinutes);

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property WeeklyRunTimeNeverRisesMoreThanR1Allows(Profile profile, int seed)
    {
        var plans = History(profile, seed);
        var lastBuild = plans[0].Summary.RunMinutes;
        for (var i = 1; i < plans.Count; i++)
        {
            var allowed = (int)Math.Floor(lastBuild * (1 + TrainingRules.R1WeeklyRunGrowth));
            if (plans[i].Summary.RunMinutes > allowed)
            {
                return false.Label($"week {i + 1}: {plans[i].Summary.RunMinutes} min after a build week of {lastBuild}");
            }

            if (plans[i].Phase == Phase.Build)
            {
                lastBuild = plans[i].Summary.RunMinutes;
            }
        }

        var continuousStart = RunVolume.StartingRunWalkStage(profile) == 0;
        return (!continuousStart || plans[0].Summary.RunMinutes <= profile.WeeklyRunMinutes)
            .Label($"week 1: {plans[0].Summary.RunMinutes} min from {profile.WeeklyRunMinutes} now");
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property NoRunLongerThanR2Allows(Profile profile, int seed)
    {
        var plans = History(profile, seed);
        for (var i = 0; i < plans.Count; i++)
        {
            var window = plans.Skip(Math.Max(0, i - TrainingRules.R2WindowWeeks)).Take(Math.Min(i, TrainingRules.R2WindowWeeks)).Select(Longest).ToList();
            if (i < TrainingRules.R2WindowWeeks)
            {
                window.Add(PlanGenerator.InitialLongestRun(profile));
            }

            var allowed = (int)Math.Floor(window.Max() * TrainingRules.R2LongestRunSpike);
            if (Longest(plans[i]) > allowed)
            {
                return false.Label($"week {i + 1}: a {Longest(plans[i])} min run, allowed {allowed}");
            }
        }

        return true.ToProperty();
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public bool EveryWeekHasAFullRestDay(Profile profile, int seed) =>
        History(profile, seed).All(plan =>
            Enum.GetValues<IsoDayOfWeek>().Skip(1).Any(day => plan.Sessions.All(s => s.Day != day || s.Kind == SessionKind.Rest)));

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public bool BeginnersNeverGetHardSessionsOnConsecutiveDays(Profile profile, int seed)
    {
        if (!WeekContext.IsBeginner(profile))
        {
            return true;
        }

        return History(profile, seed).All(plan =>
        {
            var hardDays = plan.Sessions.Where(s => s.IsHard).Select(s => (int)s.Day).Distinct().Order().ToList();
            return hardDays.Zip(hardDays.Skip(1)).All(pair => pair.Second - pair.First > 1);
        });
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public bool HardRunsAndHeavyLegsNeverOnConsecutiveDaysInTheWrongOrder(Profile profile, int seed) =>
        History(profile, seed).All(plan =>
        {
            var legs = plan.Sessions.Where(s => s.IsHeavyLegs).Select(s => (int)s.Day).ToHashSet();
            var hard = plan.Sessions.Where(s => s.IsHardRun).Select(s => (int)s.Day).ToHashSet();
            var key = plan.Sessions.Where(s => s.IsHardRun || s.IsLongRun).Select(s => (int)s.Day).ToHashSet();
            return !hard.Any(d => legs.Contains(d + 1)) && !legs.Any(d => key.Contains(d + 1));
        });

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public bool EveryFourthWeekIsADeload(Profile profile, int seed) =>
        History(profile, seed).Select((plan, i) => (plan.Phase == Phase.Deload) == ((i + 1) % 4 == 0) && plan.BlockWeek == (i % 4) + 1).All(ok => ok);

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property SetsPerMuscleStayInsideT1RangeForTheGoal(Profile profile, int seed)
    {
        var (min, max) = TrainingRules.T1SetRange(profile.Goal, profile.StrengthExperience);
        var (deloadMin, deloadMax) = TrainingRules.T1DeloadSetRange(profile.Goal, profile.StrengthExperience);
        WeekPlan? previous = null;
        foreach (var plan in History(profile, seed))
        {
            // P1: a deload is no longer than last week, so a week limited by time limits it too.
            var limitedBefore = plan.Adjustment == Adjustment.Deload && previous?.Summary.VolumeLimitedByTime == true;
            previous = plan;
            var lighter = plan.Adjustment is Adjustment.Deload or Adjustment.Reentry;
            var (low, high) = lighter ? (deloadMin, deloadMax) : (min, max);
            var sets = plan.Summary.SetsByMuscle;
            if (sets.Values.Any(v => v > high))
            {
                return false.Label($"{plan.Week}: above {high}: {string.Join(", ", sets)}");
            }

            // P1 holds a deload to the minutes of the week before and marks the sessions it shortens.
            var heldByP1 = plan.Adjustment == Adjustment.Deload && plan.Sessions.Any(s => s.Kind == SessionKind.Strength && s.Rules.Contains("P1"));
            if (!plan.Summary.VolumeLimitedByTime && !heldByP1 && sets.Values.Any(v => v < low))
            {
                return false.Label($"{plan.Week}: below {low}: {string.Join(", ", sets)}");
            }

            // Only a week whose strength sessions are already full may fall short of the range, or
            // one whose days cannot hold a strength session at all under the hard constraints.
            // A strength day is full when the day's sessions together (W7) leave no room for a round.
            var fullest = plan.Sessions.Where(s => s.Kind == SessionKind.Strength)
                .Select(s => plan.Sessions.Where(o => o.Day == s.Day).Sum(o => o.DurationMinutes)).DefaultIfEmpty(0).Max();
            var roomForAnotherRound = profile.MaxSessionMinutes - fullest >= RoundMinutes(plan);
            if (plan.Summary.VolumeLimitedByTime && roomForAnotherRound && plan.Summary.StrengthSessions > 0 && !limitedBefore)
            {
                return false.Label($"{Generators.Describe(profile)}: {plan.Week}: flagged as limited by time with {fullest} of {profile.MaxSessionMinutes} min used");
            }
        }

        return true.ToProperty();
    }

    /// <summary>P1: a deload never has more strength minutes than the week before it.</summary>
    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public Property DeloadStrengthNeverAboveTheWeekBefore(Profile profile, int seed)
    {
        WeekPlan? previous = null;
        foreach (var plan in History(profile, seed))
        {
            if (plan.Adjustment == Adjustment.Deload && previous is { Summary.StrengthMinutes: > 0 }
                && plan.Summary.StrengthMinutes > previous.Summary.StrengthMinutes)
            {
                return false.Label($"{Generators.Describe(profile)}: {plan.Week}: deload strength {plan.Summary.StrengthMinutes} min after {previous.Summary.StrengthMinutes}");
            }

            previous = plan;
        }

        return true.ToProperty();
    }

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public bool EverySessionSaysWhyAndWhichRules(Profile profile, int seed) =>
        History(profile, seed).SelectMany(p => p.Sessions).All(s =>
            s.Why.Length > 20 && s.Rules.Count > 0 && s.Rules.All(RuleIds.Contains) && s.Rules.Any(r => s.Why.Contains(r, StringComparison.Ordinal) || r is "W2" or "W4"));

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public bool MostRunningIsEasy(Profile profile, int seed) =>
        History(profile, seed).All(p =>
            p.Summary.HardRunSessions <= TrainingRules.R3MaxHardRunSessions
            && p.Summary.HardRunMinutes <= Math.Max(1, p.Summary.RunMinutes * TrainingRules.R3MaxHardShare));

    [Property(MaxTest = Cases, Arbitrary = [typeof(Generators)])]
    public bool SameInputsGiveTheSamePlanByteForByte(Profile profile, int seed)
    {
        var first = JsonSerializer.Serialize(History(profile, seed));
        var second = JsonSerializer.Serialize(History(profile, seed));
        return first == second;
    }

    private static readonly HashSet<string> RuleIds =
    [
        "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "R1", "R2", "R3", "R4", "R5", "R6",
        "T1", "T2", "T3", "T4", "T5", "W1", "W2", "W3", "W4", "W5", "W6", "P1", "P2", "P3",
        "R7", "R8", "R9", "W7", "W8", "P4", "T6", "T7", "T8", "T9", "T10",
    ];

    /// <summary>T9 minutes of one more set of every lift of the week's longest strength session.</summary>
    private static int RoundMinutes(WeekPlan plan)
    {
        var session = plan.Sessions.Where(s => s.Kind == SessionKind.Strength).MaxBy(s => s.DurationMinutes);
        var seconds = session?.Exercises.Sum(e => (e.TargetReps * e.SecondsPerRep * (e.PerSide ? 2 : 1)) + e.RestSeconds) ?? 0;
        return (seconds + 59) / 60;
    }

    private static int Longest(WeekPlan plan) =>
        plan.Sessions.Where(s => s.Kind == SessionKind.Run).Select(s => s.DurationMinutes).DefaultIfEmpty(0).Max();
}
