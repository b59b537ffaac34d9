namespace RunStrength.Functions.Web;

/// <summary>
/// How the web client signs people in with Microsoft Entra (authorization code with PKCE). Bound
/// from section <c>Web</c> (<c>Web__ClientId</c>, <c>Web__Scope</c>); the authority is <c>Auth__Authority</c>.
/// Without a client id the page offers no Entra sign-in.
/// </summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>The Entra app registration of the page (a single-page application whose redirect URI is the site root).</summary>
    public string? ClientId { get; set; }

    /// <summary>The API scope the page asks for, in full, e.g. <c>api://runstrength-api/plans.readwrite</c>.</summary>
    public string? Scope { get; set; }
}
