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
    private static readonly string[] IntegerFields = ["maxSessionMinutes", "weeklyRunMinutes", "birthYear"];
    private static readonly string[] ListFields = ["availableDays", "equipment", "terrain", "excludedExercises"];

    /// <summary>The most items a list field may carry before it is refused unread.</summary>
    private static int MaxItems(string field) => field == "excludedExercises" ? ProfileLimits.MaxExcludedExercises : 16;

    public static IEnumerable<string> Fields => StringFields.Concat(IntegerFields).Concat(ListFields);

    /// <summary>Reads a draft, reporting wrong types and unknown fields by name; then validates it.</summary>
    public static ProfileValidation Read(JsonElement body, int currentYear)
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
        };

        var validation = ProfileValidator.Validate(draft, currentYear);
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

    public static JsonObject Write(Profile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var draft = ProfileDraft.From(profile);
        return new JsonObject
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
        };
    }
}
