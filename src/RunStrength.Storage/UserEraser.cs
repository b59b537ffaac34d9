namespace RunStrength.Storage;

public interface IUserEraser
{
    /// <summary>Deletes every row of the user in every table; safe to repeat. Returns rows deleted.</summary>
    Task<int> EraseAsync(string userId, CancellationToken cancellationToken = default);
}

internal sealed class UserEraser(IProfileStore profiles, IPlanStore plans, ISessionLogStore logs, ICalendarTokenStore calendars, IChannelStore channels) : IUserEraser
{
    public async Task<int> EraseAsync(string userId, CancellationToken cancellationToken = default)
    {
        // Profile first: the weekly run plans only users with a profile, so none are added meanwhile.
        var deleted = (await profiles.DeleteAsync(userId, cancellationToken).ConfigureAwait(false)).Outcome == WriteOutcome.Deleted ? 1 : 0;
        deleted += await calendars.DeleteUserAsync(userId, cancellationToken).ConfigureAwait(false);
        deleted += await logs.DeleteUserAsync(userId, cancellationToken).ConfigureAwait(false);
        deleted += await plans.DeleteUserAsync(userId, cancellationToken).ConfigureAwait(false);
        deleted += await channels.DeleteUserAsync(UserKey.For(userId), cancellationToken).ConfigureAwait(false);
        return deleted;
    }
}
