using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
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
        var context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 }, BaseURL = fixture.Host.BaseUrl.ToString() });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToBeAttachedAsync();
        Assert.Empty(errors);
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
}
