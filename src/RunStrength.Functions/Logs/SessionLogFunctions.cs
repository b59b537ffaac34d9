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

        var validation = SessionLogValidator.Validate(body, session);
        if (validation.Log is not { } log)
        {
            return Problems.Validation(validation.Errors);
        }

        var result = await logs.UpsertAsync(userId, isoWeek, log, cancellationToken).ConfigureAwait(false);
        var json = JsonSerializer.SerializeToNode(log, PlanJson.Options);
        return result.Outcome == WriteOutcome.Created
            ? TypedResults.Created($"/api/me/plans/{isoWeek}/sessions/{sessionId}/log", json)
            : TypedResults.Ok(json);
    }
}

/// <summary>The body of <c>GET /api/me/plans/{week}/logs</c>.</summary>
public sealed record WeekLogs(string Week, IReadOnlyList<SessionLog> Items);
