using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Http;

namespace RunStrength.Functions.Web;

/// <summary>
/// <c>GET /</c> and <c>GET /web/{file}</c>: the web client, served by the function app itself so
/// Azure needs no extra resource. Anonymous (the page holds no data; the API it calls is not).
/// Every file carries a strict Content-Security-Policy (scripts only from this origin, no inline
/// code), <c>nosniff</c>, and <c>no-cache</c> with an ETag: a deployment is seen at once, and an
/// unchanged file costs a 304.
/// </summary>
public sealed class WebPageFunctions(IOptions<AuthOptions> auth, IOptions<WebOptions> web)
{
    /// <summary>The host's route for the site root: an optional, always-empty segment, as a route may not be empty.</summary>
    public const string RootRoute = "{root:maxlength(0)?}";

    [Function(nameof(GetWebPage))]
    public Task<IActionResult> GetWebPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RootRoute)] HttpRequest request) =>
        Task.FromResult(Serve(request, "index.html")).AsAction();

    [Function(nameof(GetWebAsset))]
    public Task<IActionResult> GetWebAsset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "web/{file}")] HttpRequest request, string file) =>
        Task.FromResult(Serve(request, file)).AsAction();

    public IResult Serve(HttpRequest request, string file)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.HttpContext.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy(web.Value.EntraSignIn(auth.Value)?.Authority);
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
        if (WebAssets.Find(file) is not { } asset)
        {
            return Problems.NotFound($"There is no file '{file}' in the web client.");
        }

        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = asset.ETag;
        if (request.Headers.IfNoneMatch.Any(tag => tag is not null && tag.Split(',').Select(t => t.Trim()).Any(t => t == asset.ETag || t == "*")))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    /// <summary>
    /// Nothing inline and nothing from elsewhere, except that MSAL.js may fetch from the Entra
    /// authority's origin (its metadata, and the token endpoint for the PKCE code exchange) when the
    /// page signs in there.
    /// </summary>
    public static string ContentSecurityPolicy(Uri? authority)
    {
        var connect = authority is null ? "'self'" : $"'self' {authority.GetLeftPart(UriPartial.Authority)}";
        return $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src {connect}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }
}
