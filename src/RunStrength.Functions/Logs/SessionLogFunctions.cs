using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Http;
using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Serialization;
using RunStrength.Storage;

namespace RunStrength.Functions.Logs;

/// <summary>
/// <c>PUT /api/me/plans/{week}/sessions/{sessionId}/log</c>: what the caller did for a session;
/// <c>GET /api/me/plans/{week}/logs</c>: everything logged for a week, so a client can set done against planned.
/// </summary>
public sealed class SessionLogFunctions(IAuthenticator authenticator, IPlanStore plans, ISessionLogStore logs)
{
    public const int MaxNoteLength = 500;

    [Function(nameof(PutSessionLog))]
    public Task<IActionResult> PutSessionLog(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/me/plans/{week}/sessions/{sessionId}/log")] HttpRequest request,
        string week,
        string sessionId,
        CancellationToken cancellationToken) =>
        Put(request, week, sessionId, cancellationToken).AsAction();

    [Function(nameof(GetWeekLogs))]
    public Task<IActionResult> GetWeekLogs(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me/plans/{week}/logs")] HttpRequest request,
        string week,
        CancellationToken cancellationToken) =>
        Week(request, week, cancellationToken).AsAction();

    /// <summary>The week's logs, by session id; an empty list for a week with none (or no plan), not 404, as nothing logged is an answer.</summary>
    public async Task<IResult> Week(HttpRequest request, string week, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        if (!IsoWeek.TryParse(week, out var isoWeek))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["week"] = ["must be an ISO week such as 2026-W49."] });
        }

        var items = await logs.GetWeekAsync(userId, isoWeek, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new WeekLogs(isoWeek.ToString(), items), PlanJson.Options);
    }

    public async Task<IResult> Put(HttpRequest request, string week, string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        if (!IsoWeek.TryParse(week, out var isoWeek))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["week"] = ["must be an ISO week such as 2026-W49."] });
        }

        var (body, problem) = await JsonBody.ReadAsync(request, JsonBody.Json, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var plan = await plans.GetAsync(userId, isoWeek, cancellationToken).ConfigureAwait(false);
        var session = plan?.Sessions.FirstOrDefault(s => s.Id == sessionId);
        if (session is null)
        {
            return Problems.NotFound($"Week {isoWeek} has no session '{sessionId}'.");
        }

        var errors = new ValidationErrors();
        var log = Read(body, session, errors);
        if (log is null || !errors.IsEmpty)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        var result = await logs.UpsertAsync(userId, isoWeek, log, cancellationToken).ConfigureAwait(false);
        var json = JsonSerializer.SerializeToNode(log, PlanJson.Options);
        return result.Outcome == WriteOutcome.Created
            ? TypedResults.Created($"/api/me/plans/{isoWeek}/sessions/{sessionId}/log", json)
            : TypedResults.Ok(json);
    }

    /// <summary>Reads and checks a log body, naming each bad field; null when it is not an object.</summary>
    public static SessionLog? Read(JsonElement body, Session session, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(errors);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("$", "The body must be a JSON object.");
            return null;
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
                    minutes = Integer(property.Value, "actualMinutes", 0, 600, errors);
                    break;
                case "rpe":
                    rpe = Integer(property.Value, "rpe", 1, 10, errors);
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

        return status is { } s
            ? new SessionLog { SessionId = session.Id, Status = s, ActualMinutes = minutes, Rpe = rpe, Note = note, Exercises = exercises }
            : null;
    }

    private static void ReadExercises(JsonElement value, Session session, List<ExerciseLog> exercises, ValidationErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > 20)
        {
            errors.Add("exercises", "must be an array of at most 20 exercises.");
            return;
        }

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var field = $"exercises[{i++}]";
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("exerciseId", out var id) || id.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("sets", out var sets) || sets.ValueKind != JsonValueKind.Array || sets.GetArrayLength() > 20
                || item.EnumerateObject().Any(p => p.Name is not ("exerciseId" or "sets")))
            {
                errors.Add(field, "must be {\"exerciseId\": string, \"sets\": [at most 20 sets]} and nothing else.");
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

                var reps = set.TryGetProperty("reps", out var r) ? Integer(r, $"{setField}.reps", 0, 100, errors) : Error<int?>(errors, $"{setField}.reps", "is required.");
                var rir = set.TryGetProperty("rir", out var rr) ? Integer(rr, $"{setField}.rir", 0, 10, errors) : null;
                decimal? load = null;
                if (set.TryGetProperty("load", out var l) && l.ValueKind != JsonValueKind.Null)
                {
                    load = l.ValueKind == JsonValueKind.Number && l.TryGetDecimal(out var kg) && kg is >= 0 and <= 1000 ? kg : Error<decimal?>(errors, $"{setField}.load", "must be a number from 0 to 1000.");
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

/// <summary>The body of <c>GET /api/me/plans/{week}/logs</c>.</summary>
public sealed record WeekLogs(string Week, IReadOnlyList<SessionLog> Items);
