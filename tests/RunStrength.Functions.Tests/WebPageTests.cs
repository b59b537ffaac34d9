using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Web;
using RunStrength.Testing;

namespace RunStrength.Functions.Tests;

/// <summary>The web client served by the app: its files, their headers, and the sign-in settings it reads.</summary>
public sealed partial class WebPageTests
{
    private static readonly Uri Entra = new("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0");
    private static readonly WebOptions EntraSignIn = new() { ClientId = "web-client", Scope = "api://runstrength/plans.readwrite" };

    private static async Task<(int Status, string ContentType, string Body, IHeaderDictionary Headers)> Page(string file, Uri? authority = null, params (string Name, string Value)[] headers) =>
        await Page(file, authority, new WebOptions(), headers);

    private static async Task<(int Status, string ContentType, string Body, IHeaderDictionary Headers)> Page(string file, Uri? authority, WebOptions web, params (string Name, string Value)[] headers)
    {
        var request = TestHttp.Request($"GET /web/{file}", user: null, headers: headers);
        var options = TestHttp.AuthOptions();
        options.Authority = authority;
        var result = new WebPageFunctions(Options.Create(options), Options.Create(web)).Serve(request, file);
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
    [InlineData("msal-browser.min.js", "text/javascript; charset=utf-8")]
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
    public async Task WithEntraSignInThePageMayFetchFromItsAuthorityAndNowhereElse()
    {
        var (_, _, _, headers) = await Page("index.html", Entra, EntraSignIn);

        Assert.Contains("connect-src 'self' https://login.microsoftonline.com;", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAnAuthorityButNoEntraSignInThePageFetchesOnlyFromItsOwnOrigin()
    {
        var (_, _, _, headers) = await Page("index.html", Entra);

        Assert.Contains("connect-src 'self';", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MsalIsEmbeddedFromThePinnedPackageAndServedAsScriptWithRevalidation()
    {
        var pinned = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "package.json")))
            .RootElement.GetProperty("devDependencies").GetProperty("@azure/msal-browser").GetString();
        var installed = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "node_modules", "@azure", "msal-browser", "lib", "msal-browser.min.js"));

        var (status, type, body, headers) = await Page("msal-browser.min.js", Entra, EntraSignIn);

        Assert.Equal(200, status);
        Assert.Equal("text/javascript; charset=utf-8", type);
        Assert.Equal("no-cache", headers.CacheControl.ToString());
        Assert.Equal(WebAssets.Find("msal-browser.min.js")!.ETag, headers.ETag.ToString());
        Assert.Equal("nosniff", headers.XContentTypeOptions.ToString());
        Assert.StartsWith($"/*! @azure/msal-browser v{pinned} ", body, StringComparison.Ordinal);
        Assert.Equal(installed, WebAssets.Find("msal-browser.min.js")!.Content);
    }

    [Fact]
    public void ThePageHasNoInlineScriptStyleOrHandlerAndEveryFileItNamesIsEmbedded()
    {
        var html = System.Text.Encoding.UTF8.GetString(WebAssets.Find("index.html")!.Content);

        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(InlineHandlerOrStyle(), html);
        var scripts = WebAssets.Files.Where(f => f.Key.EndsWith(".js", StringComparison.Ordinal)).Select(f => System.Text.Encoding.UTF8.GetString(f.Value.Content)).ToList();
        var named = WebFile().Matches(html).Select(m => m.Groups[1].Value)
            .Concat(scripts.SelectMany(script => ModuleImport().Matches(script).Concat(WebFile().Matches(script)).Select(m => m.Groups[1].Value)))
            .Distinct().ToList();
        Assert.Contains("app.js", named);
        Assert.Contains("week.js", named);
        Assert.Contains("msal-browser.min.js", named);
        Assert.All(named, name => Assert.NotNull(WebAssets.Find(name)));
    }

    [Fact]
    public void InDevelopmentThePageOffersTheDevelopmentSignIn()
    {
        var json = Config(TestHttp.Development, TestHttp.AuthOptions(), new WebOptions());

        Assert.Equal("""{"signIn":"development"}""", json);
    }

    [Fact]
    public void InProductionThePageSignsInWithMsalAtTheTenantAuthority()
    {
        var auth = new AuthOptions { Issuer = "i", Audience = "a", Authority = Entra, RequiredScope = "plans.readwrite" };
        var json = Config(TestHttp.Production, auth, EntraSignIn);

        Assert.Equal(
            """{"signIn":"entra","entra":{"authority":"https://login.microsoftonline.com/contoso.onmicrosoft.com","clientId":"web-client","scope":"api://runstrength/plans.readwrite"}}""",
            json);
    }

    [Fact]
    public void ASignInAuthorityOfItsOwnWinsOverTheApisAndOverTheDevelopmentSignIn()
    {
        var web = new WebOptions { ClientId = "web-client", Scope = "api://runstrength/plans.readwrite", Authority = new Uri("https://login.example.test/tenant/") };

        var json = Config(TestHttp.Development, TestHttp.AuthOptions(), web);

        Assert.Equal(
            """{"signIn":"entra","entra":{"authority":"https://login.example.test/tenant","clientId":"web-client","scope":"api://runstrength/plans.readwrite"}}""",
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
