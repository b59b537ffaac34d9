using RunStrength.Functions.Auth;

namespace RunStrength.Functions.Web;

/// <summary>
/// How the web client signs people in with Microsoft Entra (MSAL.js, authorization code with PKCE).
/// Bound from section <c>Web</c> (<c>Web__ClientId</c>, <c>Web__Scope</c>, <c>Web__Authority</c>).
/// Without a client id, a scope and an authority the page offers no Entra sign-in.
/// </summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>The Entra app registration of the page (a single-page application whose redirect URI is the site root).</summary>
    public string? ClientId { get; set; }

    /// <summary>The API scope the page asks for, in full, e.g. <c>api://runstrength-api/plans.readwrite</c>.</summary>
    public string? Scope { get; set; }

    /// <summary>
    /// Where the page signs in, when not at <c>Auth__Authority</c> (the authority whose keys the API
    /// trusts): a sign-in authority of its own, or, in the browser tests, a fake one.
    /// </summary>
    public Uri? Authority { get; set; }

    /// <summary>The Entra sign-in the page offers, or null when any of client id, scope and authority is missing.</summary>
    public EntraSignIn? EntraSignIn(AuthOptions auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        if ((Authority ?? auth.Authority) is not { } authority || string.IsNullOrWhiteSpace(ClientId) || string.IsNullOrWhiteSpace(Scope))
        {
            return null;
        }

        // Entra's issuer form is .../{tenant}/v2.0; MSAL.js wants the tenant authority and finds /v2.0 itself.
        var text = authority.ToString().TrimEnd('/');
        text = text.EndsWith("/v2.0", StringComparison.Ordinal) ? text[..^"/v2.0".Length] : text;
        return new EntraSignIn(new Uri(text), ClientId, Scope);
    }
}

/// <summary>What MSAL.js in the page needs: the authority it signs in at, the page's client id and the API scope.</summary>
public sealed record EntraSignIn(Uri Authority, string ClientId, string Scope);
