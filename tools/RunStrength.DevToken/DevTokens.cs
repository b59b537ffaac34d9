using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RunStrength.DevToken;

/// <summary>Development bearer tokens, signed with the HS256 key in local.settings.json. Never for production.</summary>
public static class DevTokens
{
    public sealed record Settings(string Issuer, string Audience, string SigningKey);

    public static Settings Read(string localSettingsPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(localSettingsPath));
        var values = document.RootElement.GetProperty("Values");
        return new Settings(
            values.GetProperty("Auth__Issuer").GetString()!,
            values.GetProperty("Auth__Audience").GetString()!,
            values.GetProperty("Auth__SigningKey").GetString()!);
    }

    public static string Mint(Settings settings, string userId, TimeSpan lifetime, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + lifetime,
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = userId },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(settings.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
