using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace RunStrength.Storage;

/// <summary>RunStrength's tables, created on first use. Thread-safe; register as a singleton.</summary>
public sealed class Tables(TableServiceClient service, IOptions<StorageOptions> options)
{
    public const string Profiles = "profiles";
    public const string Plans = "plans";
    public const string SessionLogs = "sessionlogs";
    public const string Runs = "runs";
    public const string Calendars = "calendars";
    public const string Channels = "channels";

    /// <summary>The due-hour marks: which shards have due-index entries in which hours (see <c>PlanStore</c>'s due index).</summary>
    public const string DueHours = "duehours";

    public static IReadOnlyList<string> All { get; } = [Profiles, Plans, SessionLogs, Runs, Calendars, Channels, DueHours];

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _clients = new(StringComparer.Ordinal);

    public string Prefix => options.Value.TablePrefix;

    public StorageOptions Options => options.Value;

    public Task<TableClient> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var lazy = _clients.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n, CancellationToken.None)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed creation (storage unreachable at start-up) is retried by the next caller.
            _clients.TryUpdate(name, new Lazy<Task<TableClient>>(() => CreateAsync(name, CancellationToken.None)), lazy);
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Deletes every table of this prefix; for tests and for tearing down an environment.</summary>
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var name in All)
        {
            await service.DeleteTableAsync(Prefix + name, cancellationToken).ConfigureAwait(false);
        }

        _clients.Clear();
    }

    private async Task<TableClient> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var client = service.GetTableClient(Prefix + name);
        try
        {
            await client.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created concurrently by another instance, or still being deleted: either way it exists.
        }

        return client;
    }
}
