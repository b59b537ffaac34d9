using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RunStrength.Functions.Time;

public static class ClockServiceCollectionExtensions
{
    /// <summary>The setting that starts a <see cref="TestClock"/>: <c>Clock__Now</c> in app settings.</summary>
    public const string NowSetting = "Clock:Now";

    /// <summary>
    /// Registers the app's one <see cref="TimeProvider"/>: the system clock, or in Development a
    /// <see cref="TestClock"/> when <c>Clock__Now</c> is set (an ISO 8601 instant with its offset).
    /// Anywhere else that setting stops the app at start, so a test clock never reaches users.
    /// </summary>
    public static IServiceCollection AddRunStrengthClock(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var now = configuration[NowSetting];
        if (string.IsNullOrWhiteSpace(now))
        {
            return services.AddSingleton(TimeProvider.System);
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Clock__Now is set, but the test clock works only in the Development environment and this app runs in '{environment.EnvironmentName}'. Remove the Clock__Now app setting.");
        }

        if (!DateTimeOffset.TryParseExact(now, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            && !DateTimeOffset.TryParse(now, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out start))
        {
            throw new InvalidOperationException($"Clock__Now must be an ISO 8601 instant such as 2026-12-06T21:30:00Z; '{now}' is not.");
        }

        return services.AddSingleton<TimeProvider>(new TestClock(start, TimeProvider.System));
    }
}
