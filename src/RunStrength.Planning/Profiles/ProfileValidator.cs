using RunStrength.Planning.Generation;
using static RunStrength.Planning.Profiles.ProfileLimits;

namespace RunStrength.Planning.Profiles;

/// <summary>
/// Checks a draft against every rule of the profile contract and returns all errors at once.
/// Never throws for user input.
/// </summary>
public static class ProfileValidator
{
    /// <param name="now">
    /// When given (a client's request), dates are also checked against today in the profile's time
    /// zone: no day off or race in the past, none more than a year ahead, no recent race in the
    /// future. A stored profile is read without it, as its dates age naturally.
    /// </param>
    public static ProfileValidation Validate(ProfileDraft draft, int currentYear, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new ValidationErrors();

        var goal = RequiredEnum<Goal>(draft.Goal, "goal", errors);
        var running = RequiredEnum<Experience>(draft.RunningExperience, "runningExperience", errors);
        var strength = RequiredEnum<Experience>(draft.StrengthExperience, "strengthExperience", errors);
        var days = AvailableDays(draft.AvailableDays, errors);
        var longRunDay = LongRunDay(draft.LongRunDay, draft.AvailableDays, errors);
        var maxMinutes = RequiredRange(draft.MaxSessionMinutes, "maxSessionMinutes", MinSessionMinutes, MaxSessionMinutes, errors);
        var weeklyRun = OptionalRange(draft.WeeklyRunMinutes, "weeklyRunMinutes", MinWeeklyRunMinutes, MaxWeeklyRunMinutes, errors) ?? 0;
        var equipment = EnumList<Equipment>(draft.Equipment, "equipment", errors) ?? [Profiles.Equipment.Bodyweight];
        var terrain = EnumList<Terrain>(draft.Terrain, "terrain", errors) ?? [Profiles.Terrain.Flat];
        var birthYear = RequiredRange(draft.BirthYear, "birthYear", currentYear - MaxAge, currentYear - MinAge, errors);
        var timeZone = TimeZone(draft.TimeZone, errors);
        var units = draft.Units is null ? Profiles.Units.Metric : RequiredEnum<Units>(draft.Units, "units", errors);
        var excluded = ExcludedExercises(draft.ExcludedExercises, errors);
        LocalDate? today = now is { } instant && timeZone is not null ? WeekClock.Today(instant, timeZone) : null;
        var recentRace = RecentRace(draft.RecentRace, today, errors);
        var threshold = OptionalRange(draft.ThresholdPaceSecPerKm, "thresholdPaceSecPerKm", MinPaceSecPerKm, MaxPaceSecPerKm, errors);
        var maxHeartRate = OptionalRange(draft.MaxHeartRate, "maxHeartRate", MinMaxHeartRate, MaxMaxHeartRate, errors);
        var restingHeartRate = OptionalRange(draft.RestingHeartRate, "restingHeartRate", MinRestingHeartRate, MaxRestingHeartRate, errors);
        if (maxHeartRate is { } max && restingHeartRate is { } rest && rest > max - 40)
        {
            errors.Add("restingHeartRate", "must be at least 40 bpm below maxHeartRate.");
        }

        var race = RaceGoal(draft.Race, today, errors);
        var unavailable = UnavailableDates(draft.UnavailableDates, today, errors);
        if (today is not null && race is not null && unavailable?.IndexOf(race.Date) is >= 0)
        {
            // D1, RC4: race day is a training day; a request that says it is away that day is a
            // contradiction to point out, not to guess. (Stored profiles read without a clock.)
            var at = draft.UnavailableDates!.ToList().FindIndex(d => ProfileText.TryDate(d, out var date) && date == race.Date);
            errors.Add($"unavailableDates[{at}]", "is the race day (race.date): you cannot be away on the day you race; remove one of them.");
        }

        if (running == Experience.None && weeklyRun > NonRunnerMaxWeeklyRunMinutes)
        {
            errors.Add("weeklyRunMinutes", $"must be at most {NonRunnerMaxWeeklyRunMinutes} when runningExperience is 'none'; choose 'beginner' or above for more.");
        }

        if (!errors.IsEmpty)
        {
            return new ProfileValidation(null, errors.ToDictionary());
        }

        var profile = new Profile
        {
            Goal = goal!.Value,
            RunningExperience = running!.Value,
            StrengthExperience = strength!.Value,
            AvailableDays = days!,
            LongRunDay = longRunDay,
            MaxSessionMinutes = maxMinutes!.Value,
            WeeklyRunMinutes = weeklyRun,
            Equipment = equipment,
            Terrain = terrain,
            BirthYear = birthYear!.Value,
            TimeZone = timeZone!,
            Units = units!.Value,
            ExcludedExercises = excluded!,
            RecentRace = recentRace,
            ThresholdPaceSecPerKm = threshold,
            MaxHeartRate = maxHeartRate,
            RestingHeartRate = restingHeartRate,
            Race = race,
            UnavailableDates = unavailable!,
        };
        return new ProfileValidation(profile, errors.ToDictionary());
    }

