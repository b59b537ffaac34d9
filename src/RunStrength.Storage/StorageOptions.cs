using System.ComponentModel.DataAnnotations;

namespace RunStrength.Storage;

/// <summary>
/// Where the tables live: a connection string (Azurite locally) or a table service URI reached
/// with <c>DefaultAzureCredential</c> (managed identity in Azure). Bound from section <c>Storage</c>.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    /// <summary>The queue service, with managed identity; required with <see cref="TableServiceUri"/>.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Prefix for every table name, so tests (or environments) can share an account.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,20}$|^$")]
    public string TablePrefix { get; set; } = "";

    /// <summary>Prefix for queue names (lower-case); tests only, as the queue trigger names its queue itself.</summary>
    [RegularExpression("^[a-z][a-z0-9]{0,20}-$|^$")]
    public string QueuePrefix { get; set; } = "";

    /// <summary>Retries of transient faults (408, 429, 5xx, timeouts); 409 and 412 are never retried.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First retry delay; doubles each retry up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:30")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == (TableServiceUri is null))
        {
            yield return new ValidationResult(
                "Set exactly one of Storage:ConnectionString or Storage:TableServiceUri.",
                [nameof(ConnectionString), nameof(TableServiceUri)]);
        }

        if (TableServiceUri is not null && QueueServiceUri is null)
        {
            yield return new ValidationResult("Storage:QueueServiceUri is required with Storage:TableServiceUri.", [nameof(QueueServiceUri)]);
        }
    }
}
