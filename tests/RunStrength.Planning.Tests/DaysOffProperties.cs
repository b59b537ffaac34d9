using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Simulation;

namespace RunStrength.Planning.Tests;

/// <summary>D1: no session on a day off; the week is laid out on the days that remain and counts as reduced, not missed.</summary>
[Properties(Replay = PropertySeed.Replay)]
public sealed class DaysOffProperties
{
    private const int Weeks = 12;

    public static Arbitrary<(Profile, LogMode)> ProfileWithDaysOff() => Arb.From(
        from profile in Generators.ProfileGen()
        from offsets in Gen.Choose(0, Weeks * 7 - 1).ListOf().Select(l => l.Distinct().Take(ProfileLimits.MaxUnavailableDates).ToArray())
        from mode in Gen.Elements(Enum.GetValues<LogMode>())
        select (profile with { UnavailableDates = offsets.Select(o => Simulation.FirstWeek.Monday.PlusDays(o)).Order().ToArray() }, mode));

    [Property(MaxTest = 1000, Arbitrary = [typeof(DaysOffProperties)])]
    public Property D1NoSessionIsEverPlannedOnADayOff((Profile Profile, LogMode Mode) input)
    {
        var off = input.Profile.UnavailableDates.ToHashSet();
        foreach (var plan in Simulation.Run(input.Profile, Weeks, Simulation.Logger(input.Mode)))
        {
            if (plan.Sessions.FirstOrDefault(s => s.Kind != SessionKind.Rest && off.Contains(s.Date)) is { } session)
            {
                return false.Label($"{plan.Week}: {session.Title} on {session.Date}, a day off");
            }
        }

        return true.ToProperty();
    }

    [Fact]
    public void D1AWeekWithDaysOffIsLaidOutOnTheRemainingDaysAndTheNextWeekStillProgresses()
    {
        var profile = new ProfileBuilder().Build() with { Goal = Goal.Endurance };
        var plain = Simulation.Run(profile, 3);
        var week2 = Simulation.FirstWeek.Next();
        var busyDays = plain[1].Sessions.Where(s => s.Kind != SessionKind.Rest).Select(s => s.Date).Distinct().Take(2).ToArray();
        var away = Simulation.Run(profile with { UnavailableDates = busyDays }, 3);

        Assert.Equal(week2.ToString(), away[1].Week);
        Assert.DoesNotContain(away[1].Sessions, s => busyDays.Contains(s.Date) && s.Kind != SessionKind.Rest);
        Assert.All(away[1].Sessions, s => Assert.DoesNotContain(s.Date, busyDays));
        Assert.True(away[1].Summary.RunMinutes >= plain[1].Summary.RunMinutes * 0.6,
            $"the running moves to the days that remain rather than vanishing: {away[1].Summary.RunMinutes} of {plain[1].Summary.RunMinutes} min");
        Assert.Contains("D1", away[1].AdjustmentReason, StringComparison.Ordinal);
        Assert.Equal(Adjustment.Progress, away[2].Adjustment);
        // The reduced week holds the R1 reference: the week after it resumes at week 2's level.
        Assert.Equal(plain[1].Summary.RunMinutes, away[2].Summary.RunMinutes);
    }

    [Fact]
    public void D1AWholeWeekAwayPlansNothingAndTheWeekAfterIsNotAReentry()
    {
        var profile = new ProfileBuilder().Build();
        var week2 = Simulation.FirstWeek.Next();
        var away = Simulation.Run(profile with { UnavailableDates = Enumerable.Range(0, 7).Select(d => week2.Monday.PlusDays(d)).ToArray() }, 3, Simulation.Logger(LogMode.Done));

        Assert.DoesNotContain(away[1].Sessions, s => s.Kind != SessionKind.Rest);
        Assert.NotEqual(Adjustment.Reentry, away[2].Adjustment);
        Assert.NotEqual(Adjustment.Reduce, away[2].Adjustment);
    }
}
