using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace RunStrength.Testing;

/// <summary>
/// Holds every response a test receives to the OpenAPI document the app serves
/// (src/RunStrength.Functions/OpenApi/openapi.json): the status must be documented for the
/// operation, the media type and the documented required headers must be there, and the body
/// must validate against the schema. Response objects are checked strictly: a property the
/// document does not list fails, so a field added in code but not in the document fails a test.
/// </summary>
public static class OpenApiContract
{
    private static readonly JsonObject Document = (JsonObject)JsonNode.Parse(File.ReadAllText(
        Path.Combine(RepositoryPaths.Root, "src", "RunStrength.Functions", "OpenApi", "openapi.json")))!;

    private static readonly JsonObject Definitions = Definitions_();

    private static readonly List<(string Method, Regex Path, string Template, JsonObject Operation)> Operations = Operations_();

    private static readonly Dictionary<string, JsonSchema> Schemas = [];

    /// <summary>The path all documented paths are relative to (the server URL's path, e.g. <c>/api</c>).</summary>
    public static string BasePath { get; } = new Uri(Document["servers"]![0]!["url"]!.GetValue<string>()).AbsolutePath.TrimEnd('/');

    /// <summary>
    /// Fails the test unless this response is one the document describes for
    /// <paramref name="method"/> and <paramref name="path"/> (the request path, with the route
    /// prefix, such as <c>/api/me/plans/2026-W49</c>).
    /// </summary>
    public static void AssertResponse(string method, string path, int status, string? contentType, IEnumerable<string> headers, string body)
    {
        ArgumentNullException.ThrowIfNull(path);
        var relative = path.StartsWith(BasePath + "/", StringComparison.Ordinal) ? path[BasePath.Length..] : path;
        var matches = Operations.Where(o => o.Method.Equals(method, StringComparison.OrdinalIgnoreCase) && o.Path.IsMatch(relative)).ToList();
        if (matches.Count == 0)
        {
            Assert.Fail($"{method} {path} is not in the OpenAPI document.");
        }

        // A literal path (plans/current) wins over a template (plans/{week}), as in routing.
        var (_, _, template, operation) = matches.OrderBy(m => m.Template.Count(c => c == '{')).First();
        var where = $"{method.ToUpperInvariant()} {template} -> {status}";
        var responses = operation["responses"]!.AsObject();
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var documented = responses[code] ?? responses[$"{code[0]}XX"] ?? responses["default"];
        if (documented is null)
        {
            Assert.Fail($"{where}: status not documented (documented: {string.Join(", ", responses.Select(r => r.Key))}). Body: {body}");
        }

        var response = Resolve(documented);
        var present = headers.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, header) in response["headers"]?.AsObject() ?? [])
        {
            if (Resolve(header!)["required"]?.GetValue<bool>() == true && !present.Contains(name))
            {
                Assert.Fail($"{where}: the document requires header {name}, the response has none.");
            }
        }

        var content = response["content"]?.AsObject();
        if (content is null)
        {
            Assert.True(body.Length == 0, $"{where}: the document gives no body, the response has one: {body}");
            return;
        }

        var media = (contentType ?? "").Split(';')[0].Trim();
        if (content[media] is not { } mediaType)
        {
            Assert.Fail($"{where}: media type '{media}' not documented (documented: {string.Join(", ", content.Select(c => c.Key))}). Body: {body}");
            return;
        }

        if (!media.EndsWith("json", StringComparison.Ordinal))
        {
            return;
        }

        var key = $"{where} {media}";
        JsonSchema schema;
        lock (Schemas)
        {
            if (!Schemas.TryGetValue(key, out schema!))
            {
                schema = Build(mediaType["schema"]!);
                Schemas[key] = schema;
            }
        }

        var errors = Errors(schema, body);
        if (errors.Count > 0)
        {
            Assert.Fail($"{where}: the body does not match the document:\n  {string.Join("\n  ", errors.Take(20))}\nBody: {body}");
        }
    }

    /// <summary>Why <paramref name="json"/> does not match the component schema <paramref name="name"/> (none when it does).</summary>
    public static IReadOnlyList<string> SchemaErrors(string name, string json)
    {
        JsonSchema schema;
        lock (Schemas)
        {
            if (!Schemas.TryGetValue(name, out schema!))
            {
                schema = Build(new JsonObject { ["$ref"] = $"#/components/schemas/{name}" });
                Schemas[name] = schema;
            }
        }

        return Errors(schema, json);
    }

    private static List<string> Errors(JsonSchema schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        return result.IsValid
            ? []
            : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value} ({d.EvaluationPath})"))
                .Distinct().ToList();
    }

    private static JsonObject Resolve(JsonNode node)
    {
        var current = node.AsObject();
        while (current["$ref"]?.GetValue<string>() is { } reference)
        {
            current = reference.TrimStart('#', '/').Split('/').Aggregate((JsonNode)Document, (n, part) => n[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]!).AsObject();
        }

        return current;
    }

    private static List<(string, Regex, string, JsonObject)> Operations_() =>
        Document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Key is "get" or "put" or "post" or "patch" or "delete")
                .Select(o => (o.Key, new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^}]+}", "[^/]+") + "$", RegexOptions.CultureInvariant), p.Key, o.Value!.AsObject())))
            .ToList();

    private static JsonObject Definitions_()
    {
        var definitions = new JsonObject();
        foreach (var (name, schema) in Document["components"]!["schemas"]!.AsObject())
        {
            definitions[name] = ToJsonSchema(schema!);
        }

        return definitions;
    }

    private static JsonSchema Build(JsonNode schema)
    {
        var root = ToJsonSchema(schema).AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = Definitions.DeepClone();
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.Build(JsonSerializer.SerializeToElement(root), options, new Uri($"urn:runstrength:contract:{Guid.NewGuid():N}"));
    }

    /// <summary>
    /// An OpenAPI 3.0 schema as a JSON Schema 2020-12 one: <c>nullable</c> adds null to the type
    /// (and to an enum), references point into <c>$defs</c>, examples and <c>x-</c> extensions
    /// go, and an object schema that lists its properties without saying otherwise allows no
    /// others. The document itself stays open for clients; the tests hold the server to it.
    /// </summary>
    private static JsonNode ToJsonSchema(JsonNode node)
    {
        if (node is JsonArray array)
        {
            return new JsonArray(array.Select(item => item is null ? null : ToJsonSchema(item)).ToArray());
        }

        if (node is not JsonObject schema)
        {
            return node.DeepClone();
        }

        var result = new JsonObject();
        foreach (var (key, value) in schema)
        {
            switch (key)
            {
                case "nullable" or "example" or "discriminator" or "xml" or "externalDocs":
                case var extension when extension.StartsWith("x-", StringComparison.Ordinal):
                    break;
                case "$ref":
                    result[key] = value!.GetValue<string>().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                    break;
                case "properties":
                    result[key] = new JsonObject(value!.AsObject().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)ToJsonSchema(p.Value!))));
                    break;
                case "items" or "additionalProperties" or "not" or "allOf" or "anyOf" or "oneOf":
                    result[key] = value is JsonValue ? value.DeepClone() : ToJsonSchema(value!);
                    break;
                default:
                    result[key] = value?.DeepClone();
                    break;
            }
        }

        if (schema["nullable"]?.GetValue<bool>() == true && schema["type"]?.GetValue<string>() is { } type)
        {
            result["type"] = new JsonArray(type, "null");
            if (result["enum"] is JsonArray values && !values.Any(v => v is null))
            {
                values.Add(null);
            }
        }

        if (schema["properties"] is not null && schema["additionalProperties"] is null)
        {
            result["unevaluatedProperties"] = false;
        }

        return result;
    }
}
