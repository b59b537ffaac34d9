using System.ComponentModel.DataAnnotations;

namespace RunStrength.Functions.Auth;

/// <summary>How callers are identified. Bound from section <c>Auth</c> (<c>Auth__*</c> in app settings).</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    [Required]
    public string Issuer { get; set; } = "";

    [Required]
    public string Audience { get; set; } = "";

    /// <summary>A base64 symmetric key for HS256 tokens: the local development mode.</summary>
    public string? SigningKey { get; set; }

    /// <summary>An OpenID Connect authority whose published signing keys validate RS256/ES256 tokens.</summary>
    public Uri? Authority { get; set; }

    /// <summary>A delegated scope the token must carry in <c>scp</c> (space-separated), e.g. <c>plans.readwrite</c>.</summary>
    public string? RequiredScope { get; set; }

    /// <summary>An app role the token may carry in <c>roles</c> instead of the scope (user tokens only).</summary>
    public string? RequiredRole { get; set; }

    /// <summary>Trust <c>X-MS-CLIENT-PRINCIPAL*</c> headers set by App Service Authentication. Off unless set.</summary>
    public bool TrustAppServiceAuthentication { get; set; }

    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(SigningKey) == (Authority is null) && !TrustAppServiceAuthentication)
        {
            yield return new ValidationResult("Set exactly one of Auth:SigningKey or Auth:Authority (or enable App Service Authentication).", [nameof(SigningKey), nameof(Authority)]);
        }

        if ((!string.IsNullOrWhiteSpace(SigningKey) || Authority is not null) && string.IsNullOrWhiteSpace(RequiredScope) && string.IsNullOrWhiteSpace(RequiredRole))
        {
            yield return new ValidationResult("Set Auth:RequiredScope or Auth:RequiredRole: a token must be issued for this API, not merely to it.", [nameof(RequiredScope), nameof(RequiredRole)]);
        }

        if (!string.IsNullOrWhiteSpace(SigningKey))
        {
            var key = new byte[SigningKey.Length];
            if (!Convert.TryFromBase64String(SigningKey, key, out var length) || length < 32)
            {
                yield return new ValidationResult("Auth:SigningKey must be base64 of at least 32 bytes.", [nameof(SigningKey)]);
            }
        }
    }
}
