using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using RunStrength.DevToken;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Auth;

namespace RunStrength.Functions.Tests;

/// <summary>The development sign-in mints tokens in Development only; in any other environment the route does not exist.</summary>
public sealed class DevSignInTests
{
    private static DevSignInFunctions Functions(Microsoft.Extensions.Hosting.IHostEnvironment environment) => new(Options.Create(TestHttp.AuthOptions()), environment);

    private static AuthenticationMiddleware Middleware(Microsoft.Extensions.Hosting.IHostEnvironment environment) =>
        new(TestHttp.Authenticator(), Options.Create(TestHttp.AuthOptions()), environment, new AuditLog(NullLoggerFactory.Instance, new FakeTimeProvider()));

    [Fact]
    public async Task InDevelopmentAnyUserIdGetsATokenTheApiAccepts()
    {
        var request = TestHttp.Request("POST /api/dev/token", user: null, body: """{ "userId": "web|user 1" }""");

        Assert.Null(await Middleware(TestHttp.Development).GateAsync(nameof(DevSignInFunctions.IssueDevToken), request.HttpContext));
        var reply = await TestHttp.Execute(request, Functions(TestHttp.Development).Issue(request, default));

        Assert.Equal(200, reply.Status);
        Assert.Equal("Bearer", reply.Json["tokenType"]!.GetValue<string>());
        Assert.Equal(12 * 3600, reply.Json["expiresIn"]!.GetValue<int>());
        Assert.Equal("no-store", request.HttpContext.Response.Headers.CacheControl.ToString());
        var use = TestHttp.Request("GET /api/me/profile", user: null, headers: ("Authorization", $"Bearer {reply.Json["accessToken"]!.GetValue<string>()}"));
        Assert.Equal("web|user 1", await TestHttp.Authenticator().AuthenticateAsync(use));
    }

    [Fact]
    public async Task TheSignInMintsWhatTheDevTokenToolMints()
    {
        var request = TestHttp.Request("POST /api/dev/token", user: null, body: """{ "userId": "bob" }""");
        var reply = await TestHttp.Execute(request, Functions(TestHttp.Development).Issue(request, default));
        var issued = new JsonWebToken(reply.Json["accessToken"]!.GetValue<string>());
        var minted = new JsonWebToken(DevTokens.Mint(TestHttp.Settings, "bob", DevSignInFunctions.Lifetime, issued.IssuedAt));

        Assert.Equal(minted.EncodedHeader, issued.EncodedHeader);
        Assert.Equal(minted.EncodedPayload, issued.EncodedPayload);
        Assert.Equal(minted.EncodedSignature, issued.EncodedSignature);
    }

    [Fact]
    public async Task WithOnlyARequiredRoleBothTheSignInAndTheToolMintATokenCarryingIt()
    {
        var options = TestHttp.AuthOptions();
        options.RequiredScope = null;
        options.RequiredRole = "Plans.ReadWrite";
        IAuthenticator authenticator = new JwtAuthenticator(Options.Create(options), NullLogger<JwtAuthenticator>.Instance);
        var request = TestHttp.Request("POST /api/dev/token", user: null, body: """{ "userId": "carol" }""");
        var reply = await TestHttp.Execute(request, new DevSignInFunctions(Options.Create(options), TestHttp.Development).Issue(request, default));
        var tool = DevTokens.Mint(TestHttp.Settings with { Scope = null, Role = "Plans.ReadWrite" }, "carol", TimeSpan.FromHours(1));

        foreach (var token in new[] { reply.Json["accessToken"]!.GetValue<string>(), tool })
        {
            var use = TestHttp.Request("GET /api/me/profile", user: null, headers: ("Authorization", $"Bearer {token}"));
            Assert.Equal("carol", await authenticator.AuthenticateAsync(use));
            Assert.Equal(["Plans.ReadWrite"], new JsonWebToken(token).GetPayloadValue<string[]>("roles"));
        }
    }

    [Theory]
    [InlineData("""{ "userId": "" }""")]
    [InlineData("""{ "userId": 7 }""")]
    [InlineData("""{ "user": "alice" }""")]
    [InlineData("""{ "userId": "a\u0000b" }""")]
    public async Task AnUnusableUserIdIs400NamingIt(string body)
    {
        var request = TestHttp.Request("POST /api/dev/token", user: null, body: body);

        var reply = await TestHttp.Execute(request, Functions(TestHttp.Development).Issue(request, default));

        Assert.Equal(400, reply.Status);
        Assert.NotNull(reply.Json["errors"]!["userId"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("alice")]
    public async Task OutsideDevelopmentTheRouteIs404ForEveryoneAndNotAnonymous(string? user)
    {
        var request = TestHttp.Request("POST /api/dev/token", user: user, body: """{ "userId": "mallory" }""");

        var refusal = await Middleware(TestHttp.Production).GateAsync(nameof(DevSignInFunctions.IssueDevToken), request.HttpContext);
        var reply = await TestHttp.Execute(request, Task.FromResult(refusal!));

        Assert.Equal(404, reply.Status);
        Assert.DoesNotContain(nameof(DevSignInFunctions.IssueDevToken), (IEnumerable<string>)AuthenticationMiddleware.Anonymous);
    }

    [Fact]
    public async Task OutsideDevelopmentTheHandlerItselfAlsoRefuses()
    {
        var request = TestHttp.Request("POST /api/dev/token", user: "alice", body: """{ "userId": "mallory" }""");

        var reply = await TestHttp.Execute(request, Functions(TestHttp.Production).Issue(request, default));

        Assert.Equal(404, reply.Status);
        Assert.DoesNotContain("eyJ", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InDevelopmentWithoutASigningKeyThereIsNoDevelopmentSignIn()
    {
        var options = new AuthOptions { Issuer = "i", Audience = "a", Authority = new Uri("https://login.microsoftonline.com/t/v2.0"), RequiredScope = "s" };
        var request = TestHttp.Request("POST /api/dev/token", user: null, body: """{ "userId": "mallory" }""");

        var reply = await TestHttp.Execute(request, new DevSignInFunctions(Options.Create(options), TestHttp.Development).Issue(request, default));

        Assert.Equal(404, reply.Status);
    }
}
