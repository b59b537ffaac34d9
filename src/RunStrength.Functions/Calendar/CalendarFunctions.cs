using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Http;
using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Storage;

namespace RunStrength.Functions.Calendar;

/// <summary>The private calendar feed: a token in the URL is the only credential a calendar app can send.</summary>
public sealed class CalendarFunctions(
    IAuthenticator authenticator,
    AuditLog audit,
    ICalendarTokenStore tokens,
    IProfileStore profiles,
    IPlanStore plans,
    TimeProvider clock,
    IOptions<CalendarOptions> options)
{
    public const int WeeksBack = 2;
    public const int WeeksAhead = 1;

    [Function(nameof(CreateCalendarFeed))]
    public Task<IActionResult> CreateCalendarFeed([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/me/calendar")] HttpRequest request, CancellationToken cancellationToken) =>
        Create(request, cancellationToken).AsAction();

    [Function(nameof(DeleteCalendarFeed))]
    public Task<IActionResult> DeleteCalendarFeed([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/me/calendar")] HttpRequest request, CancellationToken cancellationToken) =>
        Revoke(request, cancellationToken).AsAction();

    /// <summary>
    /// The feed's route. The token rides in the query (<see cref="TokenParameter"/>) because the
    /// Functions host's own request telemetry records the path but strips query strings; calendar
    /// apps only need the path to end in <c>.ics</c>.
    /// </summary>
    public const string FeedRoute = "api/calendar/feed.ics";

    /// <summary>The query parameter that carries the feed token.</summary>
    public const string TokenParameter = "token";

    [Function(nameof(GetCalendarFeed))]
    public Task<IActionResult> GetCalendarFeed([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FeedRoute)] HttpRequest request, CancellationToken cancellationToken) =>
        Feed(request, cancellationToken).AsAction();

    /// <summary>
    /// Deprecated: the token in the path, as URLs were issued before <see cref="FeedRoute"/>. Kept so
    /// subscribed calendars keep working; these URLs reach the host's request telemetry, so rotating
    /// once (POST /api/me/calendar) moves a user to the query form.
    /// </summary>
    [Function(nameof(GetCalendarFeedByPath))]
    public Task<IActionResult> GetCalendarFeedByPath([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/calendar/{token}.ics")] HttpRequest request, string token, CancellationToken cancellationToken) =>
        Feed(request, token, cancellationToken).AsAction();

    /// <summary>The URL a calendar app subscribes to: the token only in the query, never in the path.</summary>
    public static string FeedUrl(string origin, string token) => $"{origin}/{FeedRoute}?{TokenParameter}={Uri.EscapeDataString(token)}";

    public async Task<IResult> Create(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        if (!options.Value.FeedsConfigured)
        {
            return NotConfigured();
        }

        if (await profiles.GetAsync(userId, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound("No profile yet: create one with PUT /api/me/profile.");
        }

        var token = await tokens.CreateOrRotateAsync(userId, cancellationToken).ConfigureAwait(false);
        audit.CalendarFeedRotated(request, userId);
        var origin = options.Value.PublicBaseUrl?.ToString().TrimEnd('/') ?? $"{request.Scheme}://{request.Host}";
        return TypedResults.Ok(new JsonObject { ["url"] = FeedUrl(origin, token) });
    }

    /// <summary>Every feed URL of the caller stops working and none replaces it; 204 also when there was none, so a retry is harmless.</summary>
    public async Task<IResult> Revoke(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        await tokens.RevokeAsync(userId, cancellationToken).ConfigureAwait(false);
        audit.CalendarFeedRevoked(request, userId);
        return TypedResults.NoContent();
    }

    /// <summary>The feed for the token in the query; a missing, blank or repeated token is an unknown one.</summary>
    public Task<IResult> Feed(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = request.Query.TryGetValue(TokenParameter, out var values) && values.Count == 1 ? values[0] : null;
        return Feed(request, token, cancellationToken);
    }

    public async Task<IResult> Feed(HttpRequest request, string? token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!options.Value.FeedsConfigured)
        {
            return NotConfigured();
        }

        var userId = token is { Length: > 20 and < 100 } ? await tokens.ResolveAsync(token, cancellationToken).ConfigureAwait(false) : null;
        var profile = userId is null ? null : await profiles.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        if (userId is null || profile?.Profile is null)
        {
            return Problems.NotFound("Unknown or revoked calendar link.");
        }

        var current = WeekClock.WeekContaining(clock.GetUtcNow(), profile.Profile.TimeZone);
        var weeks = Enumerable.Range(-WeeksBack, WeeksBack + WeeksAhead + 1).Select(current.Plus);
        var found = await Task.WhenAll(weeks.Select(w => plans.GetAsync(userId, w, cancellationToken))).ConfigureAwait(false);
        var ics = IcsFeed.Build(IcsFeed.UserTag(options.Value.UidKey(), profile.Key), profile.Profile.TimeZone, found.OfType<WeekPlan>());
        request.HttpContext.Response.Headers.CacheControl = "private, max-age=900";
        return TypedResults.Text(ics, "text/calendar; charset=utf-8");
    }

    private static ProblemHttpResult NotConfigured() =>
        Problems.Unavailable("Calendar feeds are not configured on this server (Calendar__UidSecretKey).");
}
