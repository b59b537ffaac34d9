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

    /// <summary><c>development</c> (any user id, via <c>POST /api/dev/token</c>), <c>entra</c>, or <c>none</c>.</summary>
    public IResult Config()
    {
        var json = new JsonObject { ["signIn"] = "none" };
        if (DevSignInFunctions.IsAvailable(environment, auth.Value))
        {
            json["signIn"] = "development";
        }
        else if (auth.Value.Authority is { } authority && !string.IsNullOrWhiteSpace(web.Value.ClientId) && !string.IsNullOrWhiteSpace(web.Value.Scope))
        {
            // Entra's v2.0 authority is .../{tenant}/v2.0; its endpoints are .../{tenant}/oauth2/v2.0/...
            var tenant = authority.ToString().TrimEnd('/');
            tenant = tenant.EndsWith("/v2.0", StringComparison.Ordinal) ? tenant[..^"/v2.0".Length] : tenant;
            json["signIn"] = "entra";
            json["entra"] = new JsonObject
            {
                ["authorizeEndpoint"] = $"{tenant}/oauth2/v2.0/authorize",
                ["tokenEndpoint"] = $"{tenant}/oauth2/v2.0/token",
                ["clientId"] = web.Value.ClientId,
                ["scope"] = web.Value.Scope,
            };
        }

        return TypedResults.Json(json);
    }
}
