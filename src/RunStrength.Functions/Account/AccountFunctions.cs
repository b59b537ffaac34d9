using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RunStrength.Functions.Audit;
using RunStrength.Functions.Auth;
using RunStrength.Functions.Http;
using RunStrength.Functions.Notifications;
using RunStrength.Storage;

namespace RunStrength.Functions.Account;

/// <summary><c>DELETE /api/me</c>: erase everything stored about the caller, their push installations at the hub included.</summary>
public sealed partial class AccountFunctions(
    IAuthenticator authenticator, IUserEraser eraser, AuditLog audit, IChannelStore? channels = null, NotificationHub? hub = null)
{
    [Function(nameof(DeleteMe))]
    public Task<IActionResult> DeleteMe([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/me")] HttpRequest request, CancellationToken cancellationToken) =>
        Delete(request, cancellationToken).AsAction();

    public async Task<IResult> Delete(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await authenticator.AuthenticateAsync(request).ConfigureAwait(false) is not { } userId)
        {
            return Problems.Unauthorized();
        }

        // The hub's installations first: if the hub cannot be reached, nothing is erased yet and the
        // caller tries again, rather than the devices being forgotten while still tagged at the hub.
        if (channels is not null && hub is { Configured: true })
        {
            foreach (var device in await channels.ListDevicesAsync(UserKey.For(userId), cancellationToken).ConfigureAwait(false))
            {
                if ((await hub.DeleteInstallationAsync(device.HubInstallationId, cancellationToken).ConfigureAwait(false)).Outcome == DeliveryOutcome.Retry)
                {
                    return Problems.Unavailable("The notification hub could not be reached; nothing was erased. Try again later.");
                }
            }
        }

        var rows = await eraser.EraseAsync(userId, cancellationToken).ConfigureAwait(false);
        audit.UserErased(request, userId, rows);
        return TypedResults.NoContent();
    }
}
