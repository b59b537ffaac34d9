using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RunStrength.Testing;

namespace RunStrength.Storage.Tests;

/// <summary>The stores wired exactly as the app wires them, over tables with a prefix unique to the test class.</summary>
[Collection(AzuriteGroup.Name)]
public abstract class StorageTest : IAsyncLifetime
{
    private readonly ServiceProvider _services;

    protected StorageTest(AzuriteFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Azurite = fixture.Azurite;
        Prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = Azurite.ConnectionString,
                ["Storage:TablePrefix"] = Prefix,
            })
            .Build();
        var services = new ServiceCollection().AddRunStrengthStorage(configuration);
        services.AddAzureClients(clients => clients.ConfigureDefaults(options =>
        {
            options.AddPolicy(Operations, HttpPipelinePosition.PerCall);
            options.AddPolicy(Queries, HttpPipelinePosition.PerCall);
        }));
        _services = services.BuildServiceProvider();
    }

    /// <summary>Entity operations of every store call, counted on the wire.</summary>
    protected EntityOperations Operations { get; } = new();

    /// <summary>Every query and point read the stores sent, as it crossed the wire.</summary>
    protected TableReads Queries { get; } = new();

    protected AzuriteProcess Azurite { get; }
    protected string Prefix { get; }
    protected Tables Tables => _services.GetRequiredService<Tables>();
    protected IProfileStore Profiles => _services.GetRequiredService<IProfileStore>();
    protected IPlanStore Plans => _services.GetRequiredService<IPlanStore>();
    protected ISessionLogStore Logs => _services.GetRequiredService<ISessionLogStore>();
    protected ICalendarTokenStore Calendars => _services.GetRequiredService<ICalendarTokenStore>();
    protected IRunCheckpointStore Runs => _services.GetRequiredService<IRunCheckpointStore>();
    protected IUserEraser Eraser => _services.GetRequiredService<IUserEraser>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Tables.DeleteAllAsync();
        await _services.DisposeAsync();
    }

    /// <summary>Every row of every table of this test class.</summary>
    protected async Task<List<TableEntity>> AllRowsAsync()
    {
        var rows = new List<TableEntity>();
        foreach (var name in Tables.All)
        {
            var table = await Tables.GetAsync(name);
            await foreach (var row in table.QueryAsync<TableEntity>())
            {
                rows.Add(row);
            }
        }

        return rows;
    }
}
