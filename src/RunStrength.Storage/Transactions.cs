using Azure;
using Azure.Data.Tables;

namespace RunStrength.Storage;

/// <summary>
/// Batch transactions with retries. The SDK retries single requests but not transactions
/// (azure-sdk-for-net#46845), so transient failures of a whole batch are retried here, with the
/// same bounded exponential back-off. Callers only batch idempotent operations.
/// </summary>
internal static class Transactions
{
    public static async Task SubmitAsync(TableClient table, IReadOnlyList<TableTransactionAction> batch, StorageOptions options, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException e) when (IsTransient(e.Status) && attempt < options.MaxRetries)
            {
                await Task.Delay(Delay(attempt, options), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Network failures (0), timeouts, throttling and server errors; never 409 or 412.</summary>
    public static bool IsTransient(int status) => status is 0 or 408 or 429 or 500 or 502 or 503 or 504;

    private static TimeSpan Delay(int attempt, StorageOptions options)
    {
        var exponential = options.RetryDelay.TotalMilliseconds * Math.Pow(2, attempt);
        var capped = Math.Min(exponential, options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }
}
