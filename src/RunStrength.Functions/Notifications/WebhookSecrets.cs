using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RunStrength.Storage;

namespace RunStrength.Functions.Notifications;

/// <summary>
/// Webhook signing secrets. A secret is <c>whsec_</c> and 32 random bytes in base64, as Standard
/// Webhooks writes them; it is shown to its owner once. At rest it is encrypted (AES-256-GCM with
/// <see cref="NotificationOptions.SecretKey"/>) and bound to the user's key, so an operator reading
/// the table sees neither the secret nor a row they could copy to another user.
/// </summary>
public sealed class WebhookSecrets(IOptions<NotificationOptions> options)
{
    public const string Prefix = "whsec_";

    private const byte Version = 1;

    public static string Create() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The bytes HMAC keys with: the base64 after <c>whsec_</c>.</summary>
    public static byte[] KeyOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);
    }

    public byte[] Protect(UserKey user, string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var box = new byte[1 + AesGcm.NonceByteSizes.MaxSize + AesGcm.TagByteSizes.MaxSize + plain.Length];
        box[0] = Version;
        var nonce = box.AsSpan(1, AesGcm.NonceByteSizes.MaxSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(), AesGcm.TagByteSizes.MaxSize);
        aes.Encrypt(nonce, plain, box.AsSpan(1 + nonce.Length + AesGcm.TagByteSizes.MaxSize), box.AsSpan(1 + nonce.Length, AesGcm.TagByteSizes.MaxSize), Encoding.ASCII.GetBytes(user.Value));
        return box;
    }

    /// <exception cref="CryptographicException">The row was not sealed for this user with this key.</exception>
    public string Unprotect(UserKey user, byte[] box)
    {
        ArgumentNullException.ThrowIfNull(box);
        const int nonceSize = 12, tagSize = 16;
        if (box.Length < 1 + nonceSize + tagSize || box[0] != Version)
        {
            throw new CryptographicException("Not a protected webhook secret.");
        }

        var plain = new byte[box.Length - 1 - nonceSize - tagSize];
        using var aes = new AesGcm(Key(), tagSize);
        aes.Decrypt(box.AsSpan(1, nonceSize), box.AsSpan(1 + nonceSize + tagSize), box.AsSpan(1 + nonceSize, tagSize), plain, Encoding.ASCII.GetBytes(user.Value));
        return Encoding.UTF8.GetString(plain);
    }

    private byte[] Key() => NotificationOptions.Secret.Read(options.Value.SecretKey);
}

/// <summary>Standard Webhooks signatures: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c>.</summary>
public static class WebhookSignature
{
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var content = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(WebhookSecrets.KeyOf(secret), content));
    }
}
