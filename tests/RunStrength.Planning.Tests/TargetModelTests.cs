using RunStrength.Planning.Profiles;
using RunStrength.Planning.Targets;

namespace RunStrength.Planning.Tests;

public sealed class TargetModelTests
{
    // Daniels' Running Formula, table of race times by VDOT: VDOT 40 runs 5 km in 24:08,
    // 10 km in 50:03, the half in 1:50:59 and the marathon in 3:49:45.
    [Theory]
    [InlineData(5.0, "00:24:08")]
    [InlineData(10.0, "00:50:03")]
    [InlineData(21.0975, "01:50:59")]
    [InlineData(42.195, "03:49:45")]
    public void Z1VdotOfThePublishedRaceTimesIsForty(double km, string time)
    {
        Assert.InRange(VdotModel.FromRace(km, TimeSpan.Parse(time, System.Globalization.CultureInfo.InvariantCulture)), 39.6, 40.4);
    }

    [Fact]
    public void Z1PaceZonesForA50Minute10KAreWithinThreePercentOfTheVdotTable()
    {
        // VDOT 40 in Daniels' training-pace table: marathon 5:27/km (3:49:45 over 42.195 km),
        // threshold 5:06/km, interval 4:42/km (1:53 per 400 m).
        var zones = RunZones.For(VdotModel.FromRace(10, TimeSpan.FromMinutes(50)), null, null, age: 40);

        AssertWithin(327, Middle(zones.Pace(RunZone.Steady)!.Value), 0.03);
        AssertWithin(306, Middle(zones.Pace(RunZone.Threshold)!.Value), 0.03);
        AssertWithin(282, Middle(zones.Pace(RunZone.Interval)!.Value), 0.03);
        var easy = zones.Pace(RunZone.Easy)!.Value;
        Assert.True(easy.Min > zones.Pace(RunZone.Steady)!.Value.Max, "easy is slower than steady");
        Assert.True(zones.Pace(RunZone.Repetition)!.Value.Max < zones.Pace(RunZone.Interval)!.Value.Min, "repetition is faster than interval");
        Assert.Null(zones.Pace(RunZone.Sprint));
    }

    [Fact]
    public void Z1AThresholdPaceGivesTheSameZonesAsTheRaceItComesFrom()
    {
        var fromRace = RunZones.For(VdotModel.FromRace(10, TimeSpan.FromMinutes(50)), null, null, 40);
        var fromThreshold = RunZones.For(VdotModel.FromThresholdPace(306), null, null, 40);

        AssertWithin(Middle(fromRace.Pace(RunZone.Easy)!.Value), Middle(fromThreshold.Pace(RunZone.Easy)!.Value), 0.02);
    }

    [Fact]
    public void Z1RiegelScalesARaceByDistanceToThePower106()
    {
        var half = VdotModel.Riegel(10, TimeSpan.FromMinutes(50), 21.0975);

        Assert.Equal(110.5, half.TotalMinutes, 0.5);
    }

    [Fact]
    public void Z2HeartRateZonesFollowKarvonenWithARestingRate()
    {
        var zones = RunZones.For(null, maxHeartRate: 190, restingHeartRate: 50, age: 40);

        // Easy is 60-70% of the 140 bpm reserve above 50: 134-148.
        Assert.Equal(new Band(134, 148), zones.HeartRate(RunZone.Easy));
        Assert.Equal(new Band(176, 190), zones.HeartRate(RunZone.Interval));
        Assert.False(zones.HeartRateEstimated);
        Assert.Null(zones.HeartRate(RunZone.Sprint));
        Assert.Null(zones.Pace(RunZone.Easy));
    }

    [Fact]
    public void Z2WithoutAMeasuredMaxTanakaEstimatesItAndSaysSo()
    {
        var zones = RunZones.For(null, null, null, age: 60);

        Assert.Equal(166, HeartRateModel.TanakaMax(60));
        Assert.True(zones.HeartRateEstimated);
        Assert.Equal(new Band(108, 131), zones.HeartRate(RunZone.Easy));
    }

    [Fact]
    public void L1OneRepMaxCountsRepsInReserve()
    {
        Assert.Equal(88.0, Loads.OneRepMax(60, 12, 2), 3);
        Assert.Equal(80.0, Loads.OneRepMax(60, 10, 0), 3);
        Assert.Equal(66.0, Loads.LoadFor(88, 8, 2), 3);
    }

    [Fact]
    public void L2ThreeByTwelveAtSixtyKgRir2AddsLoadInPlateSteps()
    {
        var next = Loads.NextLoad(60, Loads.OneRepMax(60, 12, 2), repsMin: 8, targetRir: 2, Equipment.Gym, Units.Metric);

        Assert.Equal(62.5, next);
        Assert.Equal(0, next % 2.5, 9);
    }

    [Theory]
    [InlineData(Equipment.Gym, Units.Metric, 2.5)]
    [InlineData(Equipment.Dumbbells, Units.Metric, 1.0)]
    [InlineData(Equipment.Kettlebell, Units.Metric, 1.0)]
    [InlineData(Equipment.Gym, Units.Imperial, 5 * Loads.KgPerLb)]
    [InlineData(Equipment.Dumbbells, Units.Imperial, 2 * Loads.KgPerLb)]
    public void L3LoadsRoundToWhatCanBeLoaded(Equipment equipment, Units units, double step)
    {
        Assert.Equal(step, Loads.StepKg(equipment, units), 9);
        var rounded = Loads.RoundDown(23.7, equipment, units);
        Assert.Equal(0, Math.Round(rounded / step, 9) % 1, 9);
        Assert.InRange(rounded, 23.7 - step, 23.7);
    }

    [Fact]
    public void L3ImperialProgressionStaysOnTheFivePoundGrid()
    {
        var last = 135 * Loads.KgPerLb;
        var next = Loads.NextLoad(last, Loads.OneRepMax(last, 12, 2), 8, 2, Equipment.Gym, Units.Imperial);

        Assert.Equal("140 lb", Loads.Text(next, Units.Imperial));
        Assert.Equal("62.5 kg", Loads.Text(62.5, Units.Metric));
    }

    private static double Middle(Band band) => (band.Min + band.Max) / 2.0;

    private static void AssertWithin(double expected, double actual, double fraction) =>
        Assert.True(Math.Abs(actual - expected) <= expected * fraction, $"{actual} is not within {fraction:P0} of {expected}");
}