    private static TEnum? RequiredEnum<TEnum>(string? value, string field, ValidationErrors errors)
        where TEnum : struct, Enum
    {
        if (value is null)
        {
            errors.Add(field, "is required.");
            return null;
        }

        if (WireNames.TryParse<TEnum>(value, out var parsed))
        {
            return parsed;
        }

        errors.Add(field, $"must be one of: {string.Join(", ", WireNames.Names<TEnum>())}.");
        return null;
    }

    private static List<TEnum>? EnumList<TEnum>(IReadOnlyList<string?>? values, string field, ValidationErrors errors)
        where TEnum : struct, Enum
    {
        if (values is null)
        {
            return null;
        }

        if (values.Count == 0)
        {
            errors.Add(field, "must list at least one value, or be left out.");
            return null;
        }

        var parsed = new List<TEnum>();
        var valid = true;
        for (var i = 0; i < values.Count; i++)
        {
            if (!WireNames.TryParse<TEnum>(values[i], out var value))
            {
                errors.Add($"{field}[{i}]", $"must be one of: {string.Join(", ", WireNames.Names<TEnum>())}.");
                valid = false;
            }
            else if (parsed.Contains(value))
            {
                errors.Add($"{field}[{i}]", $"'{values[i]}' is listed twice.");
                valid = false;
            }
            else
            {
                parsed.Add(value);
            }
        }

        parsed.Sort();
        return valid ? parsed : null;
    }

    private static RaceResult? RecentRace(RaceDraft? draft, LocalDate? today, ValidationErrors errors)
    {
        const string field = "recentRace";
        if (draft is null)
        {
            return null;
        }

        var valid = true;
        if (draft.DistanceKm is not { } km || km < MinRecentRaceKm || km > MaxRaceKm)
        {
            errors.Add($"{field}.distanceKm", $"is required, between {MinRecentRaceKm} and {MaxRaceKm}.");
            valid = false;
        }

        if (!ProfileText.TryDuration(draft.Time, out var time) || time <= TimeSpan.Zero)
        {
            errors.Add($"{field}.time", "is required, as hh:mm:ss, such as 00:50:00.");
            valid = false;
        }
        else if (valid && (time.TotalSeconds / draft.DistanceKm!.Value is < MinPaceSecPerKm or > MaxPaceSecPerKm))
        {
            errors.Add($"{field}.time", $"gives a pace outside {MinPaceSecPerKm / 60}:00–{MaxPaceSecPerKm / 60}:00 per km; check the distance and time.");
            valid = false;
        }

        if (!ProfileText.TryDate(draft.Date, out var date))
        {
            errors.Add($"{field}.date", "is required, as a date such as 2026-10-18.");
            valid = false;
        }
        else if (today is { } day && date > day)
        {
            errors.Add($"{field}.date", "must not be in the future.");
            valid = false;
        }

        if (draft.Name is not null)
        {
            errors.Add($"{field}.name", "is not a known field.");
            valid = false;
        }

        return valid ? new RaceResult(draft.DistanceKm!.Value, time, date) : null;
    }

    private static RaceGoal? RaceGoal(RaceDraft? draft, LocalDate? today, ValidationErrors errors)
    {
        const string field = "race";
        if (draft is null)
        {
            return null;
        }

        var valid = true;
        if (draft.DistanceKm is not { } km || km < MinRaceKm || km > MaxRaceKm)
        {
            errors.Add($"{field}.distanceKm", $"is required, between {MinRaceKm} and {MaxRaceKm} (5, 10, 21.0975 and 42.195 are the usual ones).");
            valid = false;
        }

        if (!ProfileText.TryDate(draft.Date, out var date))
        {
            errors.Add($"{field}.date", "is required, as a date such as 2027-04-11.");
            valid = false;
        }
        else if (today is { } day && !WithinWindow(date, day))
        {
            errors.Add($"{field}.date", $"must be today or later, and at most {MaxDaysAhead} days ahead.");
            valid = false;
        }

        if (draft.Name is { } name && (name.Length > MaxRaceNameLength || name.Any(char.IsControl)))
        {
            errors.Add($"{field}.name", $"must be at most {MaxRaceNameLength} characters, with no control characters.");
            valid = false;
        }

        if (draft.Time is not null)
        {
            errors.Add($"{field}.time", "is not a known field.");
            valid = false;
        }

        return valid ? new RaceGoal(date, draft.DistanceKm!.Value, string.IsNullOrWhiteSpace(draft.Name) ? null : draft.Name.Trim()) : null;
    }

