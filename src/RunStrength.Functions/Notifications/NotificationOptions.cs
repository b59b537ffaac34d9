using System.ComponentModel.DataAnnotations;
using RunStrength.Functions.Configuration;

namespace RunStrength.Functions.Notifications;

/// <summary>Plan-ready delivery: webhook secrets, the notification hub and retries. Bound from section <c>Notifications</c>.</summary>
public sealed class NotificationOptions : IValidatableObject
{
    public const string Section = "Notifications";

    /// <summary>The key committed in <c>local.settings.json</c>: public, so accepted only in Development.</summary>
    public const string RepositoryDevelopmentKey = "ZGV2ZWxvcG1lbnQtd2ViaG9vay1rZXktMDAwMDAwMDA=";

    /// <summary>
    /// Base64 AES-256 key that encrypts webhook secrets at rest (a Key Vault reference in Azure).
    /// Without it, webhooks cannot be registered (503) and none are sent.
    /// </summary>
    public string? SecretKey { get; set; }

    /// <summary>The hub's <c>Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…</c> (a Key Vault reference in Azure); push is off without it.</summary>
    public string? HubConnectionString { get; set; }

    public string? HubName { get; set; }

    /// <summary>Development and tests only: the hub's REST base instead of the connection string's <c>https://{namespace}.servicebus.windows.net/</c>.</summary>
    public Uri? HubEndpoint { get; set; }

    /// <summary>First retry delay of a failed delivery; doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Deliveries of one event before it is given up (logged as an error).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How <see cref="SecretKey"/> is read: exactly 32 bytes (AES-256), and optional (webhooks are off without it).</summary>
    public static readonly ServerSecret Secret = new("Notifications:SecretKey", "webhook-secret-key", 32, 32, RepositoryDevelopmentKey);

    public bool WebhooksConfigured => ServerSecret.IsSet(SecretKey);

    public bool PushConfigured => ServerSecret.IsSet(HubConnectionString) && !string.IsNullOrWhiteSpace(HubName);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var problem in Secret.Validate(SecretKey, required: false, nameof(SecretKey)))
        {
            yield return problem;
        }

        if (ServerSecret.IsSet(HubConnectionString) && HubConnection.TryParse(HubConnectionString) is null)
        {
            yield return new ValidationResult("Notifications:HubConnectionString must hold Endpoint, SharedAccessKeyName and SharedAccessKey.", [nameof(HubConnectionString)]);
        }

        if (ServerSecret.IsSet(HubConnectionString) && string.IsNullOrWhiteSpace(HubName))
        {
            yield return new ValidationResult("Notifications:HubName is required with Notifications:HubConnectionString.", [nameof(HubName)]);
        }
    }
}
