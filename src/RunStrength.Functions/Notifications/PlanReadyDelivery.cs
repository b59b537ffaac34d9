using System.Security.Cryptography;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunStrength.Storage;

namespace RunStrength.Functions.Notifications;

/// <summary>
/// Sends each plan-ready event through the user's channels: the signed webhook and push through the
/// notification hub, each unless the user switched it off. A channel that got the event is recorded,
/// so a redelivered message, or a retry for another channel, never sends it there twice (a crash
/// between sending and recording sends it again, with the same id, for the receiver to drop).
/// 410 Gone switches that channel off; other 4xx except 408 and 429 are not retried; anything else
/// is retried: the event goes back on <c>plan-ready</c> with a delay that doubles per attempt.
/// </summary>
public sealed partial class PlanReadyDelivery(
    IChannelStore channels,
    IPlanReadyOutbox outbox,
    WebhookSecrets secrets,
    WebhookSender webhooks,
    NotificationHub hub,
    TimeProvider clock,
    IOptions<NotificationOptions> options,
    ILogger<PlanReadyDelivery> logger)
{
    public const string WebhookChannel = "webhook";
    public const string PushChannel = "push";

    [Function(nameof(DeliverPlanReady))]
    public async Task DeliverPlanReady([QueueTrigger(PlanQueues.Ready)] string message, CancellationToken cancellationToken)
    {
        var ready = PlanReady.Parse(message);
        var retry = await DeliverAsync(ready, cancellationToken).ConfigureAwait(false);
        if (!retry)
        {
            return;
        }

        var settings = options.Value;
        if (ready.Attempt + 1 >= settings.MaxAttempts)
        {
            LogGivenUp(logger, ready.Id, ready.Attempt + 1);
            return;
        }

        var delay = TimeSpan.FromTicks(Math.Min(settings.MaxRetryDelay.Ticks, settings.RetryDelay.Ticks * (1L << Math.Min(ready.Attempt, 30))));
        await outbox.RetryLaterAsync(ready with { Attempt = ready.Attempt + 1 }, delay, cancellationToken).ConfigureAwait(false);
        LogRetry(logger, ready.Id, ready.Attempt + 1, delay);
    }

    /// <returns>Whether a channel asks for another attempt.</returns>
    public async Task<bool> DeliverAsync(PlanReady ready, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var user = new UserKey(ready.UserKey);
        var switches = await channels.GetSwitchesAsync(user, cancellationToken).ConfigureAwait(false);
        var retry = false;
        if (switches.Webhook && options.Value.WebhooksConfigured
            && await channels.GetWebhookAsync(user, cancellationToken).ConfigureAwait(false) is { Enabled: true } webhook
            && !await channels.WasDeliveredAsync(user, WebhookChannel, ready.Id, cancellationToken).ConfigureAwait(false))
        {
            retry |= await ToWebhookAsync(user, webhook, ready, cancellationToken).ConfigureAwait(false);
        }

        if (switches.Push && hub.Configured
            && (await channels.ListDevicesAsync(user, cancellationToken).ConfigureAwait(false)).Count > 0
            && !await channels.WasDeliveredAsync(user, PushChannel, ready.Id, cancellationToken).ConfigureAwait(false))
        {
            var result = await hub.SendPlanReadyAsync(ready, cancellationToken).ConfigureAwait(false);
            retry |= await SettleAsync(user, PushChannel, ready.Id, result, cancellationToken).ConfigureAwait(false);
            if (result.Outcome == DeliveryOutcome.Gone)
            {
                await channels.SetSwitchesAsync(user, switches with { Push = false, PushDisabledReason = "410 Gone from the notification hub" }, cancellationToken).ConfigureAwait(false);
            }
        }

        return retry;
    }

    private async Task<bool> ToWebhookAsync(UserKey user, Storage.WebhookChannel webhook, PlanReady ready, CancellationToken cancellationToken)
    {
        string secret;
        try
        {
            secret = secrets.Unprotect(user, webhook.ProtectedSecret);
        }
        catch (CryptographicException)
        {
            // Sealed with another key or for another user: never sendable, so not retried.
            LogUnreadableSecret(logger, ready.Id);
            return false;
        }

        var result = await webhooks.SendAsync(webhook.Url, secret, ready.Id, PlanReadyEvent.Body(ready), cancellationToken).ConfigureAwait(false);
        if (result.Outcome == DeliveryOutcome.Gone)
        {
            await channels.DisableWebhookAsync(user, "410 Gone", cancellationToken).ConfigureAwait(false);
        }

        return await SettleAsync(user, WebhookChannel, ready.Id, result, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> SettleAsync(UserKey user, string channel, string id, DeliveryResult result, CancellationToken cancellationToken)
    {
        LogAttempt(logger, id, channel, result.Outcome, result.Status);
        if (result.Outcome == DeliveryOutcome.Retry)
        {
            return true;
        }

        // Delivered, gone or rejected: settled for this channel, never sent there again.
        await channels.MarkDeliveredAsync(user, channel, id, result.Status, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Plan-ready {EventId} via {Channel}: {Outcome} ({Status})")]
    private static partial void LogAttempt(ILogger logger, string eventId, string channel, DeliveryOutcome outcome, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plan-ready {EventId}: attempt {Attempt} failed; retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, string eventId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Plan-ready {EventId}: given up after {Attempts} attempts")]
    private static partial void LogGivenUp(ILogger logger, string eventId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Plan-ready {EventId}: the webhook secret cannot be decrypted with the configured key")]
    private static partial void LogUnreadableSecret(ILogger logger, string eventId);
}
