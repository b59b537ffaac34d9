using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunStrength.DevToken;
using RunStrength.Functions.Auth;

namespace RunStrength.Functions.Tests;

/// <summary>Real tokens and real ASP.NET Core requests for calling handlers directly, without a host.</summary>
public static class TestHttp
{
    public static readonly DevTokens.Settings Settings = new("https://issuer.test", "runstrength-tests", Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()), "plans.readwrite");

    public static AuthOptions AuthOptions(bool trustAppService = false) =>
        new() { Issuer = Settings.Issuer, Audience = Settings.Audience, SigningKey = Settings.SigningKey, RequiredScope = Settings.Scope, TrustAppServiceAuthentication = trustAppService };

    public static IAuthenticator Authenticator(bool trustAppService = false) => new JwtAuthenticator(
        Options.Create(AuthOptions(trustAppService)), NullLogger<JwtAuthenticator>.Instance);

    public static string Token(string userId) => DevTokens.Mint(Settings, userId, TimeSpan.FromHours(1));

    public static HttpRequest Request(string method, string? user = "alice", string? body = null, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
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

    /// <summary>Runs a handler's result the way the host would and reads back what a client sees.</summary>
    public static async Task<Reply> Execute(HttpRequest request, Task<IResult> handler)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await handler;
        await result.ExecuteAsync(request.HttpContext);
        var response = request.HttpContext.Response;
        response.Body.Position = 0;
        var text = await new StreamReader(response.Body).ReadToEndAsync();
        return new Reply(response.StatusCode, response.ContentType ?? "", response.Headers.ETag.ToString(), text);
    }

    private static readonly ServiceProvider Services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
}

public sealed record Reply(int Status, string ContentType, string ETag, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public IReadOnlyCollection<string> ErrorFields => Json["errors"]?.AsObject().Select(e => e.Key).ToList() ?? [];

    public override string ToString() => $"{Status} {ContentType} {Body}";
}