    private static List<LocalDate>? UnavailableDates(IReadOnlyList<string?>? values, LocalDate? today, ValidationErrors errors)
    {
        const string field = "unavailableDates";
        if (values is null)
        {
            return [];
        }

        if (values.Count > MaxUnavailableDates)
        {
            errors.Add(field, $"must list at most {MaxUnavailableDates} dates.");
            return null;
        }

        var dates = new List<LocalDate>(values.Count);
        var valid = true;
        for (var i = 0; i < values.Count; i++)
        {
            if (!ProfileText.TryDate(values[i], out var date))
            {
                errors.Add($"{field}[{i}]", "must be a date such as 2026-12-24.");
                valid = false;
            }
            else if (today is { } day && !WithinWindow(date, day))
            {
                errors.Add($"{field}[{i}]", $"must be today or later, and at most {MaxDaysAhead} days ahead.");
                valid = false;
            }
            else if (dates.Contains(date))
            {
                errors.Add($"{field}[{i}]", $"'{values[i]}' is listed twice.");
                valid = false;
            }
            else
            {
                dates.Add(date);
            }
        }

        dates.Sort();
        return valid ? dates : null;
    }

    private static bool WithinWindow(LocalDate date, LocalDate today) =>
        date >= today && Period.Between(today, date, PeriodUnits.Days).Days <= MaxDaysAhead;

    private static List<string>? ExcludedExercises(IReadOnlyList<string?>? values, ValidationErrors errors)
    {
        const string field = "excludedExercises";
        if (values is null)
        {
            return [];
        }

        if (values.Count > MaxExcludedExercises)
        {
            errors.Add(field, $"must list at most {MaxExcludedExercises} exercise ids.");
            return null;
        }

        var ids = new List<string>(values.Count);
        var valid = true;
        for (var i = 0; i < values.Count; i++)
        {
            var id = values[i];
            if (id is null || !ExerciseCatalog.IsKnown(id))
            {
                errors.Add($"{field}[{i}]", "must be an exercise id from GET /api/exercises, such as 'back-squat'.");
                valid = false;
            }
            else if (ids.Contains(id, StringComparer.Ordinal))
            {
                errors.Add($"{field}[{i}]", $"'{id}' is listed twice.");
                valid = false;
            }
            else
            {
                ids.Add(id);
            }
        }

        ids.Sort(StringComparer.Ordinal);
        return valid ? ids : null;
    }

    private static List<IsoDayOfWeek>? AvailableDays(IReadOnlyList<string?>? values, ValidationErrors errors)
    {
        const string field = "availableDays";
        if (values is null)
        {
            errors.Add(field, "is required.");
            return null;
        }

        if (values.Count is < MinAvailableDays or > MaxAvailableDays)
        {
            errors.Add(field, $"must list between {MinAvailableDays} and {MaxAvailableDays} days.");
        }

        var days = new List<IsoDayOfWeek>();
        var valid = values.Count is >= MinAvailableDays and <= MaxAvailableDays;
        for (var i = 0; i < values.Count; i++)
        {
            if (!WireNames.TryParseDay(values[i], out var day))
            {
                errors.Add($"{field}[{i}]", $"must be one of: {string.Join(", ", WireNames.Days)}.");
                valid = false;
            }
            else if (days.Contains(day))
            {
                errors.Add($"{field}[{i}]", $"'{values[i]}' is listed twice.");
                valid = false;
            }
            else
            {
                days.Add(day);
            }
        }

        days.Sort();
        return valid ? days : null;
    }

    private static IsoDayOfWeek? LongRunDay(string? value, IReadOnlyList<string?>? days, ValidationErrors errors)
    {
        const string field = "longRunDay";
        if (value is null)
        {
            return null;
        }

        if (!WireNames.TryParseDay(value, out var day))
        {
            errors.Add(field, $"must be one of: {string.Join(", ", WireNames.Days)}.");
            return null;
        }

        if (days is not null && !days.Contains(value))
        {
            errors.Add(field, "must be one of the availableDays.");
        }

        return day;
    }

    private static int? RequiredRange(int? value, string field, int min, int max, ValidationErrors errors)
    {
        if (value is null)
        {
            errors.Add(field, "is required.");
            return null;
        }

        return OptionalRange(value, field, min, max, errors);
    }

    private static int? OptionalRange(int? value, string field, int min, int max, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (value < min || value > max)
        {
            errors.Add(field, $"must be between {min} and {max}.");
            return null;
        }

        return value;
    }

    private static string? TimeZone(string? value, ValidationErrors errors)
    {
        const string field = "timeZone";
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required.");
            return null;
        }

        if (!WeekClock.IsKnownZone(value))
        {
            errors.Add(field, "must be an IANA time zone such as 'Europe/Amsterdam'.");
            return null;
        }

        return value;
    }
}
