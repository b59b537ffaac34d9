namespace RunStrength.Planning.Tests;

public sealed class WeekClockTests
{
    [Theory]
    [InlineData("2026-W49", 2026, 11, 30)]
    [InlineData("2026-W53", 2026, 12, 28)]
    [InlineData("2027-W01", 2027, 1, 4)]
    [InlineData("2020-W01", 2019, 12, 30)]
    public void IsoWeekStartsOnMonday(string text, int year, int month, int day)
    {
        var week = IsoWeek.Parse(text);

        Assert.Equal(new LocalDate(year, month, day), week.Monday);
        Assert.Equal(text, week.ToString());
        Assert.Equal(week, IsoWeek.Containing(week.Monday.PlusDays(6)));
    }

    [Theory]
    [InlineData("2026-W54")]
    [InlineData("2025-W53")]
    [InlineData("2026-W00")]
    [InlineData("2026W49")]
    [InlineData("2026-w49")]
    [InlineData("20260-W1")]
    [InlineData("")]
    [InlineData("9999-W01")]
    [InlineData("1899-W52")]
    public void InvalidIsoWeeksDoNotParse(string text) => Assert.False(IsoWeek.TryParse(text, out _));

    [Fact]
    public void EveryWeekThatParsesConstructsAndTheBoundsAreTheConstructors()
    {
        foreach (var text in new[] { "1900-W01", "2999-W52", "2026-W53" })
        {
            Assert.True(IsoWeek.TryParse(text, out var week), text);
            Assert.Equal(text, week.ToString());
        }

        Assert.Equal("2027-W01", IsoWeek.Parse("2026-W53").Next().ToString());

        Assert.Throws<ArgumentOutOfRangeException>(() => new IsoWeek(IsoWeek.MaxYear + 1, 1));
    }

    [Fact]
    public void WeekAfterTheLastOfTheYearIsWeekOne() =>
        Assert.Equal(IsoWeek.Parse("2027-W01"), IsoWeek.Parse("2026-W53").Next());

    [Theory]
    [InlineData("Australia/Sydney", "2026-11-29T13:00:00+00:00")]
    [InlineData("Pacific/Honolulu", "2026-11-30T10:00:00+00:00")]
    [InlineData("Europe/Amsterdam", "2026-11-29T23:00:00+00:00")]
    [InlineData("UTC", "2026-11-30T00:00:00+00:00")]
    public void WeekStartsAtLocalMondayMidnight(string zone, string expectedUtc)
    {
        var start = WeekClock.StartOf(IsoWeek.Parse("2026-W49"), zone);

        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), start);
    }

    [Fact]
    public void SameInstantIsADifferentWeekInSydneyAndHonolulu()
    {
        var sundayEveningUtc = new DateTimeOffset(2026, 11, 29, 20, 0, 0, TimeSpan.Zero);

        Assert.Equal(IsoWeek.Parse("2026-W49"), WeekClock.WeekContaining(sundayEveningUtc, "Australia/Sydney"));
        Assert.Equal(IsoWeek.Parse("2026-W48"), WeekClock.WeekContaining(sundayEveningUtc, "Pacific/Honolulu"));
    }

    [Fact]
    public void DayWhoseMidnightIsSkippedByDstStartsAtTheFirstValidInstant()
    {
        // Chile moves clocks from 00:00 to 01:00 on 2026-09-06: midnight does not exist that day.
        var start = WeekClock.StartOf(new LocalDate(2026, 9, 6), "America/Santiago");

        Assert.Equal(new DateTimeOffset(2026, 9, 6, 1, 0, 0, TimeSpan.FromHours(-3)), start);
    }
}
