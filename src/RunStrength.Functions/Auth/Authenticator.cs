using System.Security.Claims;
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

/// <summary>Who is calling. The result is remembered on the request, so checking twice costs nothing.</summary>
public interface IAuthenticator
{
    Task<AuthResult> CheckAsync(HttpRequest request);

    /// <summary>The user id, or null unless the request carries a valid token allowed to use this API.</summary>
    async Task<string?> AuthenticateAsync(HttpRequest request) =>
        (await CheckAsync(request).ConfigureAwait(false)).UserId;
}

/// <summary>
/// Bearer JWTs checked for issuer, audience, signature, algorithm and expiry. The user id is the
/// token's subject. The token must carry <see cref="AuthOptions.RequiredScope"/> in <c>scp</c> or
/// <see cref="AuthOptions.RequiredRole"/> in <c>roles</c>, and must act for a user: app-only tokens
/// (Entra <c>idtyp=app</c>, or no <c>scp</c> and a subject that is the client itself) are refused.
/// App Service principal headers count only when explicitly trusted: App Service strips
/// client-sent <c>X-MS-*</c> headers when its authentication is on, nowhere else.
/// </summary>
public sealed partial class JwtAuthenticator : IAuthenticator
{
    /// <summary>The reason given when the token could not be judged because the metadata or keys could not be fetched.</summary>
    public const string MetadataUnavailable = "metadata-unavailable";

    private const int MaxTokenLength = 16 * 1024;
    private static readonly string[] ClientClaims = ["oid", "azp", "appid"];
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;
    private readonly AuthOptions _options;
    private readonly ILogger _logger;

    /// <param name="metadataRetriever">Fetches the authority's OpenID Connect metadata and JWKS; HTTPS-only HTTP unless replaced (tests serve their own issuer).</param>
    public JwtAuthenticator(IOptions<AuthOptions> options, ILogger<JwtAuthenticator> logger, IDocumentRetriever? metadataRetriever = null)
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
                metadata.ToString(), new OpenIdConnectConfigurationRetriever(), metadataRetriever ?? new HttpDocumentRetriever { RequireHttps = true });
            _parameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256];
        }
    }

    public async Task<AuthResult> CheckAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var items = request.HttpContext.Items;
        if (items.TryGetValue(typeof(AuthResult), out var known) && known is AuthResult remembered)
        {
            return remembered;
        }

        var result = await CheckUncachedAsync(request).ConfigureAwait(false);
        items[typeof(AuthResult)] = result;
        return result;
    }

    private async Task<AuthResult> CheckUncachedAsync(HttpRequest request)
    {
        if (_options.TrustAppServiceAuthentication && AppServicePrincipal(request) is { } principal)
        {
            return AuthResult.User(principal);
        }

        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthResult.Missing;
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length > MaxTokenLength || _parameters.ValidAlgorithms is null)
        {
            return Rejected(!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? "not-bearer" : header.Length > MaxTokenLength ? "too-long" : "no-keys-configured");
        }

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(header["Bearer ".Length..].Trim(), _parameters).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException or SecurityTokenException or ArgumentException)
        {
            // The metadata could not be fetched or read: the caller cannot be identified, which is a 401, not a 500.
            return Rejected(Reason(e), e);
        }

        if (!result.IsValid)
        {
            return Rejected(Reason(result.Exception), result.Exception);
        }

        var identity = result.ClaimsIdentity;
        if (identity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value is not { Length: > 0 } subject)
        {
            return Rejected("no-subject");
        }

        if (IsAppOnly(identity, subject))
        {
            return Rejected("app-only", forbidden: true);
        }

        if (!Grants(identity))
        {
            return Rejected("insufficient-scope", forbidden: true);
        }

        return AuthResult.User(subject);
    }

    /// <summary>
    /// A refused token: one Debug line with its reason, and the reason on the result. Counting is
    /// the audit log's job (<see cref="Audit.AuditLog.AuthFailed"/>, from the middleware), so a
    /// refusal is counted once, however often the request is checked.
    /// </summary>
    private AuthResult Rejected(string reason, Exception? detail = null, bool forbidden = false)
    {
        LogRejected(_logger, reason, detail);
        return forbidden ? AuthResult.Forbidden(reason) : AuthResult.Invalid(reason);
    }

    /// <summary>
    /// Why a token failed, from a fixed set: the exception's type without its suffix
    /// (<c>SecurityTokenExpired</c>), or <see cref="MetadataUnavailable"/> when the
    /// keys could not be fetched. Never the exception's message, which may quote the token.
    /// </summary>
    private static string Reason(Exception? e) => e switch
    {
        null => "invalid",
        InvalidOperationException or IOException or HttpRequestException => MetadataUnavailable,
        _ => e.GetType().Name.Replace("Exception", "", StringComparison.Ordinal),
    };

    /// <summary>Entra marks app-only tokens with <c>idtyp=app</c> when asked; without it, a token with no delegated scope whose subject is the client itself acts for no user.</summary>
    private static bool IsAppOnly(ClaimsIdentity identity, string subject)
    {
        if (string.Equals(identity.FindFirst("idtyp")?.Value, "app", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return !identity.HasClaim(c => c.Type == "scp")
            && ClientClaims.Any(type => identity.FindFirst(type)?.Value == subject);
    }

    private bool Grants(ClaimsIdentity identity)
    {
        var scopes = identity.FindAll("scp").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var roles = identity.FindAll("roles").Select(c => c.Value);
        return (!string.IsNullOrWhiteSpace(_options.RequiredScope) && scopes.Contains(_options.RequiredScope, StringComparer.Ordinal))
            || (!string.IsNullOrWhiteSpace(_options.RequiredRole) && roles.Contains(_options.RequiredRole, StringComparer.Ordinal));
    }

    /// <summary>
    /// The user id from <c>X-MS-CLIENT-PRINCIPAL-ID</c>, keyed by its identity provider
    /// (<c>X-MS-CLIENT-PRINCIPAL-IDP</c>) so the same id from two providers is two users; cross-checked
    /// with the encoded principal when present.
    /// </summary>
    private static string? AppServicePrincipal(HttpRequest request)
    {
        var id = request.Headers["X-MS-CLIENT-PRINCIPAL-ID"].ToString();
        var provider = request.Headers["X-MS-CLIENT-PRINCIPAL-IDP"].ToString();
        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(provider))
        {
            return null;
        }

        var user = $"{provider}:{id}";
        var encoded = request.Headers["X-MS-CLIENT-PRINCIPAL"].ToString();
        if (encoded.Length == 0)
        {
            return user;
        }

        try
        {
            using var principal = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
            return principal.RootElement.TryGetProperty("claims", out var claims) && claims.ValueKind == JsonValueKind.Array ? user : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bearer token rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason, Exception? detail);
}
