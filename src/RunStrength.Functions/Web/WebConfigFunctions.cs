using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Http;

namespace RunStrength.Functions.Web;

/// <summary>
/// <c>GET /api/web-config</c>: how the web client signs in here. Anonymous, since the page needs it
/// before anyone has signed in; it holds nothing secret (a public client id and endpoints).
/// </summary>
public sealed class WebConfigFunctions(IOptions<AuthOptions> auth, IOptions<WebOptions> web, IHostEnvironment environment)
{
    [Function(nameof(GetWebConfig))]
    public Task<IActionResult> GetWebConfig([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/web-config")] HttpRequest request) =>
        Task.FromResult(Config()).AsAction();

    /// <summary>
    /// <c>entra</c> (MSAL.js at the authority given) when <see cref="WebOptions"/> configures it,
    /// else <c>development</c> (any user id, via <c>POST /api/dev/token</c>), else <c>none</c>.
    /// </summary>
    public IResult Config()
    {
        var json = new JsonObject { ["signIn"] = "none" };
        if (web.Value.EntraSignIn(auth.Value) is { } entra)
        {
            json["signIn"] = "entra";
            json["entra"] = new JsonObject
            {
                ["authority"] = entra.Authority.ToString(),
                ["clientId"] = entra.ClientId,
                ["scope"] = entra.Scope,
            };
        }
        else if (DevSignInFunctions.IsAvailable(environment, auth.Value))
        {
            json["signIn"] = "development";
        }

        return TypedResults.Json(json);
    }
}
