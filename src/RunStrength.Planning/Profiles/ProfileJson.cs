using System.Text.Json;
using System.Text.Json.Nodes;

namespace RunStrength.Planning.Profiles;

/// <summary>
/// The profile's JSON form, as the API's <c>PUT /api/me/profile</c> takes it and the command line
/// reads it: read with a type check per field, written in contract shape.
/// </summary>
public static class ProfileJson
{
    private static readonly string[] StringFields = ["goal", "runningExperience", "strengthExperience", "longRunDay", "timeZone", "units"];
    private static readonly string[] IntegerFields = ["maxSessionMinutes", "weeklyRunMinutes", "birthYear", "thresholdPaceSecPerKm", "maxHeartRate", "restingHeartRate"];
    private static readonly string[] ListFields = ["availableDays", "equipment", "terrain", "excludedExercises", "unavailableDates"];
    private static readonly string[] RaceFields = ["recentRace", "race"];

    /// <summary>The most items a list field may carry before it is refused unread.</summary>
    private static int MaxItems(string field) => field switch
    {
        "excludedExercises" => ProfileLimits.MaxExcludedExercises,
        "unavailableDates" => ProfileLimits.MaxUnavailableDates,
        _ => 16,
    };

    public static IEnumerable<string> Fields => StringFields.Concat(IntegerFields).Concat(ListFields).Concat(RaceFields);

    /// <summary>Reads a draft, reporting wrong types and unknown fields by name; then validates it.</summary>
    /// <param name="now">A client's request passes the time, so dates are checked against today (see <see cref="ProfileValidator"/>).</param>
    public static ProfileValidation Read(JsonElement body, int currentYear, DateTimeOffset? now = null)
    {
        var errors = new ValidationErrors();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "The body must be a JSON object.");
            return new ProfileValidation(null, errors.ToDictionary());
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var strings = new Dictionary<string, string?>(StringComparer.Ordinal);
        var integers = new Dictionary<string, int?>(StringComparer.Ordinal);
        var lists = new Dictionary<string, string?[]?>(StringComparer.Ordinal);
        var races = new Dictionary<string, RaceDraft?>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            if (!seen.Add(name))
            {
                errors.Add(name, "appears more than once.");
            }
            else if (StringFields.Contains(name))
            {
                if (value.ValueKind is JsonValueKind.String or JsonValueKind.Null)
                {
                    strings[name] = value.ValueKind == JsonValueKind.Null ? null : value.GetString();
                }
                else
                {
                    errors.Add(name, "must be a string.");
                }
            }
            else if (IntegerFields.Contains(name))
            {
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
                {
                    integers[name] = number;
                }
                else if (value.ValueKind != JsonValueKind.Null)
                {
                    errors.Add(name, "must be a whole number.");
                }
            }
            else if (ListFields.Contains(name))
            {
                if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() <= MaxItems(name))
                {
                    var items = new string?[value.GetArrayLength()];
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.String)
                        {
                            errors.Add($"{name}[{i}]", "must be a string.");
                        }

