using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Plans;

namespace RunStrength.Functions.Tests;

/// <summary>The key that signs continuation tokens: required everywhere, and the repository's own only in Development.</summary>
public sealed class CursorStartupTests
{
    private static readonly string OwnKey = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    /// <summary>Resolves the options as the app's start-up does; the failure message, or null when it starts.</summary>
    private static string? StartupFailure(string environment, string? key)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cursors:SecretKey"] = key }).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddPlanCursors(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment })
            .BuildServiceProvider();
        return Record.Exception(() => services.GetRequiredService<IOptions<CursorOptions>>().Value)?.Message;
    }

    [Fact]
    public void TheRepositorysKeyIsTheOneCommittedInLocalSettings()
    {
        var committed = JsonNode.Parse(File.ReadAllText(Path.Combine(RunStrength.Testing.RepositoryPaths.Root, "src", "RunStrength.Functions", "local.settings.json")))!["Values"]!["Cursors__SecretKey"]!.GetValue<string>();

        Assert.Equal(CursorOptions.RepositoryDevelopmentKey, committed);
    }

    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    public void TheRepositorysKeyStartsOnlyInDevelopment(string environment, bool starts)
    {
        var failure = StartupFailure(environment, CursorOptions.RepositoryDevelopmentKey);

        Assert.Equal(starts, failure is null);
        Assert.True(starts || failure!.Contains("published development key", StringComparison.Ordinal), failure);
        Assert.Null(StartupFailure(environment, OwnKey));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("@Microsoft.KeyVault(VaultName=kv-abc;SecretName=cursor-secret-key)")] // the secret is not in the vault yet
    [InlineData("c2hvcnQ=")] // five bytes
    [InlineData("not base64!")]
    public void AMissingOrWeakKeyRefusesToStart(string? key) =>
        Assert.Contains("Cursors:SecretKey", StartupFailure("Production", key), StringComparison.Ordinal);
}
