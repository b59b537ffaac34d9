using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace RunStrength.Functions.Http;

/// <summary>
/// Runs a minimal-API <see cref="IResult"/> as the <see cref="IActionResult"/> the Functions
/// ASP.NET Core integration executes, so handlers return <c>TypedResults</c> like any minimal API.
/// </summary>
public sealed class ResultAction(IResult result) : IActionResult
{
    public IResult Result { get; } = result;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Result.ExecuteAsync(context.HttpContext);
    }
}

public static class ResultActionExtensions
{
    public static async Task<IActionResult> AsAction(this Task<IResult> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ResultAction(await result.ConfigureAwait(false));
    }
}
