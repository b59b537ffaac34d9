using RunStrength.Functions.Exercises;

namespace RunStrength.Functions.Tests;

public sealed class ExerciseFunctionTests
{
    [Fact]
    public async Task CatalogueListsEveryExerciseWithPatternAndEquipmentAnonymouslyAndCacheably()
    {
        var request = TestHttp.Request("GET /api/exercises", user: null);

        var reply = await TestHttp.Execute(request, ExerciseFunctions.List(request));

        Assert.Equal(200, reply.Status);
        Assert.StartsWith("application/json", reply.ContentType, StringComparison.Ordinal);
        Assert.Equal("public, max-age=3600", request.HttpContext.Response.Headers.CacheControl.ToString());
        var exercises = reply.Json["exercises"]!.AsArray();
        var squat = exercises.Single(e => e!["id"]!.GetValue<string>() == "back-squat")!;
        Assert.Equal(("Barbell back squat", "squat", "gym"), (squat["name"]!.GetValue<string>(), squat["pattern"]!.GetValue<string>(), squat["equipment"]!.GetValue<string>()));
        Assert.Contains(exercises, e => e!["pattern"]!.GetValue<string>() == "horizontal-push");
        Assert.Equal(RunStrength.Planning.Generation.ExerciseCatalog.All.Count, exercises.Count);
    }

    [Fact]
    public async Task MatchingIfNoneMatchIs304WithoutABody()
    {
        var first = TestHttp.Request("GET /api/exercises", user: null);
        var etag = (await TestHttp.Execute(first, ExerciseFunctions.List(first))).ETag;
        var again = TestHttp.Request("GET /api/exercises", user: null, headers: ("If-None-Match", etag));

        var reply = await TestHttp.Execute(again, ExerciseFunctions.List(again));

        Assert.Matches("^\"[0-9a-f]{16}\"$", etag);
        Assert.Equal((304, ""), (reply.Status, reply.Body));
    }
}
