using System.Globalization;
using Microsoft.Extensions.Hosting;

namespace RunStrength.LocalHost;

public sealed record LocalHostOptions(string AppDirectory, int Port, IReadOnlyDictionary<string, string> Settings, bool StartAzurite)
{
    public static LocalHostOptions? Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? app = null;
        var port = 7071;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var azurite = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--app" when i + 1 < args.Length:
                    app = args[++i];
                    break;
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var p):
                    port = p;
                    i++;
                    break;
                case "--setting" when i + 1 < args.Length && args[i + 1].Contains('=', StringComparison.Ordinal):
                    var pair = args[++i].Split('=', 2);
                    settings[pair[0]] = pair[1];
                    break;
                case "--no-azurite":
                    azurite = false;
                    break;
                default:
                    return null;
            }
        }

        return app is null ? null : new LocalHostOptions(app, port, settings, azurite);
    }
}

/// <summary>A lifetime that ignores Ctrl+C, for the inner gRPC app: the outer app owns shutdown order.</summary>
internal sealed class ManualLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
