using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RunStrength.Functions.Http;

namespace RunStrength.Functions.OpenApi;

/// <summary><c>GET /api/openapi.json</c>: the OpenAPI 3 document of this API, checked against the routes by a test.</summary>
public sealed class OpenApiFunctions
{
    private static readonly Lazy<string> Document = new(() =>
    {
        using var stream = typeof(OpenApiFunctions).Assembly.GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException("openapi.json is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Json => Document.Value;

    [Function(nameof(GetOpenApi))]
    public Task<IActionResult> GetOpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request) =>
        Task.FromResult<IResult>(TypedResults.Text(Json, "application/json; charset=utf-8")).AsAction();
}
