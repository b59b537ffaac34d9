using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RunStrength.Storage;

namespace RunStrength.Functions.Notifications;

/// <summary>How one attempt at a channel ended, in the terms delivery acts on.</summary>
public enum DeliveryOutcome
{
    Delivered,

    /// <summary>410 Gone: the channel is switched off.</summary>
    Gone,

    /// <summary>A 4xx other than 408 and 429, or an address the guard refused: not retried.</summary>
    Rejected,

    /// <summary>408, 429, 5xx, a timeout or a network failure: tried again later.</summary>
    Retry,
}

public readonly record struct DeliveryResult(DeliveryOutcome Outcome, int Status)
{
    public static DeliveryResult Of(HttpStatusCode status) => new((int)status switch
    {
        >= 200 and < 300 => DeliveryOutcome.Delivered,
        410 => DeliveryOutcome.Gone,
        408 or 429 => DeliveryOutcome.Retry,
        >= 400 and < 500 => DeliveryOutcome.Rejected,
        _ => DeliveryOutcome.Retry,
    }, (int)status);
}

/// <summary>
/// The plan-ready event as CloudEvents 1.0 JSON (structured mode): type <c>runstrength.plan.ready</c>,
/// the ISO week as subject, and as data the week's summary and the API path that returns it.
/// </summary>
public static class PlanReadyEvent
{
    public const string Type = "runstrength.plan.ready";
    public const string TestType = "runstrength.webhook.test";
    public const string ContentType = "application/cloudevents+json";

    public static string Body(PlanReady ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        return Envelope(ready.Id, Type, ready.Week, ready.BuiltAt, new JsonObject
        {
            ["week"] = ready.Week,
            ["weekStart"] = ready.Summary.WeekStart,
            ["phase"] = ready.Summary.Phase,
            ["blockWeek"] = ready.Summary.BlockWeek,
            ["profileVersion"] = ready.ProfileVersion,
            ["summary"] = new JsonObject
            {
                ["runMinutes"] = ready.Summary.RunMinutes,
                ["hardRunSessions"] = ready.Summary.HardRunSessions,
                ["strengthSessions"] = ready.Summary.StrengthSessions,
                ["sessionCount"] = ready.Summary.SessionCount,
            },
            ["path"] = $"/api/me/plans/{ready.Week}",
        });
    }

    public static string TestBody(string id, DateTimeOffset now) =>
        Envelope(id, TestType, null, now, new JsonObject { ["message"] = "A test event from RunStrength: this webhook works." });

    private static string Envelope(string id, string type, string? subject, DateTimeOffset time, JsonObject data)
    {
        var envelope = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["source"] = "/api/me/plans",
            ["type"] = type,
            ["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["datacontenttype"] = "application/json",
            ["data"] = data,
        };
        if (subject is not null)
        {
            envelope["subject"] = subject;
        }

        return envelope.ToJsonString();
    }
}

/// <summary>
/// Sends one signed event to a webhook (Standard Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature</c>). Its HTTP client connects through <see cref="AddressGuard"/> and follows
/// no redirects, so a receiver cannot bounce a delivery inside the network.
/// </summary>
public sealed class WebhookSender(HttpClient http, TimeProvider clock)
{
    public const string ClientName = "webhooks";

    public async Task<DeliveryResult> SendAsync(Uri url, string secret, string id, string body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, PlanReadyEvent.ContentType),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, id, timestamp, body));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return DeliveryResult.Of(response.StatusCode);
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookRefusedException)
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, 0);
        }
        catch (HttpRequestException)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, 0);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The client's timeout.
            return new DeliveryResult(DeliveryOutcome.Retry, 0);
        }
    }
}
