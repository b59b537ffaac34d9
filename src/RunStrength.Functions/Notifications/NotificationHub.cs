using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using RunStrength.Storage;

namespace RunStrength.Functions.Notifications;

/// <summary>The parts of a hub connection string: <c>Endpoint=sb://{namespace}.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…</c>.</summary>
public sealed record HubConnection(Uri Endpoint, string KeyName, string Key)
{
    public static HubConnection? TryParse(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("Endpoint", out var endpoint) && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            && parts.TryGetValue("SharedAccessKeyName", out var name) && parts.TryGetValue("SharedAccessKey", out var key)
            ? new HubConnection(new UriBuilder(uri) { Scheme = "https", Port = -1 }.Uri, name, key)
            : null;
    }
}

/// <summary>
/// Azure Notification Hubs through its REST API (no SDK here): installations tagged with the user
/// key, and template sends to that tag. Requests carry a Shared Access Signature made from the
/// connection string's key, valid for a few minutes.
/// </summary>
public sealed class NotificationHub(HttpClient http, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public const string ClientName = "notification-hub";
    public const string ApiVersion = "2015-01";
    public const string TemplateName = "planReady";

    public static string Tag(UserKey user) => $"user:{user.Value}";

    /// <summary>
    /// The hub's id of a user's installation: the app's id hashed with the user key, so one
    /// user can never overwrite or remove another user's installation by sending its id.
    /// </summary>
    public static string HubInstallationId(UserKey user, string installationId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{user.Value}:{installationId}")));

    public bool Configured => options.Value.PushConfigured;

    public Task<DeliveryResult> PutInstallationAsync(UserKey user, PushDevice device, string pushChannel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var tag = Tag(user);
        var installation = new JsonObject
        {
            ["installationId"] = device.HubInstallationId,
            ["platform"] = device.Platform,
            ["pushChannel"] = pushChannel,
            ["tags"] = new JsonArray(tag),
            ["templates"] = new JsonObject
            {
                [TemplateName] = new JsonObject { ["body"] = Template(device.Platform), ["tags"] = new JsonArray(TemplateName) },
            },
        };
        return SendAsync(HttpMethod.Put, $"installations/{device.HubInstallationId}", installation.ToJsonString(), null, cancellationToken);
    }

    public Task<DeliveryResult> DeleteInstallationAsync(string hubInstallationId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"installations/{hubInstallationId}", null, null, cancellationToken);

    /// <summary>The template notification to every installation tagged with the user: it names the week.</summary>
    public Task<DeliveryResult> SendPlanReadyAsync(PlanReady ready, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var properties = new JsonObject
        {
            ["title"] = "Your next week is ready",
            ["body"] = $"Week {ready.Week} from {ready.Summary.WeekStart}: {ready.Summary.SessionCount} sessions.",
            ["week"] = ready.Week,
            ["path"] = $"/api/me/plans/{ready.Week}",
        };
        return SendAsync(HttpMethod.Post, "messages/", properties.ToJsonString(), Tag(new UserKey(ready.UserKey)), cancellationToken);
    }

    /// <summary>
    /// <c>SharedAccessSignature sr={uri}&amp;sig={signature}&amp;se={expiry}&amp;skn={keyName}</c>: the
    /// HMAC-SHA256, keyed with the key's UTF-8 bytes, of the URL-encoded lower-case resource URI,
    /// a newline and the expiry in Unix seconds.
    /// </summary>
    public static string SasToken(Uri resource, string keyName, string key, DateTimeOffset expiry)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var encoded = WebUtility.UrlEncode(resource.AbsoluteUri.ToLowerInvariant());
        var se = expiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{encoded}\n{se}")));
        return $"SharedAccessSignature sr={encoded}&sig={WebUtility.UrlEncode(signature)}&se={se}&skn={keyName}";
    }

    private static string Template(string platform) => platform switch
    {
        "apns" => """{"aps":{"alert":{"title":"$(title)","body":"$(body)"}},"week":"$(week)","path":"$(path)"}""",
        _ => """{"message":{"notification":{"title":"$(title)","body":"$(body)"},"data":{"week":"$(week)","path":"$(path)"}}}""",
    };

    private async Task<DeliveryResult> SendAsync(HttpMethod method, string path, string? body, string? tags, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var connection = HubConnection.TryParse(settings.HubConnectionString) ?? throw new InvalidOperationException("The notification hub is not configured.");
        var hub = new Uri(settings.HubEndpoint ?? connection.Endpoint, $"{settings.HubName}/");
        using var request = new HttpRequestMessage(method, new Uri(hub, $"{path}?api-version={ApiVersion}"));
        request.Headers.TryAddWithoutValidation("Authorization", SasToken(new Uri(connection.Endpoint, settings.HubName), connection.KeyName, connection.Key, clock.GetUtcNow().AddMinutes(10)));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        if (tags is not null)
        {
            request.Headers.Add("ServiceBusNotification-Format", "template");
            request.Headers.Add("ServiceBusNotification-Tags", tags);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return DeliveryResult.Of(response.StatusCode);
        }
        catch (HttpRequestException)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, 0);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryResult(DeliveryOutcome.Retry, 0);
        }
    }
}
