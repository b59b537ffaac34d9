using System.ComponentModel.DataAnnotations;
using RunStrength.Functions.Configuration;

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

    /// <summary>How <see cref="UidSecretKey"/> is read: exactly 32 bytes, and optional (feeds are off without it).</summary>
    public static readonly ServerSecret UidSecret = new("Calendar:UidSecretKey", "calendar-uid-key", 32, 32, RepositoryDevelopmentKey);

    /// <summary>A key, and not a Key Vault reference App Service could not resolve.</summary>
    public bool FeedsConfigured => ServerSecret.IsSet(UidSecretKey);

    /// <summary>The HMAC key; only when <see cref="FeedsConfigured"/>.</summary>
    public byte[] UidKey() => UidSecret.Read(UidSecretKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => UidSecret.Validate(UidSecretKey, required: false, nameof(UidSecretKey));
}
