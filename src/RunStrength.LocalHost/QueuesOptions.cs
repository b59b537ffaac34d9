using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;

namespace RunStrength.LocalHost;

/// <summary>
/// host.json <c>extensions.queues</c>, with the Storage Queues extension's defaults and limits:
/// batches of 16 (at most 32), a new batch when in-flight messages drop to
/// <c>batchSize / 2 × processors</c>, five dequeues before the poison queue, failed messages
/// visible again at once, empty-queue polling backing off to one minute, Base64 bodies.
/// </summary>
public sealed record QueuesOptions
{
    public const int MaxBatchSize = 32;
    public static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    public int BatchSize { get; init; } = 16;

    /// <summary>Null until set: then <c>BatchSize / 2 × ProcessorCount</c>, as the extension computes it.</summary>
    public int? NewBatchThresholdSetting { get; init; }

    public int ProcessorCount { get; init; } = Environment.ProcessorCount;
    public int MaxDequeueCount { get; init; } = 5;
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);
    public QueueMessageEncoding MessageEncoding { get; init; } = QueueMessageEncoding.Base64;

    public int NewBatchThreshold => NewBatchThresholdSetting ?? BatchSize / 2 * ProcessorCount;

    /// <summary>Reads the <c>extensions.queues</c> object; throws on a value the extension would reject.</summary>
    public static QueuesOptions Parse(JsonElement queues, int processorCount)
    {
        var options = new QueuesOptions { ProcessorCount = processorCount };
        if (queues.ValueKind != JsonValueKind.Object)
        {
            return options;
        }

        foreach (var property in queues.EnumerateObject())
        {
            options = property.Name.ToUpperInvariant() switch
            {
                "BATCHSIZE" => options with { BatchSize = Number(property, 1, MaxBatchSize) },
                "NEWBATCHTHRESHOLD" => options with { NewBatchThresholdSetting = Number(property, 0, int.MaxValue) },
                "MAXDEQUEUECOUNT" => options with { MaxDequeueCount = Number(property, 1, int.MaxValue) },
                "VISIBILITYTIMEOUT" => options with { VisibilityTimeout = Duration(property, TimeSpan.Zero) },
                "MAXPOLLINGINTERVAL" => options with { MaxPollingInterval = Duration(property, MinimumPollingInterval) },
                "MESSAGEENCODING" => options with { MessageEncoding = Encoding(property) },
                _ => options,
            };
        }

        return options;
    }

    private static int Number(JsonProperty property, int minimum, int maximum)
    {
        var value = property.Value.ValueKind switch
        {
            JsonValueKind.Number when property.Value.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(property.Value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => throw Invalid(property, "a whole number"),
        };
        return value >= minimum && value <= maximum ? value : throw Invalid(property, $"between {minimum} and {maximum}");
    }

    /// <summary>A TimeSpan string ("00:00:30"), or a number of milliseconds as host.json also allows.</summary>
    private static TimeSpan Duration(JsonProperty property, TimeSpan minimum)
    {
        var value = property.Value.ValueKind switch
        {
            JsonValueKind.String when TimeSpan.TryParse(property.Value.GetString(), CultureInfo.InvariantCulture, out var t) => t,
            JsonValueKind.Number when property.Value.TryGetInt64(out var ms) => TimeSpan.FromMilliseconds(ms),
            _ => throw Invalid(property, "a time span such as \"00:00:30\""),
        };
        return value >= minimum ? value : throw Invalid(property, $"at least {minimum}");
    }

    private static QueueMessageEncoding Encoding(JsonProperty property) =>
        Enum.TryParse<QueueMessageEncoding>(property.Value.GetString(), ignoreCase: true, out var encoding) && Enum.IsDefined(encoding)
            ? encoding
            : throw Invalid(property, "\"base64\" or \"none\"");

    private static InvalidOperationException Invalid(JsonProperty property, string expected) =>
        new($"host.json extensions.queues.{property.Name} is {property.Value.GetRawText()}: it must be {expected}.");
}

/// <summary>
/// The wait between polls of a queue, as the extension's randomized exponential back-off: the
/// minimum (100 ms) after a poll that found messages, then minimum + minimum × 2^(n-1) × [0.8, 1.2)
/// for the n-th empty poll in a row, until it reaches the maximum and stays there.
/// </summary>
public sealed class PollingBackoff(TimeSpan minimum, TimeSpan maximum, Random random)
{
    private const double RandomizationFactor = 0.2;
    private TimeSpan _current;
    private int _exponent;

    public TimeSpan Next(bool foundMessages)
    {
        if (foundMessages)
        {
            _current = minimum;
            _exponent = 1;
            return _current;
        }

        if (_current == maximum)
        {
            return _current;
        }

        var interval = minimum;
        if (_exponent > 0)
        {
            var factor = 1 - RandomizationFactor + (random.NextDouble() * 2 * RandomizationFactor);
            interval += TimeSpan.FromMilliseconds(factor * Math.Pow(2, _exponent - 1) * minimum.TotalMilliseconds);
        }

        if (interval < maximum)
        {
            _current = interval;
            _exponent++;
        }
        else
        {
            _current = maximum;
        }

        return _current;
    }
}
