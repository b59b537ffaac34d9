using System.Text.Json;
using System.Text.Json.Nodes;
using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Serialization;
using RunStrength.Planning.Simulation;
using RunStrength.Testing;

namespace RunStrength.Cli.Tests;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("runstrength-cli-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public async Task PrintsTheGivenNumberOfWholeWeeksFromTheStartWeek()
    {
        // 2026 has 53 ISO weeks: the run crosses W53 into 2027-W01.
        var result = await CliProcess.SimulateAsync(CliProcess.ExampleProfile, 6, "2026-W52", "done");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        var plans = JsonNode.Parse(result.Stdout)!.AsArray();
        Assert.Equal(["2026-W52", "2026-W53", "2027-W01", "2027-W02", "2027-W03", "2027-W04"], plans.Select(p => (string)p!["week"]!));
        foreach (var plan in plans)
        {
            var week = IsoWeek.Parse((string)plan!["week"]!);
            var monday = week.Monday.ToDateOnly();
            Assert.Equal(monday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (string)plan["weekStart"]!);
            var dates = plan["sessions"]!.AsArray().Select(s => DateOnly.Parse((string)s!["date"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.All(dates, d => Assert.InRange(d, monday, monday.AddDays(6)));

            // Whole weeks: the profile's first day (Monday) is planned, as the weekly run plans it, not cut as at sign-up.
            Assert.Contains(monday, dates);
            Assert.Equal("Europe/Amsterdam", (string)plan["timeZone"]!);
        }

        Assert.Equal("start", (string)plans[0]!["adjustment"]!);
        Assert.All(plans.Skip(1), p => Assert.NotEqual("start", (string)p!["adjustment"]!));
    }

    [Fact]
    public async Task ARaceProfileShowsItsPhasesTheRaceWithItsTargetAndLoadsOnLifts()
    {
        var profile = Path.Combine(RepositoryPaths.Root, "tools", "RunStrength.Cli", "example-race-profile.json");

        var result = await CliProcess.SimulateAsync(profile, 12, "2026-W49", "done");

        Assert.Equal(0, result.ExitCode);
        var plans = JsonNode.Parse(result.Stdout)!.AsArray();
        Assert.Equal(
            ["build", "build", "build", "deload", "build", "peak", "peak", "peak", "taper", "taper", "race", "recovery"],
            plans.Select(p => (string)p!["phase"]!));
        var race = Assert.Single(plans.SelectMany(p => p!["sessions"]!.AsArray()), s => (string)s!["type"]! == "race")!;
        Assert.Equal("2027-02-14", (string)race["date"]!);
        Assert.Equal("Race: City half", (string)race["title"]!);
        var target = race["blocks"]!.AsArray().Single(b => (string)b!["name"]! == "main")!["target"]!;
        Assert.Equal("tempo", (string)target["zone"]!);
        Assert.InRange((int)target["paceSecPerKm"]!["min"]!, 290, 330);
        Assert.InRange((int)target["heartRateBpm"]!["max"]!, 150, 188);
        var easy = plans[0]!["sessions"]!.AsArray().First(s => (string)s!["type"]! == "easy-run")!["blocks"]![0]!["target"]!;
        Assert.Equal("easy", (string)easy["zone"]!);
        Assert.NotNull(easy["paceSecPerKm"]);
        Assert.Contains(plans[0]!["sessions"]!.AsArray().SelectMany(s => s!["exercises"]!.AsArray()), e => e!["loadKg"] is null && ((string?)e["loadNote"])?.StartsWith("First week", StringComparison.Ordinal) == true);
        Assert.Contains(plans[1]!["sessions"]!.AsArray().SelectMany(s => s!["exercises"]!.AsArray()), e => (double?)e!["loadKg"] > 0 && ((string)e["load"]!).EndsWith(" kg", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EachWeekIsThePlanJsonTheApiReturnsOneALine()
    {
        var result = await CliProcess.SimulateAsync(CliProcess.ExampleProfile, 3, "2026-W49", "struggle");

        using var document = JsonDocument.Parse(File.ReadAllText(CliProcess.ExampleProfile));
        var profile = ProfileJson.Read(document.RootElement, 2026).Profile!;
        var expected = PlanSimulator.Run(profile, new IsoWeek(2026, 49), 3, LogMode.Struggle).Select(PlanJson.Serialize);
        Assert.Equal("[\n" + string.Join(",\n", expected) + "\n]\n", result.Stdout);

        var lines = result.Stdout.Split('\n');
        var week = PlanJson.Deserialize<WeekPlan>(lines[2].TrimEnd(','));
        Assert.Equal("2026-W50", week.Week);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.FromHours(1)), week.GeneratedAt);
    }

    [Fact]
    public async Task TheSameInputGivesTheSameBytesWhateverTheMachinesZoneAndCulture()
    {
        var args = new[] { "simulate", "--profile", CliProcess.ExampleProfile, "--weeks", "8", "--start", "2026-W49", "--logs", "done" };

        var first = await CliProcess.RunAsync(args);
        var second = await CliProcess.RunAsync(args, environment: new Dictionary<string, string> { ["TZ"] = "Pacific/Kiritimati", ["LC_ALL"] = "de_DE.UTF-8", ["LANG"] = "de_DE.UTF-8" });

        Assert.Equal(0, first.ExitCode);
        Assert.True(first.Stdout.Length > 8 * 1000);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public async Task AnInvalidProfileExitsTwoWithTheApisValidationProblemAndPrintsNoPlans()
    {
        var profile = JsonNode.Parse(File.ReadAllText(CliProcess.ExampleProfile))!.AsObject();
        profile["maxSessionMinutes"] = 5;
        profile["goal"] = "fast";
        profile["colour"] = "red";
        var path = Write("invalid.json", profile.ToJsonString());

        var result = await CliProcess.SimulateAsync(path, 4, "2026-W49", "done");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var problem = JsonNode.Parse(result.Stderr)!.AsObject();
        Assert.Equal("urn:runstrength:problem:validation", (string)problem["type"]!);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["colour", "goal", "maxSessionMinutes"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));

        using var document = JsonDocument.Parse(profile.ToJsonString());
        var api = ProfileJson.Read(document.RootElement, 2026).Errors;
        Assert.All(api, e => Assert.Equal(e.Value, errors[e.Key]!.AsArray().Select(m => (string)m!)));
        Assert.Contains("20", (string)errors["maxSessionMinutes"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheProfileIsValidatedAgainstTheYearOfTheFirstWeek()
    {
        var profile = JsonNode.Parse(File.ReadAllText(CliProcess.ExampleProfile))!.AsObject();
        profile["birthYear"] = 2014;
        var path = Write("young.json", profile.ToJsonString());

        var tooYoung = await CliProcess.SimulateAsync(path, 1, "2026-W49", "none");
        var oldEnough = await CliProcess.SimulateAsync(path, 1, "2027-W49", "none");

        Assert.Equal(2, tooYoung.ExitCode);
        Assert.Contains("birthYear", tooYoung.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, oldEnough.ExitCode);
    }

    [Fact]
    public async Task AProfileThatIsNotJsonExitsTwoWithABadRequestProblem()
    {
        var result = await CliProcess.SimulateAsync(Write("broken.json", "{\"goal\": "), 2, "2026-W49", "done");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("urn:runstrength:problem:bad-request", (string)JsonNode.Parse(result.Stderr)!["type"]!);
    }

    [Fact]
    public async Task ADashReadsTheProfileFromStdin()
    {
        var result = await CliProcess.RunAsync(["simulate", "--profile", "-", "--weeks", "2", "--start", "2026-W49", "--logs", "skip"], File.ReadAllText(CliProcess.ExampleProfile));
        var fromFile = await CliProcess.SimulateAsync(CliProcess.ExampleProfile, 2, "2026-W49", "skip");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(fromFile.Stdout, result.Stdout);
    }

    [Theory]
    [InlineData("--weeks", "0", "--weeks")]
    [InlineData("--weeks", "521", "--weeks")]
    [InlineData("--weeks", "three", "--weeks")]
    [InlineData("--start", "2026-W54", "--start")]
    [InlineData("--start", "2026-49", "--start")]
    [InlineData("--logs", "sometimes", "--logs")]
    [InlineData("--profile", "no/such/profile.json", "no/such/profile.json")]
    public async Task ABadOptionValueExitsTwoNamingIt(string option, string value, string named)
    {
        var args = new Dictionary<string, string> { ["--profile"] = CliProcess.ExampleProfile, ["--weeks"] = "2", ["--start"] = "2026-W49", ["--logs"] = "done" };
        args[option] = value;

        var result = await CliProcess.RunAsync(["simulate", .. args.SelectMany(a => new[] { a.Key, a.Value })]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains(named, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing --logs", "simulate", "--profile", "p.json", "--weeks", "2", "--start", "2026-W49")]
    [InlineData("'--week' is not an option", "simulate", "--week", "2")]
    [InlineData("--weeks needs a value", "simulate", "--weeks")]
    [InlineData("--logs is given twice", "simulate", "--logs", "done", "--logs", "skip")]
    [InlineData("'plan' is not a command", "plan")]
    [InlineData("a command is required")]
    public async Task AUsageErrorExitsTwoWithAClearMessage(string message, params string[] args)
    {
        var result = await CliProcess.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpNamesTheSimulateInterfaceAndEveryLogMode()
    {
        var top = await CliProcess.RunAsync(["--help"]);
        var simulate = await CliProcess.RunAsync(["simulate", "--help"]);

        Assert.Equal(0, top.ExitCode);
        Assert.Contains("simulate --profile FILE --weeks N --start YYYY-Www --logs MODE", top.Stdout, StringComparison.Ordinal);
        Assert.Contains("training-doc", top.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, simulate.ExitCode);
        Assert.All(PlanSimulator.ModeNames.Keys, mode => Assert.Contains(mode, simulate.Stdout, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TrainingDocPrintsTheCommittedDocsTrainingMd()
    {
        var result = await CliProcess.RunAsync(["training-doc"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "training.md")).ReplaceLineEndings("\n"), result.Stdout);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_temp.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
