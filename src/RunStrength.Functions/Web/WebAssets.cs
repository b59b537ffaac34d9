using System.Collections.Frozen;
using System.Security.Cryptography;

namespace RunStrength.Functions.Web;

/// <summary>
/// The web client's files, embedded in this assembly at build time (<c>Web/wwwroot</c>, logical
/// names <c>web/{file}</c>), so the page ships in the same deployment as the API and cannot drift from it.
/// </summary>
public static class WebAssets
{
    private const string Prefix = "web/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, WebAsset>> All = new(Load);

    /// <summary>Every embedded file by name (<c>index.html</c>, <c>app.js</c>, ...).</summary>
    public static IReadOnlyDictionary<string, WebAsset> Files => All.Value;

    /// <summary>The file, or null for any name that is not one of the embedded files (so no path ever reaches a file system).</summary>
    public static WebAsset? Find(string? name) => name is not null && All.Value.TryGetValue(name, out var asset) ? asset : null;

    private static FrozenDictionary<string, WebAsset> Load()
    {
        var assembly = typeof(WebAssets).Assembly;
        var files = new Dictionary<string, WebAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
            {
                throw new InvalidOperationException($"Embedded web file '{name}' has no known content type.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            files[name] = new WebAsset(name, bytes, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

/// <summary>One embedded file with its media type and a strong ETag from its content.</summary>
public sealed record WebAsset(string Name, byte[] Content, string ContentType, string ETag);
