using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RunStrength.Functions.Configuration;

namespace RunStrength.Functions.Notifications;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// Plan-ready delivery (section <c>Notifications</c>): the SSRF-guarded webhook client (loopback
    /// allowed only in Development), the notification hub's REST client, and the delivery itself.
    /// Each HTTP client is one long-lived handler whose connections are renewed, so DNS changes are seen.
    /// </summary>
    public static IServiceCollection AddRunStrengthNotifications(this IServiceCollection services, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .Validate(o => o.HubEndpoint is null || environment.IsDevelopment(), "Notifications:HubEndpoint (a stand-in for the hub) works only in the Development environment.")
            .RefuseRepositoryKeyOutsideDevelopment(environment, NotificationOptions.Secret, o => o.SecretKey, "anyone could decrypt the webhook secrets");
        services.AddSingleton(new AddressGuard(allowLoopback: environment.IsDevelopment()));
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton(provider =>
        {
            var guard = provider.GetRequiredService<AddressGuard>();
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = guard.ConnectAsync,
            };
            var http = new HttpClient(handler) { Timeout = provider.GetRequiredService<IOptions<NotificationOptions>>().Value.WebhookTimeout };
            return new WebhookSender(http, provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(provider =>
        {
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };
            return new NotificationHub(http, provider.GetRequiredService<IOptions<NotificationOptions>>(), provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<PlanReadyDelivery>();
        return services;
    }
}
