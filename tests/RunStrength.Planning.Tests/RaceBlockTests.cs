using RunStrength.Planning.Generation;
using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Tests;

public sealed class RaceBlockTests
{
    private static readonly RaceGoal Half = new(new LocalDate(2027, 3, 7), 21.0975, "City half"); // a Sunday of 2027-W09

    [Fact]
    public void RC1AHalfTwelveWeeksOutGoesBaseBuildPeakTaperRaceThenRecovery()
    {
        var week = IsoWeek.Containing(Half.Date);
        var byWeeksOut = Enumerable.Range(-1, 14).ToDictionary(n => n, n => RaceBlock.For(Half, Shift(week, -n)));

        Assert.Equal(RacePhase.Race, byWeeksOut[0].Phase);
        Assert.Equal((RacePhase.Taper, 2), (byWeeksOut[1].Phase, byWeeksOut[1].TaperWeek));
        Assert.Equal((RacePhase.Taper, 1), (byWeeksOut[2].Phase, byWeeksOut[2].TaperWeek));
        Assert.Equal([RacePhase.Peak, RacePhase.Peak, RacePhase.Peak], new[] { 3, 4, 5 }.Select(n => byWeeksOut[n].Phase));
        Assert.Equal(RacePhase.Build, byWeeksOut[6].Phase);
        Assert.Equal(RacePhase.Build, byWeeksOut[11].Phase);
        Assert.Equal(RacePhase.Base, byWeeksOut[12].Phase);
        Assert.Equal(RacePhase.Recovery, byWeeksOut[-1].Phase);
        Assert.Equal(RacePhase.None, RaceBlock.For(Half, Shift(week, 2)).Phase);
        Assert.Equal(RacePhase.None, RaceBlock.For(null, week).Phase);
        Assert.All(new[] { 1, 2 }, n => Assert.InRange(byWeeksOut[n].RunVolumeShare, 0.5, 0.75));
    }

    [Theory]
    [InlineData(5.0, 1)]
    [InlineData(10.0, 1)]
    [InlineData(21.0975, 2)]
    [InlineData(42.195, 3)]
    [InlineData(100.0, 3)]
    public void RC2TaperLengthFollowsTheDistance(double km, int weeks) =>
        Assert.Equal(weeks, RaceBlock.TaperWeeksFor(km));

    private static IsoWeek Shift(IsoWeek week, int weeks) => IsoWeek.Containing(week.Monday.PlusWeeks(weeks));
}
