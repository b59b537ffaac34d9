using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace RunStrength.Functions.Http;

/// <summary>Reads a JSON request body within limits: media type (415), size (413), syntax (400).</summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;
    public const string Json = "application/json";
    public const string MergePatch = "application/merge-patch+json";

    public static async Task<(JsonElement Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, string mediaType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
            || (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return (default, Problems.UnsupportedMediaType(mediaType));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (default, Problems.TooLarge(MaxBytes));
        }

        // Read at most one byte past the limit, whatever Content-Length claimed.
        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        if (length > MaxBytes)
        {
            return (default, Problems.TooLarge(MaxBytes));
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 16 });
            if (Check(document.RootElement, "$") is { } problem)
            {
                return (default, Problems.Validation(new Dictionary<string, string[]> { [problem.Field] = [problem.Message] }));
            }

            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, Problems.BadRequest($"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})."));
        }
    }

    /// <summary>
    /// What JSON syntax allows but no field of this API can mean: a name given twice in one object
    /// (which one would count?), and a lone UTF-16 surrogate escape ("\ud800"), which is no text.
    /// </summary>
    public static (string Field, string Message)? Check(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return (path, "has a member name with a lone UTF-16 surrogate, which is not text.");
                    }

                    var field = path == "$" ? name : $"{path}.{name}";
                    if (!names.Add(name))
                    {
                        return (field, "appears more than once.");
                    }

                    if (Check(property.Value, field) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Check(item, $"{path}[{index++}]") is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return (path, "contains a lone UTF-16 surrogate, which is not text.");
                }

            default:
                return null;
        }
    }
}
