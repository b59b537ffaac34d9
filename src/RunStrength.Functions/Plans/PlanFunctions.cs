using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Http;
using RunStrength.Functions.Scheduling;
using RunStrength.Planning;
using RunStrength.Planning.Serialization;
using RunStrength.Storage;

namespace RunStrength.Functions.Plans;

/// <summary><c>/api/me/plans...</c>: one week's plan, or the caller's weeks newest first.</summary>
public sealed class PlanFunctions(IAuthenticator authenticator, IProfileStore profiles, IPlanStore plans, TimeProvider clock, IOptions<WeeklyPlanOptions> options, PlanCursor cursor)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    [Function(nameof(GetCurrentPlan))]
    public Task<IActionResult> GetCurrentPlan([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me/plans/current")] HttpRequest request, CancellationToken cancellationToken) =>
        Week(request, "current", cancellationToken).AsAction();

    [Function(nameof(GetNextPlan))]
    public Task<IActionResult> GetNextPlan([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me/plans/next")] HttpRequest request, CancellationToken cancellationToken) =>
        Week(request, "next", cancellationToken).AsAction();

    [Function(nameof(GetPlanByWeek))]
    public Task<IActionResult> GetPlanByWeek([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me/plans/{week}")] HttpRequest request, string week, CancellationToken cancellationToken) =>
        Week(request, week, cancellationToken).AsAction();

    [Function(nameof(ListPlans))]
    public Task<IActionResult> ListPlans([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me/plans")] HttpRequest request, CancellationToken cancellationToken) =>
        List(request, cancellationToken).AsAction();

    /// <param name="which"><c>current</c>, <c>next</c> or an ISO week such as <c>2026-W49</c>.</param>
    public async Task<IResult> Week(HttpRequest request, string which, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        IsoWeek week;
        if (which is "current" or "next")
        {
            var profile = await profiles.GetAsync(userId, cancellationToken).ConfigureAwait(false);
            if (profile?.Profile is null)
            {
                return Problems.NotFound("No profile yet: create one with PUT /api/me/profile.");
            }

            week = WeekClock.WeekContaining(clock.GetUtcNow(), profile.Profile.TimeZone);
            week = which == "next" ? week.Next() : week;
        }
        else if (!IsoWeek.TryParse(which, out week))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["week"] = ["must be an ISO week such as 2026-W49, or current, or next."] });
        }

        var plan = await plans.GetAsync(userId, week, cancellationToken).ConfigureAwait(false);
        return plan is null
            ? Problems.NotFound($"No plan for {week} yet: a week is built {LeadTime(options.Value.LeadTime)} before it starts (Monday 00:00 in your time zone).")
            : TypedResults.Json(plan, PlanJson.Options);
    }

    public async Task<IResult> List(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        var errors = new Dictionary<string, string[]>();
        var from = ParseWeek(request.Query["from"], "from", errors);
        var to = ParseWeek(request.Query["to"], "to", errors);
        var pageSize = DefaultPageSize;
        if (request.Query["pageSize"].ToString() is { Length: > 0 } size
            && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            errors["pageSize"] = [$"must be a whole number from 1 to {MaxPageSize}."];
        }

        if (from is { } f && to is { } t && f > t)
        {
            errors["from"] = ["must not be after to."];
        }

        var user = UserKey.For(userId);
        var query = new PlanQuery(from, to, pageSize);
        IsoWeek? resumeAt = null;
        var token = request.Query["continuationToken"].ToString();
        if (token.Length > 0 && errors.Count == 0)
        {
            // Checked against this caller and this query: a token is good only where it was issued.
            resumeAt = cursor.TryRead(token, user, query, out var week) ? week : null;
            if (resumeAt is null)
            {
                errors["continuationToken"] = ["is not a token this API issued for this listing: send back the continuationToken of the previous page as it came, with the same from, to and pageSize."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var page = await plans.ListAsync(userId, from, to, pageSize, resumeAt, cancellationToken).ConfigureAwait(false);
        var next = page.Next is { } n ? cursor.Issue(user, query, n) : null;
        return TypedResults.Json(new PlanPage(page.Items, next), PlanJson.Options);
    }

    /// <summary>The configured lead time in words: "48 hours", "90 minutes".</summary>
    public static string LeadTime(TimeSpan leadTime) => leadTime.TotalMinutes % 60 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{leadTime.TotalHours:0} hours")
        : string.Create(CultureInfo.InvariantCulture, $"{leadTime.TotalMinutes:0} minutes");

    private static IsoWeek? ParseWeek(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (IsoWeek.TryParse(text, out var week))
        {
            return week;
        }

        errors[field] = ["must be an ISO week such as 2026-W49."];
        return null;
    }
}

/// <summary>A page of week summaries and the token for the next page, if any.</summary>
public sealed record PlanPage(IReadOnlyList<PlanListing> Items, string? ContinuationToken);
