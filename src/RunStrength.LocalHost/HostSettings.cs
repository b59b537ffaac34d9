using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace RunStrength.LocalHost;

/// <summary>What the host reads from a built function app's folder: worker, settings and host.json.</summary>
public sealed partial record HostSettings
{
    public required string AppDirectory { get; init; }
    public required string WorkerExecutable { get; init; }
    public required string WorkerPath { get; init; }
    public required IReadOnlyDictionary<string, string> Values { get; init; }
    public required string RoutePrefix { get; init; }
    public required TimeSpan FunctionTimeout { get; init; }

    /// <summary>host.json <c>logging.logLevel</c>, applied to the worker's logs.</summary>
    public CategoryLevels WorkerLogLevels { get; init; } = CategoryLevels.Everything;

    /// <summary>host.json <c>extensions.queues</c>, for queue triggers.</summary>
    public QueuesOptions Queues { get; init; } = new();

    public static HostSettings Load(string appDirectory, IReadOnlyDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var directory = Path.GetFullPath(appDirectory);
        var workerConfig = Path.Combine(directory, "worker.config.json");
        if (!File.Exists(workerConfig))
        {
            throw new InvalidOperationException($"{workerConfig} not found: point --app at a built isolated-worker function app's output folder.");
        }

        using var worker = JsonDocument.Parse(File.ReadAllText(workerConfig));
        var description = worker.RootElement.GetProperty("description");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var localSettings = Path.Combine(directory, "local.settings.json");
        if (File.Exists(localSettings))
        {
            using var settings = JsonDocument.Parse(File.ReadAllText(localSettings), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (settings.RootElement.TryGetProperty(nameof(Values), out var entries))
            {
                foreach (var entry in entries.EnumerateObject())
                {
                    values[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
                }
            }
        }

        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        var routePrefix = "api";
        var timeout = TimeSpan.FromMinutes(30);
        var logLevels = CategoryLevels.Everything;
        var queues = new QueuesOptions();
        var hostJson = Path.Combine(directory, "host.json");
        if (File.Exists(hostJson))
        {
            using var host = JsonDocument.Parse(File.ReadAllText(hostJson), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (host.RootElement.TryGetProperty("extensions", out var extensions))
            {
                if (extensions.TryGetProperty("http", out var http) && http.TryGetProperty("routePrefix", out var prefix))
                {
                    routePrefix = prefix.GetString() ?? "";
                }

                if (extensions.TryGetProperty("queues", out var queueSection))
                {
                    queues = QueuesOptions.Parse(queueSection, Environment.ProcessorCount);
                }
            }

            if (host.RootElement.TryGetProperty("functionTimeout", out var functionTimeout) && functionTimeout.GetString() is { } text)
            {
                timeout = TimeSpan.Parse(text, CultureInfo.InvariantCulture);
            }

            if (host.RootElement.TryGetProperty("logging", out var logging) && logging.TryGetProperty("logLevel", out var levels))
            {
                logLevels = new CategoryLevels(levels.EnumerateObject()
                    .Where(l => Enum.TryParse<LogLevel>(l.Value.GetString(), ignoreCase: true, out _))
                    .ToDictionary(l => l.Name, l => Enum.Parse<LogLevel>(l.Value.GetString()!, ignoreCase: true), StringComparer.OrdinalIgnoreCase));
            }
        }

        return new HostSettings
        {
            AppDirectory = directory,
            WorkerExecutable = description.TryGetProperty("defaultExecutablePath", out var exe) ? exe.GetString()! : "dotnet",
            WorkerPath = description.GetProperty("defaultWorkerPath").GetString()!,
            Values = values,
            RoutePrefix = routePrefix.Trim('/'),
            FunctionTimeout = timeout,
            WorkerLogLevels = logLevels,
            Queues = queues,
        };
    }

    /// <summary>Replaces <c>%Name%</c> with the app setting of that name, as the Functions host does.</summary>
    public string Resolve(string text) => SettingReference().Replace(text, match =>
        Values.TryGetValue(match.Groups[1].Value, out var value) ? value
            : Environment.GetEnvironmentVariable(match.Groups[1].Value)
              ?? throw new InvalidOperationException($"App setting '{match.Groups[1].Value}' is not set (referenced as {match.Value})."));

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();
}

/// <summary>
/// Minimum levels by category, as in host.json <c>logging.logLevel</c>: the longest category prefix
/// that matches wins, then <c>default</c>; with neither, everything passes.
/// </summary>
public sealed class CategoryLevels(IReadOnlyDictionary<string, LogLevel> levels)
{
    private const string Default = "default";
    private readonly Dictionary<string, LogLevel> _levels = new(levels, StringComparer.OrdinalIgnoreCase);

    public static CategoryLevels Everything { get; } = new(new Dictionary<string, LogLevel>());

    public bool IsEnabled(string category, LogLevel level)
    {
        ArgumentNullException.ThrowIfNull(category);
        var rule = _levels.Keys.Where(k => !string.Equals(k, Default, StringComparison.OrdinalIgnoreCase) && category.StartsWith(k, StringComparison.OrdinalIgnoreCase))
            .MaxBy(k => k.Length);
        var minimum = rule is not null ? _levels[rule] : _levels.GetValueOrDefault(Default, LogLevel.Trace);
        return level != LogLevel.None && level >= minimum;
    }
}
