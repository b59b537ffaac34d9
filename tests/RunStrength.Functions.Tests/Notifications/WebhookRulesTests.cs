using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using RunStrength.Functions.Notifications;
using RunStrength.Storage;

namespace RunStrength.Functions.Tests.Notifications;

/// <summary>Signing, secrets at rest, the SSRF guard and the webhook routes' validation, without storage.</summary>
public sealed class WebhookRulesTests
{
    public static readonly NotificationOptions Settings = new() { SecretKey = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray()) };

    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    public void TheRepositorysWebhookKeyStartsOnlyInDevelopment(string environment, bool starts)
    {
        var committed = JsonNode.Parse(File.ReadAllText(Path.Combine(RunStrength.Testing.RepositoryPaths.Root, "src", "RunStrength.Functions", "local.settings.json")))!["Values"]!["Notifications__SecretKey"]!.GetValue<string>();
        Assert.Equal(NotificationOptions.RepositoryDevelopmentKey, committed);
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Notifications:SecretKey"] = committed }).Build();
        using var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(configuration)
            .AddRunStrengthNotifications(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment })
            .BuildServiceProvider();

        var failure = Record.Exception(() => services.GetRequiredService<IOptions<NotificationOptions>>().Value);

        Assert.Equal(starts, failure is null);
        Assert.True(starts || failure!.Message.Contains("published development key", StringComparison.Ordinal), failure?.Message);

        // A key of the operator's own starts anywhere.
        var own = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Notifications:SecretKey"] = Settings.SecretKey }).Build();
        using var production = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(own)
            .AddRunStrengthNotifications(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment })
            .BuildServiceProvider();
        Assert.Equal(Settings.SecretKey, production.GetRequiredService<IOptions<NotificationOptions>>().Value.SecretKey);
    }

    [Fact]
    public void SignaturesMatchTheStandardWebhooksExample()
    {
        // The example in the Standard Webhooks specification.
        var signature = WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void ASecretIsWhsecAnd32RandomBytesAndIsStoredOnlyEncryptedForItsUser()
    {
        var secrets = new WebhookSecrets(Options.Create(Settings));
        var (alice, bob) = (UserKey.For("alice"), UserKey.For("bob"));
        var secret = WebhookSecrets.Create();

        var box = secrets.Protect(alice, secret);

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, WebhookSecrets.KeyOf(secret).Length);
        Assert.NotEqual(WebhookSecrets.Create(), secret);
        Assert.Equal(secret, secrets.Unprotect(alice, box));
        Assert.True(box.AsSpan().IndexOf(WebhookSecrets.KeyOf(secret).AsSpan(0, 8)) < 0);
        Assert.DoesNotContain(secret[6..20], System.Text.Encoding.Latin1.GetString(box), StringComparison.Ordinal);

        // A row copied to another user, or read with another key, gives nothing.
        Assert.ThrowsAny<CryptographicException>(() => secrets.Unprotect(bob, box));
        var otherKey = new WebhookSecrets(Options.Create(new NotificationOptions { SecretKey = Convert.ToBase64String(new byte[32]) }));
        Assert.ThrowsAny<CryptographicException>(() => otherKey.Unprotect(alice, box));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("224.0.0.1")]
    public void InsideAddressesAreRefusedOutsideDevelopment(string address)
    {
        Assert.False(new AddressGuard(allowLoopback: false).Allows(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("20.50.2.1")]
    [InlineData("2606:4700:4700::1111")]
    public void PublicAddressesAreAllowed(string address)
    {
        Assert.True(new AddressGuard(allowLoopback: false).Allows(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("http://example.com/hook", false, false)]
    [InlineData("https://example.com/hook", false, true)]
    [InlineData("http://127.0.0.1:9000/hook", false, false)]
    [InlineData("http://127.0.0.1:9000/hook", true, true)]
    [InlineData("http://localhost:9000/hook", true, true)]
    [InlineData("https://169.254.169.254/latest/meta-data", true, false)]
    [InlineData("https://10.1.2.3/hook", true, false)]
    [InlineData("https://user:pass@example.com/hook", false, false)]
    [InlineData("ftp://example.com/hook", false, false)]
    [InlineData("http://192.168.0.2/hook", true, false)]
    public void UrlsMustBeHttpsAndPlainHttpOnlyForLoopbackInDevelopment(string url, bool development, bool allowed)
    {
        Assert.Equal(allowed, new AddressGuard(development).CheckUrl(new Uri(url)) is null);
    }

    [Fact]
    public async Task AConnectionToANameThatResolvesInsideIsRefusedAfterResolution()
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectCallback = new AddressGuard(allowLoopback: false).ConnectAsync, UseProxy = false });
        var sender = new WebhookSender(http, new FakeTimeProvider());

        // "localhost" passes any check of the name's form; only the resolved address gives it away.
        var result = await sender.SendAsync(new Uri("https://localhost:1/hook"), WebhookSecrets.Create(), "evt_1", "{}", default);

        Assert.Equal(DeliveryOutcome.Rejected, result.Outcome);
    }

    [Theory]
    [InlineData("""{"url":"http://example.com/hook"}""", "url")]
    [InlineData("""{"url":"https://10.0.0.8/hook"}""", "url")]
    [InlineData("""{"url":"https://169.254.169.254/"}""", "url")]
    [InlineData("""{"url":"not a url"}""", "url")]
    [InlineData("""{"url":42}""", "url")]
    [InlineData("""{}""", "url")]
    [InlineData("""{"url":"https://example.com/hook","secret":"mine"}""", "secret")]
    public async Task ABadWebhookIsA400NamingTheFieldAndNothingIsStored(string body, string field)
    {
        var channels = Substitute.For<IChannelStore>();
        var request = TestHttp.Request("PUT /api/me/webhook", body: body);

        var reply = await TestHttp.Execute(request, Functions(channels).SetWebhook(request, default));

        Assert.Equal(400, reply.Status);
        Assert.Equal("application/problem+json", reply.ContentType);
        Assert.Contains(field, reply.ErrorFields);
        await channels.DidNotReceiveWithAnyArgs().SetWebhookAsync(default, default!, default!, default, default);
    }

    [Fact]
    public async Task ANewWebhookReturnsItsSecretOnceAndStoresItOnlyEncrypted()
    {
        var channels = Substitute.For<IChannelStore>();
        var request = TestHttp.Request("PUT /api/me/webhook", body: """{"url":"https://1.1.1.1/runstrength"}""");

        var reply = await TestHttp.Execute(request, Functions(channels).SetWebhook(request, default));

        Assert.Equal(200, reply.Status);
        var secret = reply.Json["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var stored = (byte[])channels.ReceivedCalls().Single().GetArguments()[2]!;
        Assert.Equal(secret, new WebhookSecrets(Options.Create(Settings)).Unprotect(UserKey.For("alice"), stored));
        Assert.DoesNotContain(secret, System.Text.Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("phone-1", """{"platform":"android","pushChannel":"tok"}""", "platform")]
    [InlineData("phone-1", """{"platform":"apns"}""", "pushChannel")]
    [InlineData("phone-1", """{"platform":"fcmv1","pushChannel":""}""", "pushChannel")]
    [InlineData("phone-1", """{"platform":"apns","pushChannel":"tok","tags":["x"]}""", "tags")]
    [InlineData("a..b", """{"platform":"apns","pushChannel":"tok"}""", "installationId")]
    public async Task ABadDeviceIsA400NamingTheField(string installationId, string body, string field)
    {
        var channels = Substitute.For<IChannelStore>();
        var request = TestHttp.Request($"PUT /api/me/devices/{installationId}", body: body);

        var reply = await TestHttp.Execute(request, Functions(channels).SetDevice(request, installationId, default));

        Assert.Equal(400, reply.Status);
        Assert.Contains(field, reply.ErrorFields);
        await channels.DidNotReceiveWithAnyArgs().AddDeviceAsync(default, default!, default);
    }

    [Fact]
    public async Task ASwitchThatIsNotABooleanIsA400NamingIt()
    {
        var channels = Substitute.For<IChannelStore>();
        var request = TestHttp.Request("PUT /api/me/notifications", body: """{"push":"no","webhook":false}""");

        var reply = await TestHttp.Execute(request, Functions(channels).SetSwitches(request, default));

        Assert.Equal(400, reply.Status);
        Assert.Equal(["push"], reply.ErrorFields);
        await channels.DidNotReceiveWithAnyArgs().SetSwitchesAsync(default, default!, default);
    }

    [Fact]
    public void ACloudEventCarriesTheWeekAsSubjectAndItsSummaryAndPath()
    {
        var ready = new PlanReady(new string('b', 64), "2026-W50", 4, new WeekSummary("2026-12-07", "build", 2, 150, 2, 3, 7), new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));

        var body = JsonNode.Parse(PlanReadyEvent.Body(ready))!;

        Assert.Equal(("1.0", "runstrength.plan.ready", "2026-W50", ready.Id), (body["specversion"]!.GetValue<string>(), body["type"]!.GetValue<string>(), body["subject"]!.GetValue<string>(), body["id"]!.GetValue<string>()));
        Assert.Equal("2026-12-05T12:00:00Z", body["time"]!.GetValue<string>());
        Assert.Equal("/api/me/plans/2026-W50", body["data"]!["path"]!.GetValue<string>());
        Assert.Equal(150, body["data"]!["summary"]!["runMinutes"]!.GetValue<int>());
        Assert.Equal(4, body["data"]!["profileVersion"]!.GetValue<long>());
    }

    private static NotificationFunctions Functions(IChannelStore channels)
    {
        var options = Options.Create(Settings);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        var guard = new AddressGuard(allowLoopback: false);
#pragma warning disable CA2000 // The client lives as long as the functions, as in the app.
        var sender = new WebhookSender(new HttpClient(), clock);
        var hub = new NotificationHub(new HttpClient(), options, clock);
#pragma warning restore CA2000
        return new NotificationFunctions(TestHttp.Authenticator(), channels, new WebhookSecrets(options), sender, guard, hub, clock, options);
    }
}
