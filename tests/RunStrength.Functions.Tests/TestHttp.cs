using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunStrength.DevToken;
using RunStrength.Functions.Auth;
using RunStrength.Testing;

namespace RunStrength.Functions.Tests;

/// <summary>Real tokens and real ASP.NET Core requests for calling handlers directly, without a host.</summary>
public static class TestHttp
{
    public static readonly DevTokens.Settings Settings = new("https://issuer.test", "runstrength-tests", Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()), "plans.readwrite");

    /// <summary>The environment of a deployment, where Development-only routes must not exist.</summary>
    public static readonly IHostEnvironment Production = new HostingEnvironment { EnvironmentName = Environments.Production };

    /// <summary>The environment LocalHost and <c>func start</c> run the app in.</summary>
    public static readonly IHostEnvironment Development = new HostingEnvironment { EnvironmentName = Environments.Development };

    public static AuthOptions AuthOptions(bool trustAppService = false) =>
        new() { Issuer = Settings.Issuer, Audience = Settings.Audience, SigningKey = Settings.SigningKey, RequiredScope = Settings.Scope, TrustAppServiceAuthentication = trustAppService };

    public static IAuthenticator Authenticator(bool trustAppService = false) => new JwtAuthenticator(
        Options.Create(AuthOptions(trustAppService)), NullLogger<JwtAuthenticator>.Instance);

    public static string Token(string userId) => DevTokens.Mint(Settings, userId, TimeSpan.FromHours(1));

    /// <param name="route">The method and the request path, as a client sends them: <c>"GET /api/me/plans/2026-W49"</c>.</param>
    public static HttpRequest Request(string route, string? user = "alice", string? body = null, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(route);
        var context = new DefaultHttpContext { RequestServices = Services };
        var parts = route.Split(' ', 2);
        context.Request.Method = parts[0];
        if (parts.Length == 2)
        {
            var query = parts[1].IndexOf('?', StringComparison.Ordinal);
            context.Request.Path = query < 0 ? parts[1] : parts[1][..query];
            context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(parts[1][query..]);
        }

        context.Request.Scheme = "https";
        context.Request.Host = new HostString("api.test");
        context.Response.Body = new MemoryStream();
        if (user is not null)
        {
            context.Request.Headers.Authorization = $"Bearer {Token(user)}";
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context.Request;
    }

    /// <summary>
    /// Runs a handler's result the way the host would and reads back what a client sees, after
    /// holding it to the OpenAPI document (so the request must carry its path).
    /// </summary>
    public static async Task<Reply> Execute(HttpRequest request, Task<IResult> handler)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await handler;
        await result.ExecuteAsync(request.HttpContext);
        var response = request.HttpContext.Response;
        response.Body.Position = 0;
        var text = await new StreamReader(response.Body).ReadToEndAsync();
        Assert.True(request.Path.HasValue, "Give the request its path, e.g. TestHttp.Request(\"GET /api/me/profile\"), so the response can be checked against the OpenAPI document.");
        OpenApiContract.AssertResponse(request.Method, request.Path.Value!, response.StatusCode, response.ContentType, response.Headers.Keys, text);
        return new Reply(response.StatusCode, response.ContentType ?? "", response.Headers.ETag.ToString(), text);
    }

    /// <summary>"METHOD /route" of an HTTP function, read from its attributes, with sample values for its route parameters.</summary>
    public static string RouteOf(string function)
    {
        var (_, method, route) = DefaultDenyTests.HttpFunctions.Single(f => f.Name == function);
        return Sample($"{method} {route}");
    }

    /// <summary>"GET api/me/plans/{week}" (a function's route) as a request a client sends: "GET /api/me/plans/2026-W49".</summary>
    public static string Sample(string route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
        path = path.Replace("{week}", "2026-W49", StringComparison.Ordinal).Replace("{sessionId}", "s1", StringComparison.Ordinal)
            .Replace("{id}", "s1", StringComparison.Ordinal).Replace("{token}", "token", StringComparison.Ordinal);
        return $"{method} /{path}";
    }

    private static readonly ServiceProvider Services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
}

public sealed record Reply(int Status, string ContentType, string ETag, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public IReadOnlyCollection<string> ErrorFields => Json["errors"]?.AsObject().Select(e => e.Key).ToList() ?? [];

    public override string ToString() => $"{Status} {ContentType} {Body}";
}
