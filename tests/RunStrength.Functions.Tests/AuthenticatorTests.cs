using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RunStrength.DevToken;

namespace RunStrength.Functions.Tests;

public sealed class AuthenticatorTests
{
    private static Task<string?> Authenticate(string? authorization, bool trustAppService = false, params (string, string)[] headers)
    {
        var request = TestHttp.Request("GET", user: null, headers: headers);
        if (authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }

        return TestHttp.Authenticator(trustAppService).AuthenticateAsync(request);
    }

    private static string Mint(Action<SecurityTokenDescriptor> change, string? key = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = TestHttp.Settings.Issuer,
            Audience = TestHttp.Settings.Audience,
            IssuedAt = DateTime.UtcNow.AddMinutes(-1),
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "alice", ["scp"] = "openid plans.readwrite" },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key ?? TestHttp.Settings.SigningKey)), SecurityAlgorithms.HmacSha256),
        };
        change(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    [Fact]
    public async Task ValidTokenGivesItsSubject() => Assert.Equal("alice", await Authenticate($"Bearer {TestHttp.Token("alice")}"));

    public static TheoryData<string, string?> Rejected() => new()
    {
        { "missing", null },
        { "not bearer", "Basic YWxpY2U6cGFzcw==" },
        { "garbage", "Bearer not.a.token" },
        { "expired", $"Bearer {Mint(d => { d.NotBefore = DateTime.UtcNow.AddHours(-3); d.IssuedAt = d.NotBefore; d.Expires = DateTime.UtcNow.AddMinutes(-10); })}" },
        { "no expiry", $"Bearer {Mint(d => d.Expires = null)}" },
        { "wrong key", $"Bearer {Mint(_ => { }, Convert.ToBase64String(new byte[32]))}" },
        { "wrong audience", $"Bearer {Mint(d => d.Audience = "someone-else")}" },
        { "wrong issuer", $"Bearer {Mint(d => d.Issuer = "https://evil.test")}" },
        { "no subject", $"Bearer {Mint(d => d.Claims = new Dictionary<string, object> { ["name"] = "alice" })}" },
        { "alg none", $"Bearer {Unsigned()}" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task InvalidCredentialsGiveNoUser(string why, string? authorization) =>
        Assert.True(await Authenticate(authorization) is null, why);

    private static async Task<Auth.AuthResult> Check(string token, Action<Auth.AuthOptions>? configure = null)
    {
        var options = TestHttp.AuthOptions();
        configure?.Invoke(options);
        var request = TestHttp.Request("GET", user: null);
        request.Headers.Authorization = $"Bearer {token}";
        return await new Auth.JwtAuthenticator(Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLogger<Auth.JwtAuthenticator>.Instance).CheckAsync(request);
    }

    public static TheoryData<string, string> Forbidden() => new()
    {
        { "no scope", Mint(d => d.Claims = new Dictionary<string, object> { ["sub"] = "alice" }) },
        { "another scope", Mint(d => d.Claims = new Dictionary<string, object> { ["sub"] = "alice", ["scp"] = "plans.read plans.readwrite.all" }) },
        { "app-only by idtyp", Mint(d => d.Claims = new Dictionary<string, object> { ["sub"] = "alice", ["scp"] = "plans.readwrite", ["idtyp"] = "app" }) },
        { "app-only: roles, no scp, subject is the client", Mint(d => d.Claims = new Dictionary<string, object> { ["sub"] = "svc", ["azp"] = "svc", ["roles"] = new[] { "plans.readwrite" } }) },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public async Task ValidTokensNotIssuedForThisApiAreForbidden(string why, string token)
    {
        var result = await Check(token, o => o.RequiredRole = "plans.readwrite");

        Assert.True(result.Outcome == Auth.AuthOutcome.Forbidden, $"{why}: {result}");
        Assert.Null(result.UserId);
    }

    [Fact]
    public async Task TheRequiredScopeAmongOthersGrantsAccess() =>
        Assert.Equal(Auth.AuthResult.User("alice"), await Check(Mint(_ => { })));

    [Fact]
    public async Task AUserTokenWithTheRequiredRoleGrantsAccess()
    {
        var token = Mint(d => d.Claims = new Dictionary<string, object> { ["sub"] = "alice", ["oid"] = "object-of-alice", ["roles"] = new[] { "Plans.User" } });

        Assert.Equal(Auth.AuthOutcome.Forbidden, (await Check(token)).Outcome);
        Assert.Equal(Auth.AuthResult.User("alice"), await Check(token, o => o.RequiredRole = "Plans.User"));
    }

    [Fact]
    public void AJwtConfigurationWithoutScopeOrRoleIsRejectedAtStartup()
    {
        var options = new Auth.AuthOptions { Issuer = "i", Audience = "a", SigningKey = TestHttp.Settings.SigningKey };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(Auth.AuthOptions.RequiredScope)));
    }

    [Fact]
    public async Task ExpiredWithinTheConfiguredSkewStillCounts()
    {
        var justExpired = Mint(d => { d.NotBefore = DateTime.UtcNow.AddHours(-1); d.IssuedAt = d.NotBefore; d.Expires = DateTime.UtcNow.AddSeconds(-30); });

        Assert.Equal("alice", await Authenticate($"Bearer {justExpired}"));
    }

    [Fact]
    public async Task AppServiceHeadersAreIgnoredUnlessTrusted()
    {
        (string, string)[] forged = [("X-MS-CLIENT-PRINCIPAL-ID", "victim"), ("X-MS-CLIENT-PRINCIPAL-IDP", "aad")];

        Assert.Null(await Authenticate(null, trustAppService: false, forged));
        Assert.Equal("alice", await Authenticate($"Bearer {TestHttp.Token("alice")}", trustAppService: false, forged));
        Assert.Equal("aad:victim", await Authenticate(null, trustAppService: true, forged));
    }

    [Fact]
    public async Task AppServiceUsersAreKeyedByTheirIdentityProvider()
    {
        var fromEntra = await Authenticate(null, trustAppService: true, ("X-MS-CLIENT-PRINCIPAL-ID", "12345"), ("X-MS-CLIENT-PRINCIPAL-IDP", "aad"));
        var fromGitHub = await Authenticate(null, trustAppService: true, ("X-MS-CLIENT-PRINCIPAL-ID", "12345"), ("X-MS-CLIENT-PRINCIPAL-IDP", "github"));

        Assert.Equal("aad:12345", fromEntra);
        Assert.Equal("github:12345", fromGitHub);
        Assert.Null(await Authenticate(null, trustAppService: true, ("X-MS-CLIENT-PRINCIPAL-ID", "12345")));
    }

    [Fact]
    public void ClockSkewAboveFiveMinutesIsRejectedAtStartup()
    {
        var options = new Auth.AuthOptions { Issuer = "i", Audience = "a", SigningKey = TestHttp.Settings.SigningKey, ClockSkew = TimeSpan.FromMinutes(6) };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
    }

    [Fact]
    public async Task DevelopmentTokenFromLocalSettingsIsAccepted()
    {
        var path = Path.Combine(RunStrength.Testing.RepositoryPaths.Root, "src", "RunStrength.Functions", "local.settings.json");
        var settings = DevTokens.Read(path);
        Assert.Equal("plans.readwrite", settings.Scope);
        Auth.IAuthenticator authenticator = new Auth.JwtAuthenticator(
            Microsoft.Extensions.Options.Options.Create(new Auth.AuthOptions { Issuer = settings.Issuer, Audience = settings.Audience, SigningKey = settings.SigningKey, RequiredScope = settings.Scope }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Auth.JwtAuthenticator>.Instance);
        var request = TestHttp.Request("GET", user: null);
        request.Headers.Authorization = $"Bearer {DevTokens.Mint(settings, "demo user/1", TimeSpan.FromHours(1))}";

        Assert.Equal("demo user/1", await authenticator.AuthenticateAsync(request));
    }

    private static string Unsigned()
    {
        static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Encode($"{{\"sub\":\"alice\",\"iss\":\"{TestHttp.Settings.Issuer}\",\"aud\":\"{TestHttp.Settings.Audience}\",\"exp\":{exp}}}")}.";
    }
}
