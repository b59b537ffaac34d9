using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Http;
using RunStrength.Planning;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Serialization;
using RunStrength.Storage;

namespace RunStrength.Functions.Logs;

/// <summary><c>PUT /api/me/plans/{week}/sessions/{sessionId}/log</c>: what the caller did for a session.</summary>
public sealed class SessionLogFunctions(IAuthenticator authenticator, IPlanStore plans, ISessionLogStore logs)
{
    [Function(nameof(PutSessionLog))]
    public Task<IActionResult> PutSessionLog(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "me/plans/{week}/sessions/{sessionId}/log")] HttpRequest request,
        string week,
        string sessionId,
        CancellationToken cancellationToken) =>
        Put(request, week, sessionId, cancellationToken).AsAction();

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
