using System.Text.Json;
using RunStrength.Planning.Plans;

namespace RunStrength.Planning.Profiles;

/// <summary>
/// Reads and checks what a person logged for one planned session, as
/// <c>PUT /api/me/plans/{week}/sessions/{sessionId}/log</c> takes it, and returns every error at
/// once, each naming its field (<c>exercises[0].sets[1].reps</c>). The JSON is read here, not
/// mapped to a draft first, because a wrong type is itself an error to name. Never throws for user
/// input. The limits keep a log to what one session can hold and the logs table can store.
/// </summary>
public static class SessionLogValidator
{
    public const int MaxActualMinutes = 600;
    public const int MinRpe = 1;
    public const int MaxRpe = 10;
    public const int MaxNoteLength = 500;

    /// <summary>More exercises than any session prescribes, with room for a changed mind.</summary>
    public const int MaxExercises = 20;

    public const int MaxSetsPerExercise = 20;
    public const int MaxReps = 100;

    /// <summary>Reps in reserve beyond ten is not a working set the progression can read (T3).</summary>
    public const int MaxRir = 10;

    /// <summary>Kilograms; above a tonne is a typing error, not a lift.</summary>
    public const int MaxLoad = 1000;

    public static SessionLogValidation Validate(JsonElement body, Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var errors = new ValidationErrors();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "The body must be a JSON object.");
            return new SessionLogValidation(null, errors.ToDictionary());
        }

        if (session.Kind == SessionKind.Rest)
        {
            errors.Add("sessionId", "is a rest day; there is nothing to log.");
        }

        SessionStatus? status = null;
        int? minutes = null, rpe = null;
        string? note = null;
        var exercises = new List<ExerciseLog>();
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "status":
                    status = property.Value.ValueKind == JsonValueKind.String && WireNames.TryParse<SessionStatus>(property.Value.GetString(), out var parsed)
                        ? parsed
                        : Error<SessionStatus?>(errors, "status", "must be one of: completed, partial, skipped.");
                    break;
                case "actualMinutes":
                    minutes = Integer(property.Value, "actualMinutes", 0, MaxActualMinutes, errors);
                    break;
                case "rpe":
                    rpe = Integer(property.Value, "rpe", MinRpe, MaxRpe, errors);
                    break;
                case "note":
                    note = property.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String when property.Value.GetString()!.Length <= MaxNoteLength => property.Value.GetString(),
                        _ => Error<string?>(errors, "note", $"must be a string of at most {MaxNoteLength} characters."),
                    };
                    break;
                case "exercises":
                    ReadExercises(property.Value, session, exercises, errors);
                    break;
                default:
                    errors.Add(property.Name, "is not a known field.");
                    break;
            }
        }

        if (status is null && !errors.ToDictionary().ContainsKey("status"))
        {
            errors.Add("status", "is required.");
        }

        var log = status is { } s && errors.IsEmpty
            ? new SessionLog { SessionId = session.Id, Status = s, ActualMinutes = minutes, Rpe = rpe, Note = note, Exercises = exercises }
            : null;
        return new SessionLogValidation(log, errors.ToDictionary());
    }

    private static void ReadExercises(JsonElement value, Session session, List<ExerciseLog> exercises, ValidationErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxExercises)
        {
            errors.Add("exercises", $"must be an array of at most {MaxExercises} exercises.");
            return;
        }

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var field = $"exercises[{i++}]";
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("exerciseId", out var id) || id.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("sets", out var sets) || sets.ValueKind != JsonValueKind.Array || sets.GetArrayLength() > MaxSetsPerExercise
                || item.EnumerateObject().Any(p => p.Name is not ("exerciseId" or "sets")))
            {
                errors.Add(field, $"must be {{\"exerciseId\": string, \"sets\": [at most {MaxSetsPerExercise} sets]}} and nothing else.");
                continue;
            }

            if (!session.Exercises.Any(e => e.Id == id.GetString()))
            {
                errors.Add($"{field}.exerciseId", "is not an exercise of this session.");
                continue;
            }

            var logged = new List<SetLog>();
            var j = 0;
            foreach (var set in sets.EnumerateArray())
            {
                var setField = $"{field}.sets[{j++}]";
                if (set.ValueKind != JsonValueKind.Object || set.EnumerateObject().Any(p => p.Name is not ("reps" or "rir" or "load")))
                {
                    errors.Add(setField, "must be {\"reps\": n, \"rir\"?: n, \"load\"?: n}.");
                    continue;
                }

                var reps = set.TryGetProperty("reps", out var r) ? Integer(r, $"{setField}.reps", 0, MaxReps, errors) : Error<int?>(errors, $"{setField}.reps", "is required.");
                var rir = set.TryGetProperty("rir", out var rr) ? Integer(rr, $"{setField}.rir", 0, MaxRir, errors) : null;
                decimal? load = null;
                if (set.TryGetProperty("load", out var l) && l.ValueKind != JsonValueKind.Null)
                {
                    load = l.ValueKind == JsonValueKind.Number && l.TryGetDecimal(out var kg) && kg is >= 0 and <= MaxLoad
                        ? kg
                        : Error<decimal?>(errors, $"{setField}.load", $"must be a number from 0 to {MaxLoad}.");
                }

                if (reps is { } n)
                {
                    logged.Add(new SetLog(n, rir, load));
                }
            }

            exercises.Add(new ExerciseLog(id.GetString()!, logged));
        }
    }

    private static int? Integer(JsonElement value, string field, int min, int max, ValidationErrors errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max
            ? number
            : Error<int?>(errors, field, $"must be a whole number from {min} to {max}.");
    }

    private static T Error<T>(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return default!;
    }
}

/// <summary>Either a valid session log or every error found.</summary>
public sealed record SessionLogValidation(SessionLog? Log, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Log is not null;
}
