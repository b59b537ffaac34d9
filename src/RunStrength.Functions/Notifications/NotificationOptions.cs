using System.ComponentModel.DataAnnotations;

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

    public bool WebhooksConfigured => Set(SecretKey);

    public bool PushConfigured => Set(HubConnectionString) && !string.IsNullOrWhiteSpace(HubName);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WebhooksConfigured && !IsKey(SecretKey!))
        {
            yield return new ValidationResult("Notifications:SecretKey must be 32 bytes in base64.", [nameof(SecretKey)]);
        }

        if (Set(HubConnectionString) && HubConnection.TryParse(HubConnectionString) is null)
        {
            yield return new ValidationResult("Notifications:HubConnectionString must hold Endpoint, SharedAccessKeyName and SharedAccessKey.", [nameof(HubConnectionString)]);
        }

        if (Set(HubConnectionString) && string.IsNullOrWhiteSpace(HubName))
        {
            yield return new ValidationResult("Notifications:HubName is required with Notifications:HubConnectionString.", [nameof(HubName)]);
        }
    }

    /// <summary>
    /// A value, and not a Key Vault reference App Service could not resolve (it then passes the
    /// reference itself): the secret is not in the vault yet, so that channel stays off.
    /// </summary>
    private static bool Set(string? value) => !string.IsNullOrWhiteSpace(value) && !value.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal);

    private static bool IsKey(string value)
    {
        Span<byte> bytes = stackalloc byte[64];
        return Convert.TryFromBase64String(value, bytes, out var written) && written == 32;
    }
}
