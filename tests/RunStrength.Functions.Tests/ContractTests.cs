using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using RunStrength.Functions.OpenApi;
using RunStrength.Planning.Profiles;
using RunStrength.Testing;

namespace RunStrength.Functions.Tests;

public sealed class ContractTests
{
    /// <summary>
    /// (METHOD, /route, name) for every HTTP function in the app, read from its attributes. The host's
    /// route prefix is empty (so the web page can answer at /); the API's routes spell out api/.
    /// </summary>
    private static readonly List<(string Method, string Path, string Name)> AllRoutes = typeof(OpenApiFunctions).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods())
        .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
        .Where(x => x.Function is not null && x.Trigger is not null)
        .SelectMany(x => x.Trigger!.Methods!.Select(method => (method.ToUpperInvariant(), $"/{x.Trigger.Route}", x.Function!.Name)))
        .ToList();

    /// <summary>The API: every route under /api, which openapi.json describes.</summary>
    private static readonly List<(string Method, string Path, string Name)> Routes = AllRoutes.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();

    [Fact]
    public void EveryRouteOutsideTheApiIsTheWebPage()
    {
        var others = AllRoutes.Except(Routes).Select(r => $"{r.Method} {r.Path} {r.Name}").Order(StringComparer.Ordinal);

        Assert.Equal(["GET /web/{file} GetWebAsset", "GET /{root:maxlength(0)?} GetWebPage"], others);
    }

    [Fact]
    public void OpenApiDocumentParsesAndListsExactlyTheRoutes()
    {
        var (document, diagnostic) = OpenApiDocument.Parse(OpenApiFunctions.Json, "json");

        Assert.NotNull(document);
        Assert.Empty(diagnostic!.Errors);
        // Paths are relative to the server URL, whose path is /api.
        var basePath = new Uri(document.Servers![0].Url!).AbsolutePath.TrimEnd('/');
        Assert.Equal("/api", basePath);
        var documented = document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (o.Key.ToString().ToUpperInvariant(), basePath + p.Key, o.Value.OperationId!))).ToList();
        Assert.Equal(Routes.Order(), documented.Order());
    }

    [Theory]
    [InlineData("WeekPlan")]
    [InlineData("PlanListing")]
    public void TheDocumentedPhasesAreExactlyThePlansPhases(string schema)
    {
        var json = JsonNode.Parse(OpenApiFunctions.Json)!;
        Assert.Equal("#/components/schemas/Phase", json["components"]!["schemas"]![schema]!["properties"]!["phase"]!["$ref"]!.GetValue<string>());
        var documented = json["components"]!["schemas"]!["Phase"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
        var phases = Enum.GetValues<Planning.Plans.Phase>().Select(p => System.Text.Json.JsonSerializer.Serialize(p, Planning.Serialization.PlanJson.Options).Trim('"'));

        Assert.Equal(phases.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        Assert.Contains("taper", documented);
    }

    [Fact]
    public void EveryDocumentedSchemaReferenceResolves()
    {
        var json = JsonNode.Parse(OpenApiFunctions.Json)!;
        var schemas = json["components"]!["schemas"]!.AsObject().Select(s => s.Key).ToHashSet();
        var references = System.Text.RegularExpressions.Regex.Matches(OpenApiFunctions.Json, "#/components/schemas/([A-Za-z]+)").Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Subset(schemas, references);
    }

    [Fact]
    public void BuildOutputIsANormalFunctionAppWithHostJsonAndMetadataForEveryFunction()
    {
        var output = typeof(ContractTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutput").Value!;
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")))!.AsArray();
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "host.json")))!;

        Assert.Equal(AllRoutes.Select(r => r.Name).Distinct().Order(), metadata.Select(f => f!["name"]!.GetValue<string>()).Where(n => AllRoutes.Any(r => r.Name == n)).Order());
        Assert.Equal(typeof(OpenApiFunctions).Assembly.GetTypes().SelectMany(t => t.GetMethods()).Count(m => m.GetCustomAttribute<FunctionAttribute>() is not null), metadata.Count);
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        var routes = metadata.SelectMany(f => f!["bindings"]!.AsArray()).Where(b => b!["type"]!.GetValue<string>() == "httpTrigger").Select(b => "/" + b!["route"]!.GetValue<string>());
        Assert.Equal(AllRoutes.Select(r => r.Path).Distinct().Order(StringComparer.Ordinal), routes.Distinct().Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(output, "worker.config.json")));
    }

    [Fact]
    public async Task RedoclyRecommendedLintFindsNoErrorAndNoWarning()
    {
        var cli = Path.Combine(RepositoryPaths.Root, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(cli), $"{cli} is missing: run npm ci (scripts/test.sh does).");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
            Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
        };
        foreach (var argument in new[] { cli, "lint", "--extends", "recommended", "--format", "json", Path.Combine("src", "RunStrength.Functions", "OpenApi", "openapi.json") })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        var report = JsonNode.Parse(await output)!;
        var problems = report["problems"]!.AsArray().Select(p => $"{p!["severity"]} {p["ruleId"]}: {p["message"]} at {p["location"]?[0]?["pointer"]}");
        Assert.True(process.ExitCode == 0, $"redocly lint exited {process.ExitCode}: {string.Join("\n", problems)}\n{await errors}");
        Assert.Equal((0, 0), (report["totals"]!["errors"]!.GetValue<int>(), report["totals"]!["warnings"]!.GetValue<int>()));
    }

    [Fact]
    public void AProfileWithoutALongRunDayAsTheServerWritesItMatchesTheDocument()
    {
        var profile = Api.Profile() with { LongRunDay = null };
        var json = ProfileJson.Write(profile);

        Assert.Null(json["longRunDay"]);
        Assert.True(json.AsObject().ContainsKey("longRunDay"));
        Assert.Empty(OpenApiContract.SchemaErrors("Profile", json.ToJsonString()));
        Assert.Empty(OpenApiContract.SchemaErrors("ProfilePatch", """{ "longRunDay": null, "recentRace": null, "units": null, "terrain": ["trail"] }"""));
        Assert.NotEmpty(OpenApiContract.SchemaErrors("ProfilePatch", """{ "goal": null }"""));
        Assert.NotEmpty(OpenApiContract.SchemaErrors("ProfilePatch", """{ "longRunDay": "someday" }"""));
        Assert.NotEmpty(OpenApiContract.SchemaErrors("Profile", json.ToJsonString().Replace("\"availableDays\":[", "\"availableDays\":[null,", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheContractRejectsWhatTheDocumentDoesNotSay()
    {
        var profile = ProfileJson.Write(Api.Profile());
        string[] etag = ["ETag"];
        OpenApiContract.AssertResponse("GET", "/api/me/profile", 200, "application/json; charset=utf-8", etag, profile.ToJsonString());

        var extra = profile.DeepClone();
        extra["nickname"] = "al";
        Assert.Throws<Xunit.Sdk.FailException>(() => OpenApiContract.AssertResponse("GET", "/api/me/profile", 200, "application/json", etag, extra.ToJsonString()));
        Assert.Throws<Xunit.Sdk.FailException>(() => OpenApiContract.AssertResponse("GET", "/api/me/profile", 200, "application/json", [], profile.ToJsonString()));
        Assert.Throws<Xunit.Sdk.FailException>(() => OpenApiContract.AssertResponse("GET", "/api/me/profile", 418, "application/json", etag, profile.ToJsonString()));
        Assert.Throws<Xunit.Sdk.FailException>(() => OpenApiContract.AssertResponse("GET", "/api/me/profile", 200, "text/plain", etag, profile.ToJsonString()));
        Assert.Throws<Xunit.Sdk.FailException>(() => OpenApiContract.AssertResponse("GET", "/api/me/nothing", 200, "application/json", etag, "{}"));
        Assert.Throws<Xunit.Sdk.FailException>(() => OpenApiContract.AssertResponse("GET", "/api/me/plans/2026-W49", 404, "application/problem+json", [], """{ "type": "t", "title": "t", "status": 404 }"""));
    }

    [Fact]
    public void ASessionLogAsTheServerWritesItMatchesTheDocument()
    {
        const string log = """{ "sessionId": "s1", "status": "completed", "actualMinutes": 40, "rpe": 6, "note": "ok", "exercises": [ { "exerciseId": "back-squat", "sets": [ { "reps": 8, "rir": 2, "load": 60 } ] } ] }""";

        Assert.Empty(OpenApiContract.SchemaErrors("SessionLog", log));
        Assert.NotEmpty(OpenApiContract.SchemaErrors("SessionLogRequest", log));
    }

    [Fact]
    public void SharedEnumsAreDefinedOnceAndReferenced()
    {
        var json = OpenApiFunctions.Json;

        foreach (var value in new[] { "\"tue\"", "\"intermediate\"", "\"kettlebell\"", "\"stairs\"", "\"horizontal-push\"", "\"add-load\"" })
        {
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(json, $"{value}[,\\s\\]]"));
        }

        var phase = JsonNode.Parse(json)!["components"]!["schemas"]!["Phase"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.Subset(phase.ToHashSet(), Enum.GetNames<RunStrength.Planning.Plans.Phase>().Select(n => n.ToLowerInvariant()).ToHashSet());
    }
}
