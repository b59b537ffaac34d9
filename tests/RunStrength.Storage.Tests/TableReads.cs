using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace RunStrength.Storage.Tests;

/// <summary>Records every read of an entity table (its path and decoded <c>$filter</c>), so a test can say what a store looked at.</summary>
public sealed class TableReads : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<(string Path, string Filter)> _reads = new();

    public bool Recording { get; set; }

    public IReadOnlyList<(string Path, string Filter)> All => [.. _reads];

    public void Clear() => _reads.Clear();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message)
    {
        var uri = message.Request.Uri.ToUri();
        if (!Recording || message.Request.Method != RequestMethod.Get || uri.AbsolutePath.EndsWith("/Tables", StringComparison.Ordinal))
        {
            return;
        }

        var filter = uri.Query.TrimStart('?').Split('&')
            .Where(p => p.StartsWith("$filter=", StringComparison.Ordinal))
            .Select(p => Uri.UnescapeDataString(p["$filter=".Length..].Replace('+', ' ')))
            .FirstOrDefault() ?? "";
        _reads.Enqueue((Uri.UnescapeDataString(uri.AbsolutePath), filter));
    }
}
