using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RunStrength.Functions.Calendar;

public static class CalendarServiceCollectionExtensions
{
    /// <summary>The calendar feed's settings (section <c>Calendar</c>); the repository's UID key starts only in Development.</summary>
    public static IServiceCollection AddRunStrengthCalendar(this IServiceCollection services, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        services.AddOptions<CalendarOptions>().BindConfiguration(CalendarOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .Validate(o => environment.IsDevelopment() || o.UidSecretKey?.Trim() != CalendarOptions.RepositoryDevelopmentKey,
                "Calendar:UidSecretKey is the repository's published development key (local.settings.json): anyone could link event UIDs to user ids. Put a key of your own in Key Vault.");
        return services;
    }
}
