using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using RunStrength.Functions.OpenApi;

namespace RunStrength.Functions.Tests;

public sealed class ContractTests
{
    private static readonly string RoutePrefix = JsonNode.Parse(File.ReadAllText(Path.Combine(RunStrength.Testing.RepositoryPaths.Root, "host.json")))!["extensions"]!["http"]!["routePrefix"]!.GetValue<string>();

    /// <summary>(METHOD, /api/route) for every HTTP function in the app, read from its attributes.</summary>
    private static readonly List<(string Method, string Path, string Name)> Routes = typeof(OpenApiFunctions).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods())
        .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
        .Where(x => x.Function is not null && x.Trigger is not null)
        .SelectMany(x => x.Trigger!.Methods!.Select(method => (method.ToUpperInvariant(), $"/{RoutePrefix}/{x.Trigger.Route}", x.Function!.Name)))
        .ToList();

    [Fact]
    public void OpenApiDocumentParsesAndListsExactlyTheRoutes()
    {
        var (document, diagnostic) = OpenApiDocument.Parse(OpenApiFunctions.Json, "json");

        Assert.NotNull(document);
        Assert.Empty(diagnostic!.Errors);
        var documented = document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (o.Key.ToString().ToUpperInvariant(), p.Key, o.Value.OperationId!))).ToList();
        Assert.Equal(Routes.Order(), documented.Order());
    }

    [Theory]
    [InlineData("WeekPlan")]
    [InlineData("PlanListing")]
    public void TheDocumentedPhasesAreExactlyThePlansPhases(string schema)
    {
        var json = JsonNode.Parse(OpenApiFunctions.Json)!;
        var documented = json["components"]!["schemas"]![schema]!["properties"]!["phase"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
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

        Assert.Equal(Routes.Select(r => r.Name).Distinct().Order(), metadata.Select(f => f!["name"]!.GetValue<string>()).Where(n => Routes.Any(r => r.Name == n)).Order());
        Assert.Equal(typeof(OpenApiFunctions).Assembly.GetTypes().SelectMany(t => t.GetMethods()).Count(m => m.GetCustomAttribute<FunctionAttribute>() is not null), metadata.Count);
        Assert.Equal("api", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(output, "worker.config.json")));
    }
}
