using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RunStrength.Functions.Configuration;

/// <summary>
/// A key only the server holds (an HMAC or AES key in base64), read from one setting that is a Key
/// Vault reference in Azure. The calendar UID key, the cursor key and the webhook key all go
/// through here, so each is read the same way, an unresolved Key Vault reference counts as unset
/// everywhere, and every refusal names the setting and what it needs.
/// </summary>
/// <param name="Setting">The setting's configuration key, e.g. <c>Cursors:SecretKey</c> (<c>Cursors__SecretKey</c> in app settings).</param>
/// <param name="VaultSecret">The Key Vault secret the Azure deployment points the setting at.</param>
/// <param name="MinBytes">The shortest key accepted.</param>
/// <param name="MaxBytes">The longest key accepted.</param>
/// <param name="RepositoryKey">The key committed in <c>local.settings.json</c>: public, so accepted only in Development.</param>
public sealed record ServerSecret(string Setting, string VaultSecret, int MinBytes, int MaxBytes, string RepositoryKey)
{
    private const string UnresolvedVaultReference = "@Microsoft.KeyVault(";

    /// <summary>
    /// A value, and not a Key Vault reference App Service could not resolve: it then passes the
    /// reference itself, meaning the secret is not in the vault yet.
    /// </summary>
    public static bool IsSet([NotNullWhen(true)] string? value) =>
        !string.IsNullOrWhiteSpace(value) && !value.TrimStart().StartsWith(UnresolvedVaultReference, StringComparison.Ordinal);

    /// <summary>The key's bytes, or null when the value is unset, not base64, or of a length outside the bounds.</summary>
    public byte[]? TryRead(string? value) => Decode(value) is { } key && key.Length >= MinBytes && key.Length <= MaxBytes ? key : null;

    /// <summary>The key's bytes, for code that runs only after start-up validated the setting.</summary>
    /// <exception cref="InvalidOperationException">The setting holds no usable key.</exception>
    public byte[] Read(string? value) => TryRead(value) ?? throw new InvalidOperationException(Problem(value, required: true));

    /// <summary>What is wrong with the value, naming the setting; null when it is a usable key, or unset and <paramref name="required"/> is false.</summary>
    public string? Problem(string? value, bool required)
    {
        if (!IsSet(value))
        {
            return required ? $"{Setting} is not set. Put {Size} random bytes in base64 in the Key Vault (secret {VaultSecret}) and restart." : null;
        }

        return Decode(value) switch
        {
            null => $"{Setting} is not base64. It must be {Size} random bytes in base64.",
            { Length: var length } when length < MinBytes || length > MaxBytes => $"{Setting} is {length} bytes. It must be {Size} random bytes in base64.",
            _ => null,
        };
    }

    /// <summary><see cref="Problem"/> as a validation result on <paramref name="member"/>, for <see cref="IValidatableObject"/> options.</summary>
    public IEnumerable<ValidationResult> Validate(string? value, bool required, string member) =>
        Problem(value, required) is { } problem ? [new ValidationResult(problem, [member])] : [];

    /// <summary>Whether the value is the repository's published key, which must never guard anything outside Development.</summary>
    public bool IsRepositoryKey(string? value) => string.Equals(value?.Trim(), RepositoryKey, StringComparison.Ordinal);

    /// <summary>The start-up refusal of the repository's key; <paramref name="exposure"/> says what anyone could then do.</summary>
    public string RepositoryKeyRefusal(string exposure) =>
        $"{Setting} is the repository's published development key (local.settings.json): {exposure}. Put a key of your own in Key Vault (secret {VaultSecret}).";

    private string Size => MinBytes == MaxBytes ? $"{MinBytes}" : $"{MinBytes} to {MaxBytes}";

    private static byte[]? Decode(string? value)
    {
        if (!IsSet(value))
        {
            return null;
        }

        // Base64 never decodes to more bytes than it has characters.
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value.Trim(), buffer, out var written) ? buffer[..written] : null;
    }
}

public static class ServerSecretOptionsExtensions
{
    /// <summary>Start-up refuses the repository's published key for <paramref name="secret"/> in any environment but Development.</summary>
    public static OptionsBuilder<TOptions> RefuseRepositoryKeyOutsideDevelopment<TOptions>(
        this OptionsBuilder<TOptions> builder, IHostEnvironment environment, ServerSecret secret, Func<TOptions, string?> value, string exposure)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(value);
        return builder.Validate(o => environment.IsDevelopment() || !secret.IsRepositoryKey(value(o)), secret.RepositoryKeyRefusal(exposure));
    }
}
