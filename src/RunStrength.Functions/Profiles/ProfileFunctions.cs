using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Http;
using RunStrength.Functions.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Storage;

namespace RunStrength.Functions.Profiles;

/// <summary><c>/api/me/profile</c>: create, replace, read and merge-patch the caller's profile.</summary>
public sealed partial class ProfileFunctions(
    IAuthenticator authenticator,
    IProfileStore profiles,
    WeekPlanner planner,
    TimeProvider clock,
    AuditLog audit)
{
    private const int WriteAttempts = 3;

    [Function(nameof(PutProfile))]
    public Task<IActionResult> PutProfile([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/me/profile")] HttpRequest request, CancellationToken cancellationToken) =>
        Put(request, cancellationToken).AsAction();

    [Function(nameof(GetProfile))]
    public Task<IActionResult> GetProfile([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me/profile")] HttpRequest request, CancellationToken cancellationToken) =>
        Get(request, cancellationToken).AsAction();

    [Function(nameof(PatchProfile))]
    public Task<IActionResult> PatchProfile([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/me/profile")] HttpRequest request, CancellationToken cancellationToken) =>
        Patch(request, cancellationToken).AsAction();

    public async Task<IResult> Put(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        var (body, problem) = await JsonBody.ReadAsync(request, JsonBody.Json, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var validation = ProfileJson.Read(body, clock.GetUtcNow().Year, clock.GetUtcNow());
        if (validation.Profile is not { } profile)
        {
            return Problems.Validation(validation.Errors);
        }

        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            var current = await profiles.GetAsync(userId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                if (ProfileETag.HasIfMatch(request))
                {
                    return Problems.PreconditionFailed("There is no profile to match If-Match against.");
                }

                var created = await profiles.CreateAsync(userId, profile, cancellationToken).ConfigureAwait(false);
                if (created.Outcome == WriteOutcome.Conflict)
                {
                    continue;
                }

                audit.ProfileChanged(request, userId, "created", created.Version);
                await planner.PlanAsync(userId, profile, created.Version, cancellationToken).ConfigureAwait(false);
                request.HttpContext.Response.Headers.ETag = ProfileETag.For(created.Version);
                return TypedResults.Created("/api/me/profile", ProfileJson.Write(profile));
            }

            if (ProfileETag.IfNoneMatchIsStar(request))
            {
                return Problems.PreconditionFailed("A profile already exists (If-None-Match: *).");
            }

            if (ProfileETag.HasIfMatch(request) && !ProfileETag.Matches(request.Headers.IfMatch, current.Version))
            {
                return Problems.PreconditionFailed("The profile changed since you read it; read it again and retry.");
            }

            // The same profile again changes nothing: no new version, and no week planned again.
            // Dates that have passed since it was stored do not count as a change.
            if (profile.Equals(current.Profile?.WithoutPastDates(clock.GetUtcNow())))
            {
                request.HttpContext.Response.Headers.ETag = ProfileETag.For(current.Version);
                return TypedResults.Ok(ProfileJson.Write(profile));
            }

            var replaced = await profiles.ReplaceAsync(current, profile, cancellationToken).ConfigureAwait(false);
            if (replaced.Outcome == WriteOutcome.Updated)
            {
                audit.ProfileChanged(request, userId, "replaced", replaced.Version);
                await planner.PlanAsync(userId, profile, replaced.Version, cancellationToken).ConfigureAwait(false);
                request.HttpContext.Response.Headers.ETag = ProfileETag.For(replaced.Version);
                return TypedResults.Ok(ProfileJson.Write(profile));
            }
        }

        return Problems.Conflict("The profile is being changed by another request; retry.");
    }

    public async Task<IResult> Get(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        var current = await profiles.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return Problems.NotFound("No profile yet: create one with PUT /api/me/profile.");
        }

        if (current.Profile is not { } profile)
        {
            throw new InvalidOperationException($"Stored profile does not validate: {current.Problem}");
        }

        request.HttpContext.Response.Headers.ETag = ProfileETag.For(current.Version);
        if (request.Headers.IfNoneMatch.Count > 0 && ProfileETag.Matches(request.Headers.IfNoneMatch, current.Version))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(ProfileJson.Write(profile.WithoutPastDates(clock.GetUtcNow())));
    }

    public async Task<IResult> Patch(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        var (patch, problem) = await JsonBody.ReadAsync(request, JsonBody.MergePatch, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (patch.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return Problems.BadRequest("A merge patch must be a JSON object.");
        }

        for (var attempt = 0; attempt < WriteAttempts; attempt++)
        {
            var current = await profiles.GetAsync(userId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return Problems.NotFound("No profile yet: create one with PUT /api/me/profile.");
            }

            if (ProfileETag.HasIfMatch(request) && !ProfileETag.Matches(request.Headers.IfMatch, current.Version))
            {
                return Problems.PreconditionFailed("The profile changed since you read it; read it again and retry.");
            }

            var now = clock.GetUtcNow();
            var merged = MergePatch.Apply(current.Profile is { } existing ? ProfileJson.Write(existing.WithoutPastDates(now)) : [], patch);
            using var document = System.Text.Json.JsonDocument.Parse(merged!.ToJsonString());
            var validation = ProfileJson.Read(document.RootElement, now.Year, now);
            if (validation.Profile is not { } profile)
            {
                return Problems.Validation(validation.Errors);
            }

            if (profile.Equals(current.Profile?.WithoutPastDates(now)))
            {
                request.HttpContext.Response.Headers.ETag = ProfileETag.For(current.Version);
                return TypedResults.Ok(ProfileJson.Write(profile));
            }

            var replaced = await profiles.ReplaceAsync(current, profile, cancellationToken).ConfigureAwait(false);
            if (replaced.Outcome == WriteOutcome.Updated)
            {
                audit.ProfileChanged(request, userId, "patched", replaced.Version);
                await planner.PlanAsync(userId, profile, replaced.Version, cancellationToken).ConfigureAwait(false);
                request.HttpContext.Response.Headers.ETag = ProfileETag.For(replaced.Version);
                return TypedResults.Ok(ProfileJson.Write(profile));
            }
        }

        return Problems.Conflict("The profile is being changed by another request; retry.");
    }
}
