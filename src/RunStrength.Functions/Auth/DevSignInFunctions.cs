using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RunStrength.DevToken;
using RunStrength.Functions.Http;

namespace RunStrength.Functions.Auth;

/// <summary>
/// <c>POST /api/dev/token</c>: the web client's development sign-in, any user id for a token signed
/// with the development HS256 key (as tools/RunStrength.DevToken mints). It exists only in the
/// Development environment with a signing key: anywhere else every caller gets 404, from the
/// middleware (<see cref="AuthenticationMiddleware.DevelopmentOnly"/>) and again here.
/// </summary>
public sealed class DevSignInFunctions(IOptions<AuthOptions> options, IHostEnvironment environment)
{
    public const int MaxUserIdLength = 128;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    [Function(nameof(IssueDevToken))]
    public Task<IActionResult> IssueDevToken([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/dev/token")] HttpRequest request, CancellationToken cancellationToken) =>
        Issue(request, cancellationToken).AsAction();

    /// <summary>True only in Development with an HS256 key: the one place a token may be minted by the app.</summary>
    public static bool IsAvailable(IHostEnvironment environment, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        return environment.IsDevelopment() && !string.IsNullOrWhiteSpace(options.SigningKey);
    }

    public async Task<IResult> Issue(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsAvailable(environment, options.Value))
        {
            return NotHere();
        }

        var (body, problem) = await JsonBody.ReadAsync(request, JsonBody.Json, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var userId = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("userId", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (string.IsNullOrEmpty(userId) || userId.Length > MaxUserIdLength || userId.Any(char.IsControl))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["userId"] = [$"must be 1 to {MaxUserIdLength} characters, without control characters."] });
        }

        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new DevToken(Mint(options.Value, userId), "Bearer", (int)Lifetime.TotalSeconds));
    }

    /// <summary>The answer outside Development: as if the route were never there.</summary>
    public static IResult NotHere() => Problems.NotFound("There is no such route.");

    /// <summary>
    /// Minted as tools/RunStrength.DevToken mints (the same code), signed against the real clock,
    /// not the app's test clock: the authenticator judges a token's lifetime by the real time, and
    /// a pinned day in the past would make it expired at birth.
    /// </summary>
    private static string Mint(AuthOptions options, string userId) => DevTokens.Mint(
        new DevTokens.Settings(options.Issuer, options.Audience, options.SigningKey!, options.RequiredScope, options.RequiredRole),
        userId,
        Lifetime,
        TimeProvider.System.GetUtcNow());
}

/// <summary>The body of <c>POST /api/dev/token</c>: an OAuth-style token response.</summary>
public sealed record DevToken(string AccessToken, string TokenType, int ExpiresIn);
