using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RunStrength.Functions.Time;

/// <summary>
/// Development only, for fault tests: <c>Faults__CrashAfterPlanCommit=true</c> kills the worker
/// process after the timer's plans are committed and before their plan-ready events are relayed,
/// the moment the outbox exists for. Anywhere else the setting stops the app at start.
/// </summary>
public sealed class CrashPoints(bool afterPlanCommit)
{
    public const string Setting = "Faults:CrashAfterPlanCommit";

    public void AfterPlanCommit()
    {
        if (afterPlanCommit)
        {
            Environment.FailFast("Faults__CrashAfterPlanCommit: killed between the plan commit and the relay of its events.");
        }
    }

    public static IServiceCollection AddRunStrengthCrashPoints(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        if (!bool.TryParse(configuration[Setting], out var crash) || !crash)
        {
            return services;
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Faults__CrashAfterPlanCommit is set, but fault injection works only in the Development environment and this app runs in '{environment.EnvironmentName}'. Remove the setting.");
        }

        return services.AddSingleton(new CrashPoints(afterPlanCommit: true));
    }
}
