using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Auth;

namespace RunStrength.Functions.Tests;

/// <summary>
/// The production sign-in path: RS256/ES256 tokens validated through <c>Auth:Authority</c>, its
/// OpenID Connect metadata and JWKS served by a local issuer through the injectable retriever.
/// </summary>
public sealed class OpenIdConnectTests : IDisposable
{
    private const string Authority = "https://login.test/tenant/v2.0";
    private const string Audience = "api://runstrength";
    private readonly LocalIssuer _issuer = new();
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JwtAuthenticator _authenticator;

    public OpenIdConnectTests()
    {
        _issuer.Publish(Rsa(_rsa, "rsa-1"), Ec(_ec, "ec-1"));
        _authenticator = new JwtAuthenticator(
            Options.Create(new AuthOptions { Issuer = Authority, Audience = Audience, Authority = new Uri(Authority), RequiredScope = "plans.readwrite" }),
            NullLogger<JwtAuthenticator>.Instance,
            _issuer);
    }

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
    }

    [Fact]
    public async Task Rs256TokenIsAccepted() =>
        Assert.Equal(AuthResult.User("alice"), await Check(Token(RsaCredentials(_rsa, "rsa-1"))));

    [Fact]
    public async Task Es256TokenIsAccepted() =>
        Assert.Equal(AuthResult.User("alice"), await Check(Token(new SigningCredentials(new ECDsaSecurityKey(_ec) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256))));

    [Fact]
    public async Task ARotatedSigningKeyIsPickedUp()
    {
        Assert.Equal(AuthOutcome.Authenticated, (await Check(Token(RsaCredentials(_rsa, "rsa-1")))).Outcome);
        using var rotated = RSA.Create(2048);
        _issuer.Publish(Rsa(_rsa, "rsa-1"), Rsa(rotated, "rsa-2"));

        Assert.Equal(AuthResult.User("alice"), await Check(Token(RsaCredentials(rotated, "rsa-2"))));
    }

    [Fact]
    public void TheAppRefetchesKeysBeforeJudgingARotatedKey()
    {
        var output = typeof(OpenIdConnectTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutput").Value!;
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "RunStrength.Functions.runtimeconfig.json")))!;

        Assert.True(runtimeConfig["runtimeOptions"]!["configProperties"]!["Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking"]!.GetValue<bool>());
        Assert.True(AppContext.TryGetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", out var blocking) && blocking);
    }

    [Fact]
    public async Task AnUnknownKeyIdIsRejected()
    {
        using var stranger = RSA.Create(2048);

        Assert.Equal(AuthOutcome.Invalid, (await Check(Token(RsaCredentials(stranger, "rsa-unknown")))).Outcome);
    }

    [Fact]
    public async Task AKnownKeyIdSignedByAnotherKeyIsRejected()
    {
        using var forger = RSA.Create(2048);

        Assert.Equal(AuthOutcome.Invalid, (await Check(Token(RsaCredentials(forger, "rsa-1")))).Outcome);
    }

    [Fact]
    public async Task AWrongIssuerIsRejected() =>
        Assert.Equal(AuthOutcome.Invalid, (await Check(Token(RsaCredentials(_rsa, "rsa-1"), issuer: "https://login.test/other/v2.0"))).Outcome);

    [Fact]
    public async Task AnHs256TokenIsRejectedAgainstTheRsaConfiguration()
    {
        // The classic confusion: an HMAC keyed with the issuer's public key, under the RSA key's id.
        var publicKey = _rsa.ExportSubjectPublicKeyInfo();
        var hmac = new SigningCredentials(new SymmetricSecurityKey(publicKey) { KeyId = "rsa-1" }, SecurityAlgorithms.HmacSha256);

        Assert.Equal(AuthOutcome.Invalid, (await Check(Token(hmac))).Outcome);
    }

    [Fact]
    public async Task UnreachableMetadataGives401NotAnException()
    {
        _issuer.Unreachable = true;
        var request = TestHttp.Request("GET /api/me/profile", user: null, headers: ("Authorization", $"Bearer {Token(RsaCredentials(_rsa, "rsa-1"))}"));
        var middleware = new AuthenticationMiddleware(_authenticator, Options.Create(new AuthOptions()), TestHttp.Production, new AuditLog(NullLoggerFactory.Instance, new FakeTimeProvider()));

        var refusal = await middleware.GateAsync("GetProfile", request.HttpContext);
        var reply = await TestHttp.Execute(request, Task.FromResult(refusal!));

        Assert.Equal(401, reply.Status);
        Assert.Equal("Bearer error=\"invalid_token\"", request.HttpContext.Response.Headers.WWWAuthenticate.ToString());
    }

    private async Task<AuthResult> Check(string token)
    {
        var request = TestHttp.Request("GET", user: null);
        request.Headers.Authorization = $"Bearer {token}";
        return await _authenticator.CheckAsync(request);
    }

    private static SigningCredentials RsaCredentials(RSA rsa, string kid) =>
        new(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256);

    private static string Token(SigningCredentials credentials, string issuer = Authority) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = Audience,
            Expires = DateTime.UtcNow.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "alice", ["scp"] = "plans.readwrite", ["oid"] = "object-of-alice" },
            SigningCredentials = credentials,
        });

    private static JsonObject Rsa(RSA rsa, string kid)
    {
        var key = rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = kid, ["n"] = Base64UrlEncoder.Encode(key.Modulus), ["e"] = Base64UrlEncoder.Encode(key.Exponent) };
    }

    private static JsonObject Ec(ECDsa ec, string kid)
    {
        var key = ec.ExportParameters(includePrivateParameters: false);
        return new JsonObject { ["kty"] = "EC", ["use"] = "sig", ["alg"] = "ES256", ["crv"] = "P-256", ["kid"] = kid, ["x"] = Base64UrlEncoder.Encode(key.Q.X), ["y"] = Base64UrlEncoder.Encode(key.Q.Y) };
    }

    /// <summary>An OpenID Connect issuer in memory: metadata and a JWKS the test can rotate, or make unreachable.</summary>
    private sealed class LocalIssuer : IDocumentRetriever
    {
        private string _keys = """{ "keys": [] }""";

        public bool Unreachable { get; set; }

        public int Fetches { get; private set; }

        public void Publish(params JsonObject[] keys) => _keys = new JsonObject { ["keys"] = new JsonArray(keys) }.ToJsonString();

        public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            Fetches++;
            if (Unreachable)
            {
                throw new IOException($"IDX20804: Unable to retrieve document from: '{address}'.");
            }

            return Task.FromResult(address switch
            {
                $"{Authority}/.well-known/openid-configuration" => new JsonObject
                {
                    ["issuer"] = Authority,
                    ["jwks_uri"] = $"{Authority}/keys",
                    ["id_token_signing_alg_values_supported"] = new JsonArray("RS256", "ES256"),
                }.ToJsonString(),
                $"{Authority}/keys" => _keys,
                _ => throw new IOException($"404 {address}"),
            });
        }
    }
}
