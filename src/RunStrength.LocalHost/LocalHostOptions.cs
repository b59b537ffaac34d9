using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;

namespace RunStrength.LocalHost;

public sealed record LocalHostOptions(string AppDirectory, int Port, IReadOnlyDictionary<string, string> Settings, bool StartAzurite)
{
    public const string Usage = "usage: RunStrength.LocalHost --app <folder of a built isolated-worker function app> [--port 7071] [--setting Key=Value]... "
        + "[--no-azurite] [--azurite-location .azurite] [--azurite-ports 10000,10001,10002] [--admin-token <16+ characters>] [--verbose]";

    /// <summary>Where a started Azurite keeps its data; relative paths are from the working directory.</summary>
    public string AzuriteLocation { get; init; } = ".azurite";

    public AzuritePorts AzuritePorts { get; init; } = AzuritePorts.Default;

    /// <summary>
    /// The admin API's key for this run (sent as <c>x-functions-key</c>): random unless given, and
    /// printed at start, so a web page that cannot read this terminal cannot call the admin API.
    /// </summary>
    public string AdminToken { get; init; } = NewAdminToken();

    public static string NewAdminToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Show everything: the worker's logs regardless of host.json <c>logging.logLevel</c>, and the hosts' lifetime lines.</summary>
    public bool Verbose { get; init; }

    public static LocalHostOptions? Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? app = null;
        var port = 7071;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var azurite = true;
        var location = ".azurite";
        var ports = AzuritePorts.Default;
        var verbose = false;
        var adminToken = NewAdminToken();
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
                case "--azurite-location" when i + 1 < args.Length && args[i + 1].Length > 0:
                    location = args[++i];
                    break;
                case "--azurite-ports" when i + 1 < args.Length && AzuritePorts.TryParse(args[i + 1], out var parsed):
                    ports = parsed;
                    i++;
                    break;
                case "--admin-token" when i + 1 < args.Length && args[i + 1].Length >= 16:
                    adminToken = args[++i];
                    break;
                case "--verbose":
                    verbose = true;
                    break;
                default:
                    return null;
            }
        }

        return app is null ? null : new LocalHostOptions(app, port, settings, azurite) { AzuriteLocation = location, AzuritePorts = ports, Verbose = verbose, AdminToken = adminToken };
    }
}

/// <summary>Azurite's blob, queue and table ports; <c>UseDevelopmentStorage=true</c> means 10000, 10001 and 10002.</summary>
public sealed record AzuritePorts(int Blob, int Queue, int Table)
{
    public static AzuritePorts Default { get; } = new(10000, 10001, 10002);

    public IEnumerable<int> All => [Blob, Queue, Table];

    public static bool TryParse(string text, [NotNullWhen(true)] out AzuritePorts? ports)
    {
        ArgumentNullException.ThrowIfNull(text);
        var numbers = text.Split(',').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 65535 ? n : 0).ToArray();
        ports = numbers.Length == 3 && !numbers.Contains(0) && numbers.Distinct().Count() == 3 ? new AzuritePorts(numbers[0], numbers[1], numbers[2]) : null;
        return ports is not null;
    }
}

/// <summary>A lifetime that ignores Ctrl+C, for the inner gRPC app: the outer app owns shutdown order.</summary>
internal sealed class ManualLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
