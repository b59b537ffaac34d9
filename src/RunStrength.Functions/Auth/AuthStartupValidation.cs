using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RunStrength.Functions.Auth;

/// <summary>
/// Settings that are only safe on a developer's machine stop the app from starting anywhere else:
/// a symmetric signing key (anyone holding it mints tokens for any user), the repository's own
/// published key above all, and trust in App Service principal headers when App Service
/// Authentication is not there to strip forged ones.
/// </summary>
public sealed class AuthStartupValidation(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    /// <summary>The key committed in <c>local.settings.json</c>: public, so never a secret.</summary>
    public const string RepositoryDevelopmentKey = "ZGV2ZWxvcG1lbnQta2V5LW5vdC1hLXNlY3JldC0wMDAwMDAwMDAwMDAwMDAw";

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.SigningKey) && !environment.IsDevelopment())
        {
            failures.Add(options.SigningKey.Trim() == RepositoryDevelopmentKey
                ? $"Auth:SigningKey is the repository's published development key (local.settings.json); it is accepted only in Development, not in '{environment.EnvironmentName}'. Set Auth:Authority."
                : $"Auth:SigningKey (a symmetric HS256 key) is accepted only in Development, not in '{environment.EnvironmentName}'. Set Auth:Authority to the identity provider instead.");
        }

        if (options.TrustAppServiceAuthentication && !string.Equals(configuration["WEBSITE_AUTH_ENABLED"], "True", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add("Auth:TrustAppServiceAuthentication requires App Service Authentication to be enabled (WEBSITE_AUTH_ENABLED=True): without it, anyone can send X-MS-CLIENT-PRINCIPAL-ID.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
