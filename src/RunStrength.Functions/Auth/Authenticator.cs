using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace RunStrength.Functions.Auth;

/// <summary>Who is calling: the user id, or null when the request carries no valid credentials.</summary>
public interface IAuthenticator
{
    Task<string?> AuthenticateAsync(HttpRequest request);
}

/// <summary>
/// Bearer JWTs checked for issuer, audience, signature, algorithm and expiry. The user id is the
/// token's subject. App Service principal headers count only when explicitly trusted: App Service
/// strips client-sent <c>X-MS-*</c> headers when its authentication is on, nowhere else.
/// </summary>
public sealed partial class JwtAuthenticator : IAuthenticator
{
    private const int MaxTokenLength = 16 * 1024;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly AuthOptions _options;
    private readonly ILogger<JwtAuthenticator> _logger;

    public JwtAuthenticator(IOptions<AuthOptions> options, ILogger<JwtAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidAudience = _options.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = _options.ClockSkew,
        };

        if (!string.IsNullOrWhiteSpace(_options.SigningKey))
        {
            _parameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(_options.SigningKey));
            _parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
        else if (_options.Authority is { } authority)
        {
            var metadata = new Uri(authority, authority.AbsolutePath.TrimEnd('/') + "/.well-known/openid-configuration");
            _parameters.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                metadata.ToString(), new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = true });
            _parameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256];
        }
    }

    public async Task<string?> AuthenticateAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_options.TrustAppServiceAuthentication && AppServicePrincipal(request) is { } principal)
        {
            return principal;
        }

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > MaxTokenLength || _parameters.ValidAlgorithms is null)
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(header["Bearer ".Length..].Trim(), _parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            LogRejected(_logger, result.Exception);
            return null;
        }

        return result.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value is { Length: > 0 } subject ? subject : null;
    }

    /// <summary>The user id from <c>X-MS-CLIENT-PRINCIPAL-ID</c>, cross-checked with the encoded principal when present.</summary>
    private static string? AppServicePrincipal(HttpRequest request)
    {
        var id = request.Headers["X-MS-CLIENT-PRINCIPAL-ID"].ToString();
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        var encoded = request.Headers["X-MS-CLIENT-PRINCIPAL"].ToString();
        if (encoded.Length == 0)
        {
            return id;
        }

        try
        {
            using var principal = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
            return principal.RootElement.TryGetProperty("claims", out var claims) && claims.ValueKind == JsonValueKind.Array ? id : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bearer token rejected")]
    private static partial void LogRejected(ILogger logger, Exception? reason);
}
