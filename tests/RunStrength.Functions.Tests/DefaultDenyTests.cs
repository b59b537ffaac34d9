using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Auth;

namespace RunStrength.Functions.Tests;

/// <summary>Authentication is middleware in front of every HTTP function found in the app, not a call each handler must remember.</summary>
public sealed class DefaultDenyTests
{
    /// <summary>Every HTTP-triggered function in the app, read from its [Function] and [HttpTrigger] attributes.</summary>
    public static IReadOnlyList<(string Name, string Method, string Route)> HttpFunctions { get; } =
        typeof(AuthenticationMiddleware).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Function is not null && f.Trigger is not null)
            .Select(f => (f.Function!.Name, string.Join(',', f.Trigger!.Methods ?? []).ToUpperInvariant(), f.Trigger.Route ?? ""))
            .OrderBy(f => f.Item3, StringComparer.Ordinal)
            .ToList();

    public static TheoryData<string, string> Protected()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, method, route) in HttpFunctions.Where(f => !AuthenticationMiddleware.Anonymous.Contains(f.Name) && !AuthenticationMiddleware.DevelopmentOnly.Contains(f.Name)))
        {
            data.Add(name, $"{method} {route}");
        }

        return data;
    }

    private static AuthenticationMiddleware Middleware() => new(TestHttp.Authenticator(), Options.Create(TestHttp.AuthOptions()), TestHttp.Production, new AuditLog(NullLoggerFactory.Instance, new FakeTimeProvider()));

    [Fact]
    public void DiscoveryFindsTheWholeApi()
    {
        Assert.True(HttpFunctions.Count >= 14, string.Join(", ", HttpFunctions));
        Assert.Contains(HttpFunctions, f => f.Route == "api/me/profile" && f.Method == "PUT");
    }

    [Fact]
    public void OnlyHealthOpenApiTheCalendarFeedTheExerciseCatalogueAndTheWebPageAreAnonymous()
    {
        var anonymous = HttpFunctions.Where(f => AuthenticationMiddleware.Anonymous.Contains(f.Name)).Select(f => $"{f.Method} {f.Route}").Order(StringComparer.Ordinal);

        Assert.Equal(
            ["GET api/calendar/feed.ics", "GET api/calendar/{token}.ics", "GET api/exercises", "GET api/health", "GET api/openapi.json", "GET api/web-config", "GET web/{file}", "GET {root:maxlength(0)?}"],
            anonymous);
        Assert.Equal(["IssueDevToken"], AuthenticationMiddleware.DevelopmentOnly);
        Assert.Empty(AuthenticationMiddleware.Anonymous.Intersect(AuthenticationMiddleware.DevelopmentOnly));
        Assert.All(AuthenticationMiddleware.Anonymous, name => Assert.Contains(HttpFunctions, f => f.Name == name));
        Assert.All(RateLimits.RateLimitMiddleware.Sensitive, name => Assert.Contains(HttpFunctions, f => f.Name == name));
        Assert.All(RateLimits.RateLimitMiddleware.Channels, name => Assert.Contains(HttpFunctions, f => f.Name == name));
    }

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task EveryOtherRouteIs401WithoutAToken(string function, string route)
    {
        var request = TestHttp.Request(TestHttp.Sample(route), user: null);

        var reply = await Run(function, request);

        Assert.Equal(401, reply.Status);
        Assert.Equal("application/problem+json", reply.ContentType);
        Assert.Equal("Bearer", request.HttpContext.Response.Headers.WWWAuthenticate.ToString());
        Assert.Equal("no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
    }

    [Theory]
    [MemberData(nameof(Protected))]
    public async Task AnInvalidTokenIs401InvalidToken(string function, string route)
    {
        var request = TestHttp.Request(TestHttp.Sample(route), user: null, headers: ("Authorization", "Bearer not.a.token"));

        var reply = await Run(function, request);

        Assert.Equal(401, reply.Status);
        Assert.Equal("Bearer error=\"invalid_token\"", request.HttpContext.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task AValidTokenWithoutTheScopeIs403()
    {
        var settings = TestHttp.Settings with { Scope = "Something.Else" };
        var request = TestHttp.Request("GET /api/me/profile", user: null, headers: ("Authorization", $"Bearer {DevToken.DevTokens.Mint(settings, "alice", TimeSpan.FromHours(1))}"));

        var reply = await Run("GetProfile", request);

        Assert.Equal(403, reply.Status);
        Assert.Equal("urn:runstrength:problem:forbidden", reply.Json["type"]!.GetValue<string>());
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"plans.readwrite\"", request.HttpContext.Response.Headers.WWWAuthenticate.ToString());
    }

    [Fact]
    public async Task AValidTokenPassesAndPersonalDataIsNotCached()
    {
        var request = TestHttp.Request("GET", user: "alice");

        Assert.Null(await Middleware().GateAsync("GetProfile", request.HttpContext));
        Assert.Equal("no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task AnonymousRoutesPassWithoutAToken()
    {
        var request = TestHttp.Request("GET", user: null);

        Assert.Null(await Middleware().GateAsync("GetHealth", request.HttpContext));
    }

    [Theory]
    [MemberData(nameof(Protected))]
    public void TheOpenApiDocumentShows401403And429WithTheirHeaders(string function, string route)
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(OpenApi.OpenApiFunctions.Json)!;
        var (method, path) = (route.Split(' ')[0].ToLowerInvariant(), "/" + route.Split(' ')[1]["api/".Length..]);
        var responses = document["paths"]![path]![method]!["responses"]!;

        Assert.True(responses["401"]?["$ref"]?.GetValue<string>() == "#/components/responses/Unauthorized", function);
        Assert.True(responses["403"]?["$ref"]?.GetValue<string>() == "#/components/responses/Forbidden", function);
        Assert.True(responses["429"]?["$ref"]?.GetValue<string>() == "#/components/responses/TooManyRequests", function);
        Assert.NotNull(document["components"]!["responses"]!["Unauthorized"]!["headers"]!["WWW-Authenticate"]);
        Assert.NotNull(document["components"]!["responses"]!["TooManyRequests"]!["headers"]!["Retry-After"]);
    }

    private static async Task<Reply> Run(string function, HttpRequest request)
    {
        var refusal = await Middleware().GateAsync(function, request.HttpContext);
        Assert.NotNull(refusal);
        return await TestHttp.Execute(request, Task.FromResult(refusal));
    }
}
