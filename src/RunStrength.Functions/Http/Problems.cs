using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace RunStrength.Functions.Http;

/// <summary>RFC 9457 problem responses, each with a stable <c>type</c> a client can switch on.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>401 with a bearer challenge: the middleware's own <c>WWW-Authenticate</c> if it set one, else <c>Bearer</c> (RFC 6750).</summary>
    public static IResult Unauthorized() =>
        new Challenge(Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Authentication required", "Send a valid bearer token in the Authorization header."));

    public static ProblemHttpResult Forbidden() =>
        Problem(StatusCodes.Status403Forbidden, "forbidden", "Not allowed", "The token is valid but not issued for this API: it lacks the required scope or role, or acts for no user.");

    public static ProblemHttpResult TooManyRequests(TimeSpan retryAfter) =>
        Problem(StatusCodes.Status429TooManyRequests, "too-many-requests", "Too many requests", $"Try again in {RetryAfterSeconds(retryAfter)} seconds.");

    /// <summary>Whole seconds for <c>Retry-After</c>, rounded up and at least 1.</summary>
    public static int RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    public static ProblemHttpResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "not-found", "Not found", detail);

    public static ProblemHttpResult PreconditionFailed(string detail) =>
        Problem(StatusCodes.Status412PreconditionFailed, "precondition-failed", "Precondition failed", detail);

    public static ProblemHttpResult Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, "conflict", "Conflict", detail);

    public static ProblemHttpResult TooLarge(int limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Request body too large", $"The body may be at most {limit} bytes.");

    public static ProblemHttpResult UnsupportedMediaType(string expected) =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", $"Send the body as {expected}.");

    public static ProblemHttpResult BadRequest(string detail) =>
        Problem(StatusCodes.Status400BadRequest, "bad-request", "Bad request", detail);

    public static ProblemHttpResult Unavailable(string detail) =>
        Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", "Service unavailable", detail);

    public static ProblemHttpResult ServerError() =>
        Problem(StatusCodes.Status500InternalServerError, "server-error", "Something went wrong", "The error was logged; please try again later.");

    /// <summary>400 with <c>errors: {field: [messages]}</c>, every problem found at once.</summary>
    public static ProblemHttpResult Validation(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Type = Type("validation"),
            Title = "The request is not valid",
            Detail = $"Invalid fields: {string.Join(", ", errors.Keys)}.",
            Extensions = { ["errors"] = errors },
        });

    public static string Type(string name) => $"urn:runstrength:problem:{name}";

    private sealed class Challenge(ProblemHttpResult problem) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            if (httpContext.Response.Headers.WWWAuthenticate.Count == 0)
            {
                httpContext.Response.Headers.WWWAuthenticate = "Bearer";
            }

            return problem.ExecuteAsync(httpContext);
        }
    }

    private static ProblemHttpResult Problem(int status, string type, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: Type(type));
}
