using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RunStrength.Functions.Plans;

/// <summary>The key that signs plan-listing continuation tokens (<see cref="PlanCursor"/>). Bound from section <c>Cursors</c>.</summary>
public sealed class CursorOptions : IValidatableObject
{
    public const string Section = "Cursors";

    /// <summary>The key committed in <c>local.settings.json</c>: public, so accepted only in Development.</summary>
    public const string RepositoryDevelopmentKey = "ZGV2ZWxvcG1lbnQtY3Vyc29yLWtleS0wMDAwMDAwMDA=";

    /// <summary>
    /// Base64 HMAC-SHA256 key of 32 bytes or more (a Key Vault reference in Azure). Every instance
    /// needs the same key, or a token issued by one is refused by the next. Changing it only ends
    /// the listings in progress: their clients start again from the first page.
    /// </summary>
    public string? SecretKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // An unresolved Key Vault reference arrives as the reference itself: the secret is not in the vault yet.
        if (string.IsNullOrWhiteSpace(SecretKey) || SecretKey.StartsWith("@Microsoft.KeyVault(", StringComparison.Ordinal))
        {
            yield return new ValidationResult(
                "Cursors:SecretKey is not set: plan listings cannot sign their continuation tokens. Put a key of 32 random bytes in base64 in the Key Vault (secret cursor-secret-key) and restart.",
                [nameof(SecretKey)]);
        }
        else if (Key() is null)
        {
            yield return new ValidationResult("Cursors:SecretKey must be at least 32 bytes in base64.", [nameof(SecretKey)]);
        }
    }

    /// <summary>The key's bytes, or null when it is not base64 of at least 32 bytes.</summary>
    public byte[]? Key()
    {
        try
        {
            return SecretKey is { } text && Convert.FromBase64String(text.Trim()) is { Length: >= 32 and <= 128 } key ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

public static class CursorServiceCollectionExtensions
{
    /// <summary>
    /// Signed plan-listing cursors (section <c>Cursors</c>): the key is required, and the
    /// repository's published development key refuses to start outside Development.
    /// </summary>
    public static IServiceCollection AddPlanCursors(this IServiceCollection services, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        services.AddOptions<CursorOptions>().BindConfiguration(CursorOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .Validate(o => environment.IsDevelopment() || o.SecretKey?.Trim() != CursorOptions.RepositoryDevelopmentKey,
                "Cursors:SecretKey is the repository's published development key (local.settings.json): anyone could forge continuation tokens. Put a key of your own in Key Vault.");
        services.AddSingleton<PlanCursor>();
        return services;
    }
}
