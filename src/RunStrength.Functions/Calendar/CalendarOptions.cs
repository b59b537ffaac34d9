using System.ComponentModel.DataAnnotations;

namespace RunStrength.Functions.Calendar;

/// <summary>The private calendar feed. Bound from section <c>Calendar</c>.</summary>
public sealed class CalendarOptions : IValidatableObject
{
    public const string Section = "Calendar";

    /// <summary>The key committed in <c>local.settings.json</c>: public, so accepted only in Development.</summary>
    public const string RepositoryDevelopmentKey = "ZGV2ZWxvcG1lbnQtY2FsZW5kYXItdWlkLWtleS0wMDA=";

    /// <summary>Public base URL for feed links (e.g. behind a gateway); the request's own origin when empty.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// Base64 key (32 bytes) of the HMAC that turns a user key into the user part of event UIDs, so
    /// a UID seen in a shared calendar cannot be matched to a user id by hashing guesses (a Key Vault
    /// reference in Azure). Without it, feeds are off (503).
    /// </summary>
    public string? UidSecretKey { get; set; }

    /// <summary>A key, and not a Key Vault reference App Service could not resolve (it then passes the reference itself).</summary>
    public bool FeedsConfigured => !string.IsNullOrWhiteSpace(UidSecretKey) && !UidSecretKey.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal);

    /// <summary>The HMAC key; only when <see cref="FeedsConfigured"/>.</summary>
    public byte[] UidKey() => Convert.FromBase64String(UidSecretKey ?? throw new InvalidOperationException("Calendar:UidSecretKey is not set."));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        Span<byte> bytes = stackalloc byte[64];
        if (FeedsConfigured && !(Convert.TryFromBase64String(UidSecretKey!, bytes, out var written) && written == 32))
        {
            yield return new ValidationResult("Calendar:UidSecretKey must be 32 bytes in base64.", [nameof(UidSecretKey)]);
        }
    }
}
