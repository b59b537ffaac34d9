using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace RunStrength.Storage.Tests;

/// <summary>
/// Fails a share of request attempts with 503: half before the request leaves (nothing happened),
/// half after the service applied it (the answer is lost), the harder case for "lands once".
/// </summary>
public sealed class TransientFaults(double rate, int seed) : HttpPipelinePolicy
{
    private readonly Random _random = new(seed);
    private int _beforeSend;
    private int _afterSend;

    public int BeforeSend => _beforeSend;
    public int AfterSend => _afterSend;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        double roll;
        lock (_random)
        {
            roll = _random.NextDouble();
        }

        if (roll < rate / 2)
        {
            Interlocked.Increment(ref _beforeSend);
            message.Response = new ServiceUnavailable(message.Request.ClientRequestId);
            return;
        }

        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        if (roll < rate)
        {
            Interlocked.Increment(ref _afterSend);
            message.Response = new ServiceUnavailable(message.Request.ClientRequestId);
        }
    }

    private sealed class ServiceUnavailable(string clientRequestId) : Response
    {
        public override int Status => 503;
        public override string ReasonPhrase => "Service Unavailable (injected)";
        public override Stream? ContentStream { get; set; } = new MemoryStream();
        public override string ClientRequestId { get; set; } = clientRequestId;

        // The transport normally classifies responses; a response made up here must say it is an error itself.
        public override bool IsError => true;

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool ContainsHeader(string name) => false;

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
