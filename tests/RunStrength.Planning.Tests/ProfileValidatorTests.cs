using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RunStrength.Planning.Profiles;

namespace RunStrength.Planning.Tests;

[Properties(Replay = PropertySeed.Replay)]
public sealed class ProfileValidatorTests
{
    private const int Year = 2026;

    private static ProfileDraft Valid() => ProfileDraft.From(new ProfileBuilder().Build());

    [Fact]
    public void ValidDraftGivesTheProfile()
    {
        var result = ProfileValidator.Validate(Valid(), Year);

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        Assert.Equal(new ProfileBuilder().Build().AvailableDays, result.Profile!.AvailableDays);
        Assert.Equal("Europe/Amsterdam", result.Profile.TimeZone);
    }

    [Fact]
    public void EveryErrorIsReportedAtOnceAndNamesItsField()
    {
        var draft = Valid() with
        {
            Goal = "bulk",
            AvailableDays = ["mon"],
            LongRunDay = "sun",
            MaxSessionMinutes = 5,
            WeeklyRunMinutes = -1,
            BirthYear = 1800,
            TimeZone = "Mars/Olympus",
            Units = "furlongs",
        };

        var result = ProfileValidator.Validate(draft, Year);

        Assert.False(result.IsValid);
        Assert.Null(result.Profile);
        Assert.Equal(
            ["availableDays", "birthYear", "goal", "longRunDay", "maxSessionMinutes", "timeZone", "units", "weeklyRunMinutes"],
            result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("muscle, endurance, balanced", result.Errors["goal"][0], StringComparison.Ordinal);
        Assert.Contains("between 2 and 7", result.Errors["availableDays"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("goal")]
    [InlineData("runningExperience")]
    [InlineData("strengthExperience")]
    [InlineData("availableDays")]
    [InlineData("maxSessionMinutes")]
    [InlineData("birthYear")]
    [InlineData("timeZone")]
    public void RequiredFieldMissingIsNamed(string field)
    {
        var draft = field switch
        {
            "goal" => Valid() with { Goal = null },
            "runningExperience" => Valid() with { RunningExperience = null },
            "strengthExperience" => Valid() with { StrengthExperience = null },
            "availableDays" => Valid() with { AvailableDays = null, LongRunDay = null },
            "maxSessionMinutes" => Valid() with { MaxSessionMinutes = null },
            "birthYear" => Valid() with { BirthYear = null },
            _ => Valid() with { TimeZone = null },
        };

        var result = ProfileValidator.Validate(draft, Year);

        Assert.Equal([field], result.Errors.Keys);
        Assert.Equal("is required.", result.Errors[field][0]);
    }

    [Theory]
    [InlineData(new[] { "mon", "mon" }, "availableDays[1]")]
    [InlineData(new[] { "mon", "funday" }, "availableDays[1]")]
    [InlineData(new[] { "Mon", "tue" }, "availableDays[0]")]
    public void BadDaysAreNamedByPosition(string[] days, string field)
    {
        var result = ProfileValidator.Validate(Valid() with { AvailableDays = days, LongRunDay = null }, Year);

        Assert.Contains(field, result.Errors.Keys);
    }

    [Fact]
    public void LongRunDayMustBeAnAvailableDay()
    {
        var result = ProfileValidator.Validate(Valid() with { AvailableDays = ["mon", "wed"], LongRunDay = "sat" }, Year);

        Assert.Equal("must be one of the availableDays.", Assert.Single(result.Errors["longRunDay"]));
    }

    [Theory]
    [InlineData(19, false)]
    [InlineData(20, true)]
    [InlineData(180, true)]
    [InlineData(181, false)]
    public void MaxSessionMinutesBounds(int minutes, bool valid) =>
        Assert.Equal(valid, ProfileValidator.Validate(Valid() with { MaxSessionMinutes = minutes }, Year).IsValid);

    [Theory]
    [InlineData(2013, true)]
    [InlineData(2014, false)]
    [InlineData(1926, true)]
    [InlineData(1925, false)]
    public void AgeMustBeBetween13And100(int birthYear, bool valid) =>
        Assert.Equal(valid, ProfileValidator.Validate(Valid() with { BirthYear = birthYear }, Year).IsValid);

    [Theory]
    [InlineData("Europe/Amsterdam", true)]
    [InlineData("Pacific/Honolulu", true)]
    [InlineData("UTC", true)]
    [InlineData("W. Europe Standard Time", false)]
    [InlineData("CET+1", false)]
    [InlineData("", false)]
    public void TimeZoneMustBeIana(string zone, bool valid) =>
        Assert.Equal(valid, ProfileValidator.Validate(Valid() with { TimeZone = zone }, Year).IsValid);

    [Theory]
    [InlineData("Muscle")]
    [InlineData("0")]
    [InlineData(" muscle")]
    public void EnumValuesAreExactLowerCaseNames(string goal) =>
        Assert.Contains("goal", ProfileValidator.Validate(Valid() with { Goal = goal }, Year).Errors.Keys);

    [Fact]
    public void NonRunnerCannotClaimLotsOfRunning()
    {
        var result = ProfileValidator.Validate(Valid() with { RunningExperience = "none", WeeklyRunMinutes = 200 }, Year);

        Assert.Contains("weeklyRunMinutes", result.Errors.Keys);
    }

    [Fact]
    public void OptionalListsDefaultSensibly()
    {
        var result = ProfileValidator.Validate(Valid() with { Equipment = null, Terrain = null, Units = null, WeeklyRunMinutes = null }, Year);

        Assert.Equal([Equipment.Bodyweight], result.Profile!.Equipment);
        Assert.Equal([Terrain.Flat], result.Profile.Terrain);
        Assert.Equal(0, result.Profile.WeeklyRunMinutes);
        Assert.Equal(Units.Metric, result.Profile.Units);
    }

    [Property(MaxTest = 1000)]
    public Property AnyDraftGivesAProfileOrErrorsAndNeverThrows(string? goal, string?[]? days, int? minutes, int? year, string? zone, string? equipment)
    {
        var draft = Valid() with { Goal = goal, AvailableDays = days, MaxSessionMinutes = minutes, BirthYear = year, TimeZone = zone, Equipment = equipment is null ? null : [equipment] };

        var result = ProfileValidator.Validate(draft, Year);

        return (result.IsValid == (result.Errors.Count == 0) && result.Errors.Values.All(m => m.Length > 0)).ToProperty();
    }
    [Fact]
    public void ExcludedExercisesDefaultToNoneAndAreSortedWhenGiven()
    {
        Assert.Empty(ProfileValidator.Validate(Valid(), Year).Profile!.ExcludedExercises);

        var result = ProfileValidator.Validate(Valid() with { ExcludedExercises = ["push-up", "back-squat"] }, Year);

        Assert.Equal(["back-squat", "push-up"], result.Profile!.ExcludedExercises);
        Assert.True(result.Profile.Excludes("push-up"));
        Assert.False(result.Profile.Excludes("bench-press"));
    }

    [Fact]
    public void ExcludedExercisesMustBeKnownDistinctAndFew()
    {
        var unknown = ProfileValidator.Validate(Valid() with { ExcludedExercises = ["back-squat", "Back-Squat", null, "back-squat"] }, Year);
        var tooMany = ProfileValidator.Validate(Valid() with { ExcludedExercises = Enumerable.Repeat<string?>("push-up", ProfileLimits.MaxExcludedExercises + 1).ToArray() }, Year);

        Assert.Equal(["excludedExercises[1]", "excludedExercises[2]", "excludedExercises[3]"], unknown.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("GET /api/exercises", unknown.Errors["excludedExercises[1]"][0], StringComparison.Ordinal);
        Assert.Contains("listed twice", unknown.Errors["excludedExercises[3]"][0], StringComparison.Ordinal);
        Assert.Equal(["excludedExercises"], tooMany.Errors.Keys);
    }

    [Fact]
    public void EveryCatalogueIdIsAcceptedAndIdsAreUnique()
    {
        var ids = RunStrength.Planning.Generation.ExerciseCatalog.All.Select(v => v.Id).ToArray();

        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", id));
        var result = ProfileValidator.Validate(Valid() with { ExcludedExercises = ids.Take(ProfileLimits.MaxExcludedExercises).ToArray() }, Year);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Keys));
    }

    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TargetAndRaceFieldsAreOptionalAndReadWhenGiven()
    {
        var draft = Valid() with
        {
            RecentRace = new RaceDraft { DistanceKm = 10, Time = "00:50:00", Date = "2026-10-18" },
            ThresholdPaceSecPerKm = 306,
            MaxHeartRate = 188,
            RestingHeartRate = 52,
            Race = new RaceDraft { DistanceKm = 21.0975, Date = "2027-03-07", Name = " City half " },
            UnavailableDates = ["2026-12-25", "2026-12-24"],
        };

        var profile = ProfileValidator.Validate(draft, Year, Now).Profile!;

        Assert.Equal(new RaceResult(10, TimeSpan.FromMinutes(50), new LocalDate(2026, 10, 18)), profile.RecentRace);
        Assert.Equal((306, 188, 52), (profile.ThresholdPaceSecPerKm!.Value, profile.MaxHeartRate!.Value, profile.RestingHeartRate!.Value));
        Assert.Equal(new RaceGoal(new LocalDate(2027, 3, 7), 21.0975, "City half"), profile.Race);
        Assert.Equal([new LocalDate(2026, 12, 24), new LocalDate(2026, 12, 25)], profile.UnavailableDates);
        Assert.Equal(profile, ProfileValidator.Validate(ProfileDraft.From(profile), Year, Now).Profile);
        Assert.Null(ProfileValidator.Validate(Valid(), Year, Now).Profile!.Race);
    }

    [Fact]
    public void TargetAndRaceFieldsReportEveryProblemByName()
    {
        var draft = Valid() with
        {
            RecentRace = new RaceDraft { DistanceKm = 10, Time = "50:00", Date = "2026-12-20" },
            ThresholdPaceSecPerKm = 60,
            MaxHeartRate = 180,
            RestingHeartRate = 150,
            Race = new RaceDraft { DistanceKm = 1, Date = "2026-11-01", Name = new string('x', 81) },
            UnavailableDates = ["2026-12-01", "2027-12-25", "24/12/2026", "2026-12-24", "2026-12-24"],
        };

        var errors = ProfileValidator.Validate(draft, Year, Now).Errors;

        Assert.Equal(
            ["race.date", "race.distanceKm", "race.name", "recentRace.date", "recentRace.time", "restingHeartRate", "thresholdPaceSecPerKm",
             "unavailableDates[0]", "unavailableDates[1]", "unavailableDates[2]", "unavailableDates[4]"],
            errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("hh:mm:ss", errors["recentRace.time"][0], StringComparison.Ordinal);
        Assert.Contains("future", errors["recentRace.date"][0], StringComparison.Ordinal);
        Assert.Contains("366 days", errors["unavailableDates[1]"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void ARaceDayListedAsADayAwayIsRefusedByName()
    {
        var draft = Valid() with
        {
            Race = new RaceDraft { DistanceKm = 10, Date = "2027-03-07" },
            UnavailableDates = ["2027-03-06", "2027-03-07"],
        };

        var errors = ProfileValidator.Validate(draft, Year, Now).Errors;

        Assert.Equal(["unavailableDates[1]"], errors.Keys);
        Assert.Contains("race day", errors["unavailableDates[1]"][0], StringComparison.Ordinal);
        Assert.True(ProfileValidator.Validate(draft with { UnavailableDates = ["2027-03-06"] }, Year, Now).IsValid);
    }

    [Fact]
    public void StoredDatesThatHaveAgedStillReadWithoutAClock()
    {
        var draft = Valid() with { UnavailableDates = ["2020-01-01"], Race = new RaceDraft { DistanceKm = 10, Date = "2020-02-02" } };

        Assert.False(ProfileValidator.Validate(draft, Year, Now).IsValid);
        var stored = ProfileValidator.Validate(draft, Year).Profile!;
        Assert.Single(stored.UnavailableDates);
        var pruned = stored.WithoutPastDates(Now);
        Assert.Empty(pruned.UnavailableDates);
        Assert.Null(pruned.Race);
    }

    [Fact]
    public void ARecentRaceMustGiveAPlausiblePace()
    {
        var tooFast = Valid() with { RecentRace = new RaceDraft { DistanceKm = 42.195, Time = "01:00:00", Date = "2026-10-18" } };

        Assert.Equal(["recentRace.time"], ProfileValidator.Validate(tooFast, Year, Now).Errors.Keys);
    }

}

public sealed class ProfileEqualityTests
{
    [Fact]
    public void ProfilesWithEqualListsAreEqual()
    {
        var a = new ProfileBuilder().Build();
        var b = a with { AvailableDays = a.AvailableDays.ToList(), Equipment = a.Equipment.ToList(), Terrain = a.Terrain.ToList() };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { AvailableDays = [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday] });
        Assert.NotEqual(a, b with { Equipment = [Equipment.Kettlebell] });
    }

}
