using System.Text.Json;
using RunStrength.LocalHost.Protocol;

namespace RunStrength.LocalHost;

public enum TriggerKind { Http, Timer, Queue, Other }

/// <summary>A loaded function: its id, trigger and the trigger's settings from raw_bindings.</summary>
public sealed record FunctionDescriptor(string Id, string Name, TriggerKind Trigger, string TriggerBindingName, RpcFunctionMetadata Metadata)
{
    public string? Route { get; init; }
    public IReadOnlyList<string> Methods { get; init; } = [];
    public string? Schedule { get; init; }

    /// <summary>The queue as written in the binding, perhaps a <c>%Setting%</c>.</summary>
    public string? QueueName { get; init; }

    /// <summary>The app setting holding the storage connection; null means AzureWebJobsStorage.</summary>
    public string? Connection { get; init; }

    /// <summary>The trigger parameter's <c>dataType</c>: String, Binary, or null for a POCO.</summary>
    public string? DataType { get; init; }

    public static FunctionDescriptor From(RpcFunctionMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var id = string.IsNullOrEmpty(metadata.FunctionId) ? Guid.NewGuid().ToString() : metadata.FunctionId;
        foreach (var raw in metadata.RawBindings)
        {
            using var binding = JsonDocument.Parse(raw);
            var root = binding.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            var direction = root.TryGetProperty("direction", out var d) ? d.GetString() : null;
            if (!string.Equals(direction, "In", StringComparison.OrdinalIgnoreCase) || type is null || !type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = root.GetProperty("name").GetString()!;
            if (type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase))
            {
                var methods = root.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
                    ? m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()).ToArray()
                    : ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
                var route = root.TryGetProperty("route", out var r) && r.GetString() is { Length: > 0 } text ? text : metadata.Name;
                return new FunctionDescriptor(id, metadata.Name, TriggerKind.Http, name, metadata) { Route = route, Methods = methods };
            }

            if (type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase))
            {
                return new FunctionDescriptor(id, metadata.Name, TriggerKind.Timer, name, metadata) { Schedule = root.GetProperty("schedule").GetString() };
            }

            if (type.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase))
            {
                return new FunctionDescriptor(id, metadata.Name, TriggerKind.Queue, name, metadata)
                {
                    QueueName = root.GetProperty("queueName").GetString(),
                    Connection = Text(root, "connection"),
                    DataType = Text(root, "dataType"),
                };
            }

            return new FunctionDescriptor(id, metadata.Name, TriggerKind.Other, name, metadata);
        }

        return new FunctionDescriptor(id, metadata.Name, TriggerKind.Other, "input", metadata);
    }

    private static string? Text(JsonElement binding, string property) =>
        binding.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
