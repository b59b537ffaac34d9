using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RunStrength.Functions.Http;
using RunStrength.Planning.Generation;
using RunStrength.Planning.Plans;
using RunStrength.Planning.Profiles;

namespace RunStrength.Functions.Exercises;

/// <summary>
/// <c>GET /api/exercises</c>: the exercise catalogue, so a client can offer the ids a profile's
/// <c>excludedExercises</c> accepts. Static for a given build, so it is public and cacheable.
/// </summary>
public sealed class ExerciseFunctions
{
    private static readonly Lazy<string> Body = new(() =>
    {
        var exercises = new JsonArray();
        foreach (var variant in ExerciseCatalog.All)
        {
            exercises.Add(new JsonObject
            {
                ["id"] = variant.Id,
                ["name"] = variant.Name,
                ["pattern"] = PatternName(variant.Pattern),
                ["equipment"] = WireNames.Of(variant.Equipment),
                ["level"] = variant.Level,
            });
        }

        return new JsonObject { ["exercises"] = exercises }.ToJsonString();
    });

    private static readonly Lazy<string> Tag = new(() =>
        $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Body.Value)))[..16]}\"");

    public static string Json => Body.Value;

    public static string PatternName(MovementPattern pattern) => pattern switch
    {
        MovementPattern.HorizontalPush => "horizontal-push",
        MovementPattern.VerticalPush => "vertical-push",
        _ => WireNames.Of(pattern),
    };

    [Function(nameof(ListExercises))]
    public Task<IActionResult> ListExercises([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/exercises")] HttpRequest request) =>
        List(request).AsAction();

    public static Task<IResult> List(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.HttpContext.Response.Headers.ETag = Tag.Value;
        request.HttpContext.Response.Headers.CacheControl = "public, max-age=3600";
        var result = request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Any(tag => tag.Trim() == Tag.Value || tag.Trim() == "*"))
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Text(Json, "application/json; charset=utf-8");
        return Task.FromResult(result);
    }
}
