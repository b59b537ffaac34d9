using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;
using RunStrength.Functions.Time;

namespace RunStrength.Functions.Tests;

public sealed class TestClockTests
{
    private static TimeProvider Resolve(string environment, string? now)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Clock:Now"] = now }).Build();
        var services = new ServiceCollection().AddRunStrengthClock(configuration, new HostingEnvironment { EnvironmentName = environment });
        return services.BuildServiceProvider().GetRequiredService<TimeProvider>();
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void ATestClockOutsideDevelopmentStopsTheAppWithAClearMessage(string environment)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(environment, "2026-12-06T21:30:00Z"));

        Assert.Contains("Clock__Now", error.Message, StringComparison.Ordinal);
        Assert.Contains("only in the Development environment", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{environment}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutTheSettingTheAppReadsTheSystemClockInEveryEnvironment()
    {
        Assert.Same(TimeProvider.System, Resolve(Environments.Production, null));
        Assert.Same(TimeProvider.System, Resolve(Environments.Development, ""));
    }

    [Fact]
    public void InDevelopmentTheSettingStartsTheClockAtThatInstant()
    {
        var clock = Resolve(Environments.Development, "2026-12-06T21:30:00-05:00");

        Assert.IsType<TestClock>(clock);
        Assert.InRange(clock.GetUtcNow(), new DateTimeOffset(2026, 12, 7, 2, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 7, 3, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public void AnUnreadableInstantIsRefusedNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(Environments.Development, "next sunday"));

        Assert.Contains("Clock__Now must be an ISO 8601 instant", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTestClockRunsOnInRealTimeFromItsStart()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new TestClock(new DateTimeOffset(2026, 12, 6, 21, 30, 0, TimeSpan.Zero), real);

        real.Advance(TimeSpan.FromMinutes(90));

        Assert.Equal(new DateTimeOffset(2026, 12, 6, 23, 0, 0, TimeSpan.Zero), clock.GetUtcNow());
    }
}
