using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Web;

namespace RunStrength.Functions.Tests;

/// <summary>The web client served by the app: its files, their headers, and the sign-in settings it reads.</summary>
public sealed partial class WebPageTests
{
    private static readonly Uri Entra = new("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0");

    private static async Task<(int Status, string ContentType, string Body, IHeaderDictionary Headers)> Page(string file, Uri? authority = null, params (string Name, string Value)[] headers)
    {
        var request = TestHttp.Request($"GET /web/{file}", user: null, headers: headers);
        var options = TestHttp.AuthOptions();
        options.Authority = authority;
        var result = new WebPageFunctions(Options.Create(options)).Serve(request, file);
        await result.ExecuteAsync(request.HttpContext);
        var response = request.HttpContext.Response;
        response.Body.Position = 0;
        return (response.StatusCode, response.ContentType ?? "", await new StreamReader(response.Body).ReadToEndAsync(), response.Headers);
    }

    [Theory]
    [InlineData("index.html", "text/html; charset=utf-8")]
    [InlineData("app.js", "text/javascript; charset=utf-8")]
    [InlineData("app.css", "text/css; charset=utf-8")]
    [InlineData("icon.svg", "image/svg+xml")]
    public async Task EachFileHasItsTypeAStrictPolicyNosniffAndRevalidation(string file, string contentType)
    {
        var (status, type, body, headers) = await Page(file);

        Assert.Equal(200, status);
        Assert.Equal(contentType, type);
        Assert.NotEmpty(body);
        Assert.Equal("nosniff", headers.XContentTypeOptions.ToString());
        Assert.Equal("no-cache", headers.CacheControl.ToString());
        Assert.Matches("^\"[0-9a-f]{16}\"$", headers.ETag.ToString());
        var policy = headers.ContentSecurityPolicy.ToString();
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnchangedFileIs304()
    {
        var (_, _, _, headers) = await Page("app.js");

        var (status, _, body, _) = await Page("app.js", null, ("If-None-Match", headers.ETag.ToString()));

        Assert.Equal(304, status);
        Assert.Empty(body);
    }

    [Theory]
    [InlineData("nope.js")]
    [InlineData("../host.json")]
    [InlineData("..%2Fhost.json")]
    [InlineData("App.js")]
    [InlineData("")]
    public async Task AnythingButAnEmbeddedFileIs404(string file)
    {
        var (status, type, _, headers) = await Page(file);

        Assert.Equal(404, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal("nosniff", headers.XContentTypeOptions.ToString());
    }

    [Fact]
    public async Task WithAnEntraAuthorityThePageMayPostToItsTokenEndpointAndNowhereElse()
    {
        var (_, _, _, headers) = await Page("index.html", Entra);

        Assert.Contains("connect-src 'self' https://login.microsoftonline.com;", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ThePageHasNoInlineScriptStyleOrHandlerAndEveryFileItNamesIsEmbedded()
    {
        var html = System.Text.Encoding.UTF8.GetString(WebAssets.Find("index.html")!.Content);

        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(InlineHandlerOrStyle(), html);
        var named = WebFile().Matches(html).Select(m => m.Groups[1].Value)
            .Concat(WebAssets.Files.Where(f => f.Key.EndsWith(".js", StringComparison.Ordinal))
                .SelectMany(f => ModuleImport().Matches(System.Text.Encoding.UTF8.GetString(f.Value.Content)).Select(m => m.Groups[1].Value)))
            .Distinct().ToList();
        Assert.Contains("app.js", named);
        Assert.Contains("week.js", named);
        Assert.All(named, name => Assert.NotNull(WebAssets.Find(name)));
    }

    [Fact]
    public void InDevelopmentThePageOffersTheDevelopmentSignIn()
    {
        var json = Config(TestHttp.Development, TestHttp.AuthOptions(), new WebOptions());

        Assert.Equal("""{"signIn":"development"}""", json);
    }

    [Fact]
    public void InProductionThePageSignsInWithEntraAtTheTenantsEndpoints()
    {
        var auth = new AuthOptions { Issuer = "i", Audience = "a", Authority = Entra, RequiredScope = "plans.readwrite" };
        var json = Config(TestHttp.Production, auth, new WebOptions { ClientId = "web-client", Scope = "api://runstrength/plans.readwrite" });

        Assert.Equal(
            """{"signIn":"entra","entra":{"authorizeEndpoint":"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize","tokenEndpoint":"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token","clientId":"web-client","scope":"api://runstrength/plans.readwrite"}}""",
            json);
    }

    [Fact]
    public void InProductionWithoutAClientIdThereIsNoSignInAndNeverTheDevelopmentOne()
    {
        Assert.Equal("""{"signIn":"none"}""", Config(TestHttp.Production, TestHttp.AuthOptions(), new WebOptions()));
    }

    private static string Config(Microsoft.Extensions.Hosting.IHostEnvironment environment, AuthOptions auth, WebOptions web)
    {
        var request = TestHttp.Request("GET /api/web-config", user: null);
        var reply = TestHttp.Execute(request, Task.FromResult(new WebConfigFunctions(Options.Create(auth), Options.Create(web), environment).Config())).GetAwaiter().GetResult();
        Assert.Equal(200, reply.Status);
        return reply.Body;
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("\\s(on[a-z]+|style)\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandlerOrStyle();

    [GeneratedRegex("\"/web/([^\"]+)\"")]
    private static partial Regex WebFile();

    [GeneratedRegex("from \"\\./([^\"]+)\"")]
    private static partial Regex ModuleImport();
}
