using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RunStrength.DevToken;

/// <summary>
/// Development bearer tokens, signed with the HS256 key in local.settings.json and carrying the
/// scope the app requires (<c>Auth__RequiredScope</c>), or else its app role (<c>Auth__RequiredRole</c>).
/// The one minter: this tool, the tests and the app's development sign-in (<c>POST /api/dev/token</c>)
/// all use it. Never for production.
/// </summary>
public static class DevTokens
{
    public sealed record Settings(string Issuer, string Audience, string SigningKey, string? Scope = null, string? Role = null);

    public static Settings Read(string localSettingsPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(localSettingsPath));
        var values = document.RootElement.GetProperty("Values");
        return new Settings(
            values.GetProperty("Auth__Issuer").GetString()!,
            values.GetProperty("Auth__Audience").GetString()!,
            values.GetProperty("Auth__SigningKey").GetString()!,
            values.TryGetProperty("Auth__RequiredScope", out var scope) ? scope.GetString() : null,
            values.TryGetProperty("Auth__RequiredRole", out var role) ? role.GetString() : null);
    }

    public static string Mint(Settings settings, string userId, TimeSpan lifetime, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var issuedAt = (now ?? DateTimeOffset.UtcNow).UtcDateTime;
        var claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = userId };
        if (!string.IsNullOrWhiteSpace(settings.Scope))
        {
            claims["scp"] = settings.Scope;
        }
        else if (!string.IsNullOrWhiteSpace(settings.Role))
        {
            claims["roles"] = new[] { settings.Role };
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(settings.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
