using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Http;
using RunStrength.Storage;

namespace RunStrength.Functions.Notifications;

/// <summary>
/// The caller's notification channels: a signed webhook (<c>/api/me/webhook</c>), push devices
/// (<c>/api/me/devices/{installationId}</c>) and the switches for both (<c>/api/me/notifications</c>).
/// </summary>
public sealed partial class NotificationFunctions(
    IAuthenticator authenticator,
    IChannelStore channels,
    WebhookSecrets secrets,
    WebhookSender webhooks,
    AddressGuard guard,
    NotificationHub hub,
    TimeProvider clock,
    IOptions<NotificationOptions> options)
{
    public const int MaxUrlLength = 2048;

    [Function(nameof(PutWebhook))]
    public Task<IActionResult> PutWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/me/webhook")] HttpRequest request, CancellationToken cancellationToken) =>
        SetWebhook(request, cancellationToken).AsAction();

    [Function(nameof(DeleteWebhook))]
    public Task<IActionResult> DeleteWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/me/webhook")] HttpRequest request, CancellationToken cancellationToken) =>
        RemoveWebhook(request, cancellationToken).AsAction();

    [Function(nameof(TestWebhook))]
    public Task<IActionResult> TestWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/me/webhook/test")] HttpRequest request, CancellationToken cancellationToken) =>
        SendTest(request, cancellationToken).AsAction();

    [Function(nameof(PutDevice))]
    public Task<IActionResult> PutDevice([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/me/devices/{installationId}")] HttpRequest request, string installationId, CancellationToken cancellationToken) =>
        SetDevice(request, installationId, cancellationToken).AsAction();

    [Function(nameof(DeleteDevice))]
    public Task<IActionResult> DeleteDevice([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/me/devices/{installationId}")] HttpRequest request, string installationId, CancellationToken cancellationToken) =>
        RemoveDevice(request, installationId, cancellationToken).AsAction();

    [Function(nameof(PutNotificationSettings))]
    public Task<IActionResult> PutNotificationSettings([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/me/notifications")] HttpRequest request, CancellationToken cancellationToken) =>
        SetSwitches(request, cancellationToken).AsAction();

    public async Task<IResult> SetWebhook(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        if (!options.Value.WebhooksConfigured)
        {
            return Problems.Unavailable("Webhooks are not configured on this server (Notifications__SecretKey).");
        }

        var (body, problem) = await JsonBody.ReadAsync(request, JsonBody.Json, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        Uri? url = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be a JSON object."];
        }
        else
        {
            foreach (var property in body.EnumerateObject())
            {
                if (property.Name != "url")
                {
                    errors[property.Name] = ["is not a known field."];
                }
                else if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString()!.Length > MaxUrlLength
                    || !Uri.TryCreate(property.Value.GetString(), UriKind.Absolute, out url))
                {
                    errors["url"] = [$"must be an absolute https URL of at most {MaxUrlLength} characters."];
                }
                else if (await CheckAddressAsync(url, cancellationToken).ConfigureAwait(false) is { } refused)
                {
                    errors["url"] = [refused];
                }
            }

            if (url is null && !errors.ContainsKey("url"))
            {
                errors["url"] = ["is required."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var user = UserKey.For(userId);
        var secret = WebhookSecrets.Create();
        await channels.SetWebhookAsync(user, url!, secrets.Protect(user, secret), clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new JsonObject { ["url"] = url!.AbsoluteUri, ["secret"] = secret, ["enabled"] = true });
    }

    public async Task<IResult> RemoveWebhook(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        return await channels.DeleteWebhookAsync(UserKey.For(userId), cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : Problems.NotFound("No webhook is registered.");
    }

    public async Task<IResult> SendTest(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        var user = UserKey.For(userId);
        if (!options.Value.WebhooksConfigured || await channels.GetWebhookAsync(user, cancellationToken).ConfigureAwait(false) is not { } webhook)
        {
            return Problems.NotFound("No webhook is registered.");
        }

        var id = $"evt_test_{Guid.NewGuid():N}";
        var result = await webhooks.SendAsync(webhook.Url, secrets.Unprotect(user, webhook.ProtectedSecret), id, PlanReadyEvent.TestBody(id, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new JsonObject
        {
            ["id"] = id,
            ["delivered"] = result.Outcome == DeliveryOutcome.Delivered,
            ["status"] = result.Status,
        });
    }

    public async Task<IResult> SetDevice(HttpRequest request, string installationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        var errors = new Dictionary<string, string[]>();
        if (!InstallationId().IsMatch(installationId ?? ""))
        {
            errors["installationId"] = ["must be 1 to 64 letters, digits, '-' or '_'."];
        }

        var (body, problem) = await JsonBody.ReadAsync(request, JsonBody.Json, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        string? platform = null, pushChannel = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be a JSON object."];
        }
        else
        {
            foreach (var property in body.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "platform" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is "apns" or "fcmv1":
                        platform = property.Value.GetString();
                        break;
                    case "platform":
                        errors["platform"] = ["must be one of: apns, fcmv1."];
                        break;
                    case "pushChannel" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Length is > 0 and <= 4096:
                        pushChannel = property.Value.GetString();
                        break;
                    case "pushChannel":
                        errors["pushChannel"] = ["must be the device token (APNs) or registration token (FCM), at most 4096 characters."];
                        break;
                    default:
                        errors[property.Name] = ["is not a known field."];
                        break;
                }
            }

            if (platform is null && !errors.ContainsKey("platform"))
            {
                errors["platform"] = ["is required."];
            }

            if (pushChannel is null && !errors.ContainsKey("pushChannel"))
            {
                errors["pushChannel"] = ["is required."];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (!hub.Configured)
        {
            return Problems.Unavailable("Push notifications are not configured on this server (Notifications__HubConnectionString).");
        }

        var user = UserKey.For(userId);
        var device = new PushDevice(installationId!, NotificationHub.HubInstallationId(user, installationId!), platform!);
        var result = await hub.PutInstallationAsync(user, device, pushChannel!, cancellationToken).ConfigureAwait(false);
        if (result.Outcome != DeliveryOutcome.Delivered)
        {
            return Problems.Unavailable($"The notification hub answered {result.Status}; try again later.");
        }

        await channels.AddDeviceAsync(user, device, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new JsonObject { ["installationId"] = installationId, ["platform"] = platform });
    }

    public async Task<IResult> RemoveDevice(HttpRequest request, string installationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        if (!InstallationId().IsMatch(installationId ?? ""))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["installationId"] = ["must be 1 to 64 letters, digits, '-' or '_'."] });
        }

        var user = UserKey.For(userId);
        var hubId = NotificationHub.HubInstallationId(user, installationId!);
        if (hub.Configured)
        {
            var result = await hub.DeleteInstallationAsync(hubId, cancellationToken).ConfigureAwait(false);
            if (result.Outcome == DeliveryOutcome.Retry)
            {
                return Problems.Unavailable($"The notification hub answered {result.Status}; try again later.");
            }
        }

        return await channels.RemoveDeviceAsync(user, hubId, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : Problems.NotFound($"No device '{installationId}' is registered.");
    }

    public async Task<IResult> SetSwitches(HttpRequest request, CancellationToken cancellationToken)
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

        var errors = new Dictionary<string, string[]>();
        bool? push = null, webhook = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be a JSON object."];
        }
        else
        {
            foreach (var property in body.EnumerateObject())
            {
                var value = property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? property.Value.GetBoolean() : (bool?)null;
                switch (property.Name)
                {
                    case "push" or "webhook" when value is null:
                        errors[property.Name] = ["must be true or false."];
                        break;
                    case "push":
                        push = value;
                        break;
                    case "webhook":
                        webhook = value;
                        break;
                    default:
                        errors[property.Name] = ["is not a known field."];
                        break;
                }
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var user = UserKey.For(userId);
        var current = await channels.GetSwitchesAsync(user, cancellationToken).ConfigureAwait(false);
        var next = new ChannelSwitches(push ?? current.Push, webhook ?? current.Webhook, push is null ? current.PushDisabledReason : null);
        await channels.SetSwitchesAsync(user, next, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new JsonObject { ["push"] = next.Push, ["webhook"] = next.Webhook });
    }

    /// <summary>The URL's form, then every address its host resolves to now (the sender checks again at connect time).</summary>
    private async Task<string?> CheckAddressAsync(Uri url, CancellationToken cancellationToken)
    {
        if (guard.CheckUrl(url) is { } refused)
        {
            return refused;
        }

        if (IPAddress.TryParse(url.IdnHost, out _))
        {
            return null;
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken).ConfigureAwait(false);
            return addresses.Length > 0 && addresses.All(guard.Allows) ? null : "must not resolve to a private, loopback, link-local or metadata address.";
        }
        catch (System.Net.Sockets.SocketException)
        {
            return "has a host name that does not resolve.";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex InstallationId();
}
