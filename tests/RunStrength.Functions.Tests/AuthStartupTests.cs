using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RunStrength.DevToken;
using RunStrength.Functions.Auth;

namespace RunStrength.Functions.Tests;

/// <summary>Settings that are only safe on a developer's machine refuse to start anywhere else.</summary>
public sealed class AuthStartupTests
{
    private static readonly string LocalKey = DevTokens.Read(Path.Combine(RunStrength.Testing.RepositoryPaths.Root, "src", "RunStrength.Functions", "local.settings.json")).SigningKey;

    private static AuthOptions Options(Action<AuthOptions> change)
    {
        var options = new AuthOptions { Issuer = "https://issuer.test", Audience = "api", RequiredScope = "plans.readwrite" };
        change(options);
        return options;
    }

    /// <summary>Resolves the options as the app's start-up does, with its validations.</summary>
    private static string? StartupFailure(string environment, AuthOptions options, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment })
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IValidateOptions<AuthOptions>, AuthStartupValidation>()
            .Configure<AuthOptions>(o =>
            {
                o.Issuer = options.Issuer;
                o.Audience = options.Audience;
                o.SigningKey = options.SigningKey;
                o.Authority = options.Authority;
                o.RequiredScope = options.RequiredScope;
                o.TrustAppServiceAuthentication = options.TrustAppServiceAuthentication;
            })
            .BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<IOptions<AuthOptions>>().Value;
            return null;
        }
        catch (OptionsValidationException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public void TheRepositorysDevelopmentKeyIsTheOneTheValidationKnows() => Assert.Equal(AuthStartupValidation.RepositoryDevelopmentKey, LocalKey);

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void TheRepositorysDevelopmentKeyRefusesToStartOutsideDevelopment(string environment) =>
        Assert.Contains("published development key", StartupFailure(environment, Options(o => o.SigningKey = LocalKey)), StringComparison.Ordinal);

    [Fact]
    public void AnySymmetricKeyRefusesToStartOutsideDevelopment() =>
        Assert.Contains("accepted only in Development", StartupFailure("Production", Options(o => o.SigningKey = TestHttp.Settings.SigningKey)), StringComparison.Ordinal);

    [Fact]
    public void DevelopmentStartsWithTheLocalKey() =>
        Assert.Null(StartupFailure("Development", Options(o => o.SigningKey = LocalKey)));

    [Fact]
    public void AnAuthorityStartsAnywhere() =>
        Assert.Null(StartupFailure("Production", Options(o => o.Authority = new Uri("https://login.test/tenant/v2.0"))));

    [Theory]
    [InlineData(null)]
    [InlineData("False")]
    public void TrustingAppServiceHeadersRequiresAppServiceAuthentication(string? authEnabled)
    {
        var options = Options(o => { o.Authority = new Uri("https://login.test/tenant/v2.0"); o.TrustAppServiceAuthentication = true; });
        (string, string)[] settings = authEnabled is null ? [] : [("WEBSITE_AUTH_ENABLED", authEnabled)];

        Assert.Contains("WEBSITE_AUTH_ENABLED=True", StartupFailure("Production", options, settings), StringComparison.Ordinal);
        Assert.Null(StartupFailure("Production", options, ("WEBSITE_AUTH_ENABLED", "True")));
    }
}
