using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RunStrength.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the table client (connection string locally, managed identity in Azure) and
    /// every store. Options come from <c>Storage:*</c> (<c>Storage__*</c> in app settings).
    /// </summary>
    public static IServiceCollection AddRunStrengthStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddAzureClients(clients =>
        {
            clients.AddClient<TableServiceClient, TableClientOptions>((clientOptions, provider) =>
            {
                var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
                Configure(clientOptions, storage);
                return storage.TableServiceUri is { } uri
                    ? new TableServiceClient(uri, new DefaultAzureCredential(), clientOptions)
                    : new TableServiceClient(storage.ConnectionString, clientOptions);
            });

            // Base64 messages: what the Functions queue trigger decodes by default.
            clients.AddClient<QueueServiceClient, QueueClientOptions>((queueOptions, provider) =>
            {
                var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
                queueOptions.MessageEncoding = QueueMessageEncoding.Base64;
                queueOptions.Retry.MaxRetries = storage.MaxRetries;
                queueOptions.Retry.Delay = storage.RetryDelay;
                queueOptions.Retry.MaxDelay = storage.MaxRetryDelay;
                queueOptions.Retry.NetworkTimeout = storage.NetworkTimeout;
                return storage.QueueServiceUri is { } uri
                    ? new QueueServiceClient(uri, new DefaultAzureCredential(), queueOptions)
                    : new QueueServiceClient(storage.ConnectionString, queueOptions);
            });
        });

        // Rows are stamped by the app's clock: the system one, or a test clock registered before this.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Tables>();
        services.AddSingleton<IProfileStore, ProfileStore>();
        services.AddSingleton<IPlanStore, PlanStore>();
        services.AddSingleton<ISessionLogStore, SessionLogStore>();
        services.AddSingleton<IRunCheckpointStore, RunCheckpointStore>();
        services.AddSingleton<ICalendarTokenStore, CalendarTokenStore>();
        services.AddSingleton<IUserEraser, UserEraser>();
        services.AddSingleton<IPlanBuildSender, PlanBuildSender>();
        services.AddSingleton<IPlanReadyOutbox, PlanReadyOutbox>();
        services.AddSingleton<IChannelStore, ChannelStore>();
        return services;
    }

    /// <summary>Transient faults are retried with bounded exponential back-off; 409 and 412 are not transient.</summary>
    public static void Configure(TableClientOptions clientOptions, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        ArgumentNullException.ThrowIfNull(storage);
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = storage.MaxRetries;
        clientOptions.Retry.Delay = storage.RetryDelay;
        clientOptions.Retry.MaxDelay = storage.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = storage.NetworkTimeout;
    }
}
