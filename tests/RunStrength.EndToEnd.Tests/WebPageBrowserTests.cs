using System.Buffers.Text;
using System.Collections.Specialized;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using RunStrength.DevToken;
using RunStrength.Testing;

namespace RunStrength.EndToEnd.Tests;

/// <summary>
/// One LocalHost (with its Azurite) and one headless Debian Chromium for all the browser tests:
/// starting them is most of the time these tests take.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium; scripts/test.sh installs it with apt-get when it is missing. Playwright's own download is never used.</summary>
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public LocalHostFixture Host { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots are test artifacts: kept under the test project's TestResults/ (ignored by git; scripts/test.sh leaves it alone).</summary>
    public static string Screenshots { get; } = Path.Combine(RepositoryPaths.Root, "tests", "RunStrength.EndToEnd.Tests", "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (scripts/test.sh does).");
        Host = await LocalHostFixture.StartRunStrengthAsync();
        // Sign-up plans the week inside the request: give the page longer than the 5 s default to show it.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        // --no-sandbox: the tests may run as root (a container), where Chromium's sandbox refuses to start.
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}

/// <summary>The web client at / in a real browser, against the built app under LocalHost and Azurite.</summary>
public sealed class WebPageBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const int Phone = 375;
    private const int Desktop = 1280;

    private async Task<IPage> OpenAsync(int width)
    {
        var errors = new List<string>();
        var page = await NewPageAsync(fixture.Host, width, errors);
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToBeAttachedAsync();
        Assert.Empty(errors);
        return page;
    }

    /// <summary>A page in a fresh context of its own on <paramref name="host"/>; console errors (a CSP refusal is one) and uncaught errors go to <paramref name="errors"/>.</summary>
    private async Task<IPage> NewPageAsync(LocalHostFixture host, int width, List<string> errors)
    {
        var context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 }, BaseURL = host.BaseUrl.ToString() });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        return page;
    }

    private static async Task SignUpAsync(IPage page, string user)
    {
        await page.GetByLabel("User id").FillAsync(user);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create your profile" })).ToBeVisibleAsync();
    }

    private static async Task FillProfileAsync(IPage page)
    {
        await page.GetByLabel("Birth year").FillAsync("1988");
        await page.GetByLabel("Time zone").FillAsync("Europe/Amsterdam");
        await page.GetByLabel("Running now (minutes a week)").FillAsync("120");
    }

    private static async Task AssertNoSeriousAccessibilityViolationsAsync(IPage page, string where)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(serious.Count == 0, $"{where}:\n{string.Join("\n", serious)}");
    }

    [Fact]
    public async Task SignUpSeeTheWeekLogASessionAndSeeItCountedInTheChart()
    {
        var page = await OpenAsync(Desktop);
        await SignUpAsync(page, "web|flow");
        await FillProfileAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();

        // The week: day columns with sessions, each with why and rule ids.
        var thisWeek = page.Locator(".week").First;
        await Assertions.Expect(thisWeek.GetByRole(AriaRole.Heading, new() { Name = "This week:", Exact = false })).ToBeVisibleAsync();
        var week = await thisWeek.GetAttributeAsync("data-week");
        Assert.Matches("^\\d{4}-W\\d{2}$", week);
        Assert.Equal(7, await thisWeek.Locator(".day").CountAsync());
        var first = thisWeek.Locator("article.session:has(button.log)").First;
        Assert.All(await thisWeek.Locator("article.session .why").AllTextContentsAsync(), why => Assert.NotEmpty(why.Trim()));
        Assert.NotEmpty(await thisWeek.Locator(".rules code").AllTextContentsAsync());
        var done = page.Locator($"details.numbers tr[data-week='{week}'] td[data-column='done']");
        await Assertions.Expect(done).ToHaveTextAsync("0");

        // Log it: status, minutes, effort, and reps/RIR/load for any exercise.
        await first.Locator("button.log").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Status").SelectOptionAsync("completed");
        await dialog.GetByLabel("Minutes").FillAsync("35");
        await dialog.GetByLabel("Effort (RPE 1-10)").FillAsync("6");
        if (await dialog.Locator("fieldset.exercise-log").CountAsync() > 0)
        {
            await dialog.GetByLabel("Set 1 reps", new() { Exact = true }).First.FillAsync("8");
            await dialog.GetByLabel("Set 1 reps in reserve").First.FillAsync("2");
        }

        await AssertNoSeriousAccessibilityViolationsAsync(page, "log dialog, 1280 px");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save log" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();

        // Counted: the session shows its log, and the chart's week has one session done.
        await Assertions.Expect(thisWeek.Locator("article.session .logged").First).ToContainTextAsync("Done");
        await Assertions.Expect(done).ToHaveTextAsync("1");
        Assert.Equal(1, await page.Locator("#charts svg[role=img]").Nth(2).Locator("rect[fill='#047857']").CountAsync());

        await AssertNoSeriousAccessibilityViolationsAsync(page, "week and chart, 1280 px");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, $"week-{Desktop}.png"), FullPage = true });

        await page.SetViewportSizeAsync(Phone, 800);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 375 px");
        await AssertNoSeriousAccessibilityViolationsAsync(page, "week and chart, 375 px");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, $"week-{Phone}.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnInvalidProfileShowsTheServersErrorsBesideEachField()
    {
        var page = await OpenAsync(Phone);
        await SignUpAsync(page, "web|invalid");
        await FillProfileAsync(page);
        await page.GetByLabel("Longest session (minutes)").FillAsync("5");
        await page.GetByLabel("Birth year").FillAsync("");
        foreach (var day in new[] { "Monday", "Wednesday", "Friday", "Saturday" })
        {
            await page.GetByRole(AriaRole.Checkbox, new() { Name = day }).UncheckAsync();
        }

        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Tuesday" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();

        await Assertions.Expect(page.Locator("#maxSessionMinutes-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#maxSessionMinutes-error")).ToContainTextAsync("20");
        await Assertions.Expect(page.Locator("#birthYear-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#availableDays-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Longest session (minutes)")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#goal-error")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#weeks")).ToBeHiddenAsync();
        await AssertNoSeriousAccessibilityViolationsAsync(page, "profile errors, 375 px");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.Screenshots, $"profile-errors-{Phone}.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task EntraSignInGoesThroughMsalWithPkceAndShowsTheUsersWeek()
    {
        var authority = new FakeAuthority("https://login.runstrength.test/contoso", "web-page-client", "api://runstrength-api/plans.readwrite");
        var tokens = DevTokens.Read(Path.Combine(LocalHostFixture.Output("RunStrength.Functions"), "local.settings.json"));
        await using var host = await LocalHostFixture.StartRunStrengthAsync(new Dictionary<string, string>
        {
            ["Web__ClientId"] = authority.ClientId,
            ["Web__Scope"] = authority.Scope,
            ["Web__Authority"] = authority.Authority,
        });
        var errors = new List<string>();
        var page = await NewPageAsync(host, Desktop, errors);
        // The app under test trusts the development key, so the fake authority hands out its tokens.
        await page.Context.RouteAsync($"{authority.Origin}/**", route => authority.AnswerAsync(route, DevTokens.Mint(tokens, "web|entra", TimeSpan.FromHours(1))));

        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#dev-sign-in")).ToBeHiddenAsync();
        Assert.Empty(errors);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Microsoft" }).ClickAsync();

        // Back from the authority: MSAL redeemed the code, and the API took the access token.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create your profile" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync($"Signed in as {FakeAuthority.UserName}");
        var authorize = authority.Authorize!;
        Assert.Equal(authority.ClientId, authorize["client_id"]);
        Assert.Equal("code", authorize["response_type"]);
        Assert.Equal(host.BaseUrl.ToString(), authorize["redirect_uri"]);
        Assert.Contains(authority.Scope, (authorize["scope"] ?? "").Split(' '));
        Assert.Contains("openid", (authorize["scope"] ?? "").Split(' '));
        Assert.Equal("S256", authorize["code_challenge_method"]);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", authorize["code_challenge"]);
        var token = authority.Token!;
        Assert.Equal("authorization_code", token["grant_type"]);
        Assert.Equal(FakeAuthority.Code, token["code"]);
        Assert.Equal(authority.ClientId, token["client_id"]);
        Assert.Equal(host.BaseUrl.ToString(), token["redirect_uri"]);
        Assert.NotNull(token["code_verifier"]);
        Assert.Equal(authorize["code_challenge"], Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(token["code_verifier"]!))));
        // MSAL keeps its cache in the tab's sessionStorage, never in localStorage.
        Assert.True(await page.EvaluateAsync<bool>("Object.keys(sessionStorage).some(k => k.startsWith('msal.'))"), "MSAL's cache is not in sessionStorage");
        Assert.Equal(0, await page.EvaluateAsync<int>("Object.keys(localStorage).filter(k => k.startsWith('msal.')).length"));

        await FillProfileAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
        var thisWeek = page.Locator(".week").First;
        await Assertions.Expect(thisWeek.GetByRole(AriaRole.Heading, new() { Name = "This week:", Exact = false })).ToBeVisibleAsync();
        Assert.Equal(7, await thisWeek.Locator(".day").CountAsync());
        Assert.Empty(authority.Unexpected);
        // The API's 404s (no profile yet, no plan next week) are the page's normal answers; a CSP
        // refusal ("Refused to ...") or a script error is not.
        Assert.DoesNotContain(errors, error => !error.StartsWith("Failed to load resource: the server responded with a status of 404", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// An OpenID Connect authority answered inside the browser (Playwright routes): MSAL's metadata
    /// request, the authorize redirect (sent straight back with a code and the state), and the token
    /// endpoint. It keeps what the page sent so the test can check the PKCE round trip.
    /// </summary>
    private sealed class FakeAuthority(string authority, string clientId, string scope)
    {
        public const string Code = "fake-authorization-code";
        public const string UserName = "runner@contoso.test";
        private const string TenantId = "72f988bf-0000-0000-0000-000000000001";
        private const string ObjectId = "00000000-0000-0000-0000-00000000e27a";

        public string Authority => authority;
        public string ClientId => clientId;
        public string Scope => scope;
        public string Origin => new Uri(authority).GetLeftPart(UriPartial.Authority);
        public NameValueCollection? Authorize { get; private set; }
        public NameValueCollection? Token { get; private set; }
        public List<string> Unexpected { get; } = [];

        public Task AnswerAsync(IRoute route, string accessToken)
        {
            var request = route.Request;
            var url = new Uri(request.Url);
            var path = url.AbsolutePath;
            if (request.Method == "GET" && path == $"{new Uri(authority).AbsolutePath}/v2.0/.well-known/openid-configuration")
            {
                return JsonAsync(route, new JsonObject
                {
                    ["issuer"] = $"{authority}/v2.0",
                    ["authorization_endpoint"] = $"{authority}/oauth2/v2.0/authorize",
                    ["token_endpoint"] = $"{authority}/oauth2/v2.0/token",
                    ["end_session_endpoint"] = $"{authority}/oauth2/v2.0/logout",
                    ["jwks_uri"] = $"{authority}/discovery/v2.0/keys",
                    ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
                });
            }

            if (request.Method == "GET" && path.EndsWith("/oauth2/v2.0/authorize", StringComparison.Ordinal))
            {
                Authorize = HttpUtility.ParseQueryString(url.Query);
                var reply = QueryString(("code", Code), ("state", Authorize["state"] ?? ""), ("client_info", ClientInfo()));
                var back = Authorize["response_mode"] == "query" ? $"{Authorize["redirect_uri"]}?{reply}" : $"{Authorize["redirect_uri"]}#{reply}";
                return route.FulfillAsync(new() { Status = 302, Headers = new Dictionary<string, string> { ["Location"] = back } });
            }

            if (request.Method == "POST" && path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
            {
                Token = HttpUtility.ParseQueryString(request.PostData ?? "");
                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var idToken = Jwt(new JsonObject
                {
                    ["iss"] = $"{authority}/v2.0",
                    ["aud"] = clientId,
                    ["iat"] = now,
                    ["nbf"] = now,
                    ["exp"] = now + 3600,
                    ["sub"] = "web-entra-subject",
                    ["oid"] = ObjectId,
                    ["tid"] = TenantId,
                    ["nonce"] = Authorize?["nonce"],
                    ["name"] = "Entra Runner",
                    ["preferred_username"] = UserName,
                    ["ver"] = "2.0",
                });
                return JsonAsync(route, new JsonObject
                {
                    ["token_type"] = "Bearer",
                    ["scope"] = scope,
                    ["expires_in"] = 3600,
                    ["ext_expires_in"] = 3600,
                    ["access_token"] = accessToken,
                    ["id_token"] = idToken,
                    ["client_info"] = ClientInfo(),
                });
            }

            lock (Unexpected)
            {
                Unexpected.Add($"{request.Method} {request.Url}");
            }

            return route.FulfillAsync(new() { Status = 404, Headers = Cors });
        }

        private static Dictionary<string, string> Cors => new() { ["Access-Control-Allow-Origin"] = "*" };

        private static Task JsonAsync(IRoute route, JsonObject body) =>
            route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Headers = Cors, Body = body.ToJsonString() });

        private static string ClientInfo() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject { ["uid"] = ObjectId, ["utid"] = TenantId }.ToJsonString()));

        /// <summary>MSAL.js reads the ID token's claims and never its signature (that is the server's job), so this one is unsigned.</summary>
        private static string Jwt(JsonObject claims) =>
            $"{Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8.ToArray())}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()))}.";

        private static string QueryString(params (string Name, string Value)[] values) =>
            string.Join("&", values.Select(v => $"{Uri.EscapeDataString(v.Name)}={Uri.EscapeDataString(v.Value)}"));
    }
}
