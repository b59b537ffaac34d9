using System.Text.Json.Nodes;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RunStrength.Functions.Http;

namespace RunStrength.Functions.Health;

/// <summary><c>GET /api/health</c>: the app runs and storage answers within a few seconds.</summary>
public sealed class HealthFunctions(Storage.Tables tables)
{
    public static readonly TimeSpan StorageTimeout = TimeSpan.FromSeconds(5);

    [Function(nameof(GetHealth))]
    public Task<IActionResult> GetHealth([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request, CancellationToken cancellationToken) =>
        Check(cancellationToken).AsAction();

    public async Task<IResult> Check(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StorageTimeout);
        try
        {
            var table = await tables.GetAsync(Storage.Tables.Profiles, timeout.Token).ConfigureAwait(false);
            await table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "probe", cancellationToken: timeout.Token).ConfigureAwait(false);
            return TypedResults.Ok(new JsonObject { ["status"] = "healthy", ["storage"] = "reachable" });
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or AggregateException or InvalidOperationException)
        {
            return Problems.Unavailable("Storage is not reachable.");
        }
    }
}
