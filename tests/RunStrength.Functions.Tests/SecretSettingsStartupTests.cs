using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Calendar;
using RunStrength.Functions.Notifications;
using RunStrength.Functions.Plans;

namespace RunStrength.Functions.Tests;

/// <summary>The three server keys (calendar UIDs, cursors, webhook secrets) refuse a bad value at start-up alike, each naming its setting.</summary>
public sealed class SecretSettingsStartupTests
{
    public static readonly TheoryData<string> Settings = ["Calendar:UidSecretKey", "Cursors:SecretKey", "Notifications:SecretKey"];

    private static readonly string OwnKey = Convert.ToBase64String(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());

    /// <summary>Resolves the setting's options in Production as the app's start-up does; the failure message, or null when it starts.</summary>
    private static string? StartupFailure(string setting, string? value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value }).Build();
        var environment = TestHttp.Production;
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        using var provider = (setting switch
        {
            "Calendar:UidSecretKey" => services.AddRunStrengthCalendar(environment),
            "Cursors:SecretKey" => services.AddPlanCursors(environment),
            _ => services.AddRunStrengthNotifications(environment),
        }).BuildServiceProvider();
        return Record.Exception(() => setting switch
        {
            "Calendar:UidSecretKey" => provider.GetRequiredService<IOptions<CalendarOptions>>().Value,
            "Cursors:SecretKey" => (object)provider.GetRequiredService<IOptions<CursorOptions>>().Value,
            _ => provider.GetRequiredService<IOptions<NotificationOptions>>().Value,
        })?.Message;
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void AnOwnKeyOf32BytesStarts(string setting) => Assert.Null(StartupFailure(setting, OwnKey));

    [Theory]
    [MemberData(nameof(Settings))]
    public void AKeyTooShortIsRefusedNamingTheSettingAndItsLength(string setting)
    {
        var failure = StartupFailure(setting, "c2hvcnQ="); // five bytes

        Assert.NotNull(failure);
        Assert.Contains($"{setting} is 5 bytes. It must be 32", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcnQ", failure, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void AValueThatIsNotBase64IsRefusedNamingTheSetting(string setting)
    {
        var failure = StartupFailure(setting, "not base64, not at all!");

        Assert.NotNull(failure);
        Assert.Contains($"{setting} is not base64.", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Calendar:UidSecretKey", 33)]
    [InlineData("Notifications:SecretKey", 33)]
    [InlineData("Cursors:SecretKey", 129)]
    public void AKeyTooLongIsRefused(string setting, int bytes) =>
        Assert.Contains($"{setting} is {bytes} bytes.", StartupFailure(setting, Convert.ToBase64String(new byte[bytes])), StringComparison.Ordinal);

    [Theory]
    [InlineData("Calendar:UidSecretKey", null)]
    [InlineData("Calendar:UidSecretKey", "@Microsoft.KeyVault(VaultName=kv;SecretName=calendar-uid-key)")]
    [InlineData("Notifications:SecretKey", "")]
    [InlineData("Notifications:SecretKey", "@Microsoft.KeyVault(VaultName=kv;SecretName=webhook-secret-key)")]
    public void AnOptionalKeyLeftOutStartsWithItsFeatureOff(string setting, string? value) => Assert.Null(StartupFailure(setting, value));

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData("@Microsoft.KeyVault(VaultName=kv;SecretName=cursor-secret-key)")]
    public void TheRequiredCursorKeyLeftOutIsRefusedSayingWhereItGoes(string? value) =>
        Assert.Contains(
            "Cursors:SecretKey is not set. Put 32 to 128 random bytes in base64 in the Key Vault (secret cursor-secret-key) and restart.",
            StartupFailure("Cursors:SecretKey", value),
            StringComparison.Ordinal);

    [Theory]
    [InlineData("Calendar:UidSecretKey", CalendarOptions.RepositoryDevelopmentKey, "calendar-uid-key")]
    [InlineData("Cursors:SecretKey", CursorOptions.RepositoryDevelopmentKey, "cursor-secret-key")]
    [InlineData("Notifications:SecretKey", NotificationOptions.RepositoryDevelopmentKey, "webhook-secret-key")]
    public void TheRepositorysKeyIsRefusedOutsideDevelopmentNamingTheVaultSecret(string setting, string key, string vaultSecret)
    {
        var failure = StartupFailure(setting, " " + key);

        Assert.NotNull(failure);
        Assert.Contains($"{setting} is the repository's published development key (local.settings.json)", failure, StringComparison.Ordinal);
        Assert.Contains($"(secret {vaultSecret})", failure, StringComparison.Ordinal);
    }
}
