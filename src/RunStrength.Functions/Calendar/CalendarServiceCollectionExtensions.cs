using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RunStrength.Functions.Configuration;

namespace RunStrength.Functions.Calendar;

public static class CalendarServiceCollectionExtensions
{
    /// <summary>The calendar feed's settings (section <c>Calendar</c>); the repository's UID key starts only in Development.</summary>
    public static IServiceCollection AddRunStrengthCalendar(this IServiceCollection services, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        services.AddOptions<CalendarOptions>().BindConfiguration(CalendarOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .RefuseRepositoryKeyOutsideDevelopment(environment, CalendarOptions.UidSecret, o => o.UidSecretKey, "anyone could link event UIDs to user ids");
        return services;
    }
}