                        items[i++] = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                    }

                    lists[name] = items;
                }
                else if (value.ValueKind != JsonValueKind.Null)
                {
                    errors.Add(name, $"must be an array of at most {MaxItems(name)} strings.");
                }
            }
            else if (RaceFields.Contains(name))
            {
                if (value.ValueKind == JsonValueKind.Object)
                {
                    races[name] = ReadRace(name, value, errors);
                }
                else if (value.ValueKind != JsonValueKind.Null)
                {
                    errors.Add(name, "must be an object.");
                }
            }
            else
            {
                errors.Add(name, "is not a known field.");
            }
        }

        var draft = new ProfileDraft
        {
            Goal = strings.GetValueOrDefault("goal"),
            RunningExperience = strings.GetValueOrDefault("runningExperience"),
            StrengthExperience = strings.GetValueOrDefault("strengthExperience"),
            AvailableDays = lists.GetValueOrDefault("availableDays"),
            LongRunDay = strings.GetValueOrDefault("longRunDay"),
            MaxSessionMinutes = integers.GetValueOrDefault("maxSessionMinutes"),
            WeeklyRunMinutes = integers.GetValueOrDefault("weeklyRunMinutes"),
            Equipment = lists.GetValueOrDefault("equipment"),
            Terrain = lists.GetValueOrDefault("terrain"),
            BirthYear = integers.GetValueOrDefault("birthYear"),
            TimeZone = strings.GetValueOrDefault("timeZone"),
            Units = strings.GetValueOrDefault("units"),
            ExcludedExercises = lists.GetValueOrDefault("excludedExercises"),
            RecentRace = races.GetValueOrDefault("recentRace"),
            ThresholdPaceSecPerKm = integers.GetValueOrDefault("thresholdPaceSecPerKm"),
            MaxHeartRate = integers.GetValueOrDefault("maxHeartRate"),
            RestingHeartRate = integers.GetValueOrDefault("restingHeartRate"),
            Race = races.GetValueOrDefault("race"),
            UnavailableDates = lists.GetValueOrDefault("unavailableDates"),
        };

        var validation = ProfileValidator.Validate(draft, currentYear, now);
        if (errors.IsEmpty)
        {
            return validation;
        }

        // A field with the wrong type is reported once, for its type, not again as "required".
        var reported = errors.ToDictionary();
        foreach (var (field, messages) in validation.Errors)
        {
            if (!reported.Keys.Any(k => k == field || k.StartsWith(field + "[", StringComparison.Ordinal)))
            {
                foreach (var message in messages)
                {
                    errors.Add(field, message);
                }
            }
        }

        return new ProfileValidation(null, errors.ToDictionary());
    }

    private static RaceDraft ReadRace(string field, JsonElement value, ValidationErrors errors)
    {
        var draft = new RaceDraft();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            var name = $"{field}.{property.Name}";
            var member = property.Value;
            if (!seen.Add(property.Name))
            {
                errors.Add(name, "appears more than once.");
            }
            else if (property.Name == "distanceKm")
            {
                if (member.ValueKind == JsonValueKind.Number && member.TryGetDouble(out var km) && double.IsFinite(km))
                {
                    draft = draft with { DistanceKm = km };
                }
                else
                {
                    errors.Add(name, "must be a number.");
                }
            }
            else if (property.Name is "time" or "date" or "name")
            {
                if (member.ValueKind != JsonValueKind.String)
                {
                    errors.Add(name, "must be a string.");
                }
                else
                {
                    var text = member.GetString();
                    draft = property.Name switch
                    {
                        "time" => draft with { Time = text },
                        "date" => draft with { Date = text },
                        _ => draft with { Name = text },
                    };
                }
            }
            else
            {
                errors.Add(name, "is not a known field.");
            }
        }

        return draft;
    }

    public static JsonObject Write(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var draft = ProfileDraft.From(profile);
        var json = new JsonObject
        {
            ["goal"] = draft.Goal,
            ["runningExperience"] = draft.RunningExperience,
            ["strengthExperience"] = draft.StrengthExperience,
            ["availableDays"] = new JsonArray(draft.AvailableDays!.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
            ["longRunDay"] = draft.LongRunDay,
            ["maxSessionMinutes"] = draft.MaxSessionMinutes,
            ["weeklyRunMinutes"] = draft.WeeklyRunMinutes,
            ["equipment"] = new JsonArray(draft.Equipment!.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()),
            ["terrain"] = new JsonArray(draft.Terrain!.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
            ["birthYear"] = draft.BirthYear,
            ["timeZone"] = draft.TimeZone,
            ["units"] = draft.Units,
            ["excludedExercises"] = new JsonArray(draft.ExcludedExercises!.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
            ["unavailableDates"] = new JsonArray(draft.UnavailableDates!.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
        };

        // Optional values are left out when unset, rather than written as null.
        if (draft.RecentRace is { } recent)
        {
            json["recentRace"] = new JsonObject { ["distanceKm"] = recent.DistanceKm, ["time"] = recent.Time, ["date"] = recent.Date };
        }

        if (draft.ThresholdPaceSecPerKm is { } threshold)
        {
            json["thresholdPaceSecPerKm"] = threshold;
        }

        if (draft.MaxHeartRate is { } max)
        {
            json["maxHeartRate"] = max;
        }

        if (draft.RestingHeartRate is { } resting)
        {
            json["restingHeartRate"] = resting;
        }

        if (draft.Race is { } race)
        {
            var raceJson = new JsonObject { ["date"] = race.Date, ["distanceKm"] = race.DistanceKm };
            if (race.Name is not null)
            {
                raceJson["name"] = race.Name;
            }

            json["race"] = raceJson;
        }

        return json;
    }
}
