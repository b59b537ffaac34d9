using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Http;
using RunStrength.Storage;

namespace RunStrength.Functions.Account;

/// <summary><c>DELETE /api/me</c>: erase everything stored about the caller.</summary>
public sealed partial class AccountFunctions(IAuthenticator authenticator, IUserEraser eraser, ILogger<AccountFunctions> logger)
{
    [Function(nameof(DeleteMe))]
    public Task<IActionResult> DeleteMe([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "me")] HttpRequest request, CancellationToken cancellationToken) =>
        Delete(request, cancellationToken).AsAction();

    public async Task<IResult> Delete(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        var rows = await eraser.EraseAsync(userId, cancellationToken).ConfigureAwait(false);
        LogErased(logger, rows);
        return TypedResults.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User erased: {Rows} rows deleted")]
    private static partial void LogErased(ILogger logger, int rows);
}
