using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Calendar;
using RunStrength.Functions.Exercises;
using RunStrength.Functions.Health;
using RunStrength.Functions.Http;
using RunStrength.Functions.OpenApi;
using RunStrength.Functions.Web;

namespace RunStrength.Functions.Auth;

/// <summary>
/// Default-deny: every HTTP function needs an authenticated user before its handler runs, except
/// the few named in <see cref="Anonymous"/>. A new function is private until someone adds it here.
/// The functions in <see cref="DevelopmentOnly"/> answer 404 to everyone outside Development.
/// </summary>
public sealed class AuthenticationMiddleware(IAuthenticator authenticator, IOptions<AuthOptions> options, IHostEnvironment environment, AuditLog audit) : IFunctionsWorkerMiddleware
{
    /// <summary>
    /// Functions anyone may call: liveness, the API description, the token-in-URL calendar feed (and
    /// its deprecated token-in-path route), the exercise catalogue, and the web page with its files
    /// and sign-in settings.
    /// </summary>
    public static readonly FrozenSet<string> Anonymous = FrozenSet.ToFrozenSet(
        [
            nameof(HealthFunctions.GetHealth), nameof(OpenApiFunctions.GetOpenApi), nameof(CalendarFunctions.GetCalendarFeed),
            nameof(CalendarFunctions.GetCalendarFeedByPath), nameof(ExerciseFunctions.ListExercises),
            nameof(WebPageFunctions.GetWebPage), nameof(WebPageFunctions.GetWebAsset), nameof(WebConfigFunctions.GetWebConfig),
        ],
        StringComparer.Ordinal);

    /// <summary>Anonymous in Development (the development sign-in), and 404 for everyone anywhere else.</summary>
    public static readonly FrozenSet<string> DevelopmentOnly = FrozenSet.ToFrozenSet([nameof(DevSignInFunctions.IssueDevToken)], StringComparer.Ordinal);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is { } http && await GateAsync(context.FunctionDefinition.Name, http).ConfigureAwait(false) is { } refusal)
        {
            context.GetInvocationResult().Value = new ResultAction(refusal);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>Null when the function may run; otherwise the 401 or 403 to answer instead.</summary>
    public async Task<IResult?> GateAsync(string functionName, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (DevelopmentOnly.Contains(functionName))
        {
            return DevSignInFunctions.IsAvailable(environment, options.Value) ? null : DevSignInFunctions.NotHere();
        }

        if (Anonymous.Contains(functionName))
        {
            return null;
        }

        // Everything behind authentication is personal data: no shared or private cache keeps it.
        http.Response.Headers.CacheControl = "no-store";
        var result = await authenticator.CheckAsync(http.Request).ConfigureAwait(false);
        if (result.Outcome != AuthOutcome.Authenticated)
        {
            audit.AuthFailed(http.Request, result);
        }

        switch (result.Outcome)
        {
            case AuthOutcome.Authenticated:
                return null;
            case AuthOutcome.Forbidden:
                var scope = options.Value.RequiredScope;
                http.Response.Headers.WWWAuthenticate = string.IsNullOrWhiteSpace(scope)
                    ? "Bearer error=\"insufficient_scope\""
                    : $"Bearer error=\"insufficient_scope\", scope=\"{scope}\"";
                return Problems.Forbidden();
            case AuthOutcome.Invalid:
                http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                return Problems.Unauthorized();
            default:
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Problems.Unauthorized();
        }
    }
}
