using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace RunStrength.Storage;

/// <summary>A user's webhook: where to, the signing secret as the caller protected it, and whether it still receives events.</summary>
public sealed record WebhookChannel(Uri Url, byte[] ProtectedSecret, bool Enabled, string? DisabledReason, DateTimeOffset CreatedAt);

/// <summary>The user's switches: each channel can be turned off without forgetting it.</summary>
public sealed record ChannelSwitches(bool Push, bool Webhook, string? PushDisabledReason = null)
{
    public static ChannelSwitches AllOn { get; } = new(true, true);
}

/// <summary>One push installation of a user at the notification hub.</summary>
public sealed record PushDevice(string InstallationId, string HubInstallationId, string Platform);

public interface IChannelStore
{
    Task<WebhookChannel?> GetWebhookAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the user's webhook, enabled.</summary>
    Task SetWebhookAsync(UserKey user, Uri url, byte[] protectedSecret, DateTimeOffset createdAt, CancellationToken cancellationToken = default);

    /// <returns>Whether there was one.</returns>
    Task<bool> DeleteWebhookAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Stops deliveries to the webhook (a 410 Gone), keeping it for the user to see.</summary>
    Task DisableWebhookAsync(UserKey user, string reason, CancellationToken cancellationToken = default);

    Task<ChannelSwitches> GetSwitchesAsync(UserKey user, CancellationToken cancellationToken = default);

    Task SetSwitchesAsync(UserKey user, ChannelSwitches switches, CancellationToken cancellationToken = default);

    Task AddDeviceAsync(UserKey user, PushDevice device, CancellationToken cancellationToken = default);

    /// <returns>Whether there was one.</returns>
    Task<bool> RemoveDeviceAsync(UserKey user, string hubInstallationId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PushDevice>> ListDevicesAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Whether the event already went out through the channel (a redelivered message, a retry for another channel).</summary>
    Task<bool> WasDeliveredAsync(UserKey user, string channel, string eventId, CancellationToken cancellationToken = default);

    Task MarkDeliveredAsync(UserKey user, string channel, string eventId, int status, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Every row of the user: webhook, switches, devices and delivery records. Safe to repeat.</summary>
    Task<int> DeleteUserAsync(UserKey user, CancellationToken cancellationToken = default);
}

/// <summary>
/// The channels table: all of a user's rows in the user's shard partition, keyed
/// <c>{userKey}-webhook</c>, <c>{userKey}-switches</c>, <c>{userKey}-device-{id}</c> and
/// <c>{userKey}-sent-{channel}-{eventId}</c>, so a user's channels are one range query and erasure
/// one range delete. The webhook secret arrives protected (encrypted by the function app).
/// </summary>
internal sealed class ChannelStore(Tables tables) : IChannelStore
{
    public async Task<WebhookChannel?> GetWebhookAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Channels, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(user.Shard, $"{user.Value}-webhook", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return null;
        }

        var entity = row.Value!;
        return new WebhookChannel(
            new Uri(entity.GetString("Url")),
            entity.GetBinary("Secret"),
            entity.GetBoolean("Enabled") ?? false,
            entity.GetString("DisabledReason"),
            entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch);
    }

    public async Task SetWebhookAsync(UserKey user, Uri url, byte[] protectedSecret, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        var table = await tables.GetAsync(Tables.Channels, cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(user.Shard, $"{user.Value}-webhook")
        {
            ["Url"] = url.AbsoluteUri,
            ["Secret"] = protectedSecret,
            ["Enabled"] = true,
            ["CreatedAt"] = createdAt,
        };
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteWebhookAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Channels, cancellationToken).ConfigureAwait(false);
        var response = await table.DeleteEntityAsync(user.Shard, $"{user.Value}-webhook", ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public async Task DisableWebhookAsync(UserKey user, string reason, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Channels, cancellationToken).ConfigureAwait(false);
        try
        {
            var row = new TableEntity(user.Shard, $"{user.Value}-webhook") { ["Enabled"] = false, ["DisabledReason"] = reason };
            await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Removed meanwhile: nothing to disable.
        }
    }

    public async Task<ChannelSwitches> GetSwitchesAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Channels, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(user.Shard, $"{user.Value}-switches", cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue
            ? new ChannelSwitches(row.Value!.GetBoolean("Push") ?? true, row.Value.GetBoolean("Webhook") ?? true, row.Value.GetString("PushDisabledReason"))
            : ChannelSwitches.AllOn;
    }

    public async Task SetSwitchesAsync(UserKey user, ChannelSwitches switches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(switches);
        var table = await tables.GetAsync(Tables.Channels, cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(user.Shard, $"{user.Value}-switches") { ["Push"] = switches.Push, ["Webhook"] = switches.Webhook };
        if (switches.PushDisabledReason is { } reason)
        {
            row["PushDisabledReason"] = reason;
        }

        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task AddDeviceAsync(UserKey user, PushDevice device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        var table = await tables.GetAsync(Tables.Channels, cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(user.Shard, DeviceKey(user, device.HubInstallationId))
        {
            ["InstallationId"] = device.InstallationId,
            ["HubInstallationId"] = device.HubInstallationId,
            ["Platform"] = device.Platform,
        };
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RemoveDeviceAsync(UserKey user, string hubInstallationId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Channels, cancellationToken).ConfigureAwait(false);
        var response = await table.DeleteEntityAsync(user.Shard, DeviceKey(user, hubInstallationId), ETag.All, cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public async Task<IReadOnlyList<PushDevice>> ListDevicesAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Channels, cancellationToken).ConfigureAwait(false);
        var prefix = $"{user.Value}-device-";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {user.Shard} and RowKey ge {prefix} and RowKey lt {user.Value + "-device."}");
        var devices = new List<PushDevice>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            devices.Add(new PushDevice(row.GetString("InstallationId"), row.GetString("HubInstallationId"), row.GetString("Platform")));
        }

        return devices;
    }

    public async Task<bool> WasDeliveredAsync(UserKey user, string channel, string eventId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Channels, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(user.Shard, SentKey(user, channel, eventId), ["RowKey"], cancellationToken).ConfigureAwait(false);
        return row.HasValue;
    }

    public async Task MarkDeliveredAsync(UserKey user, string channel, string eventId, int status, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Channels, cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(user.Shard, SentKey(user, channel, eventId)) { ["Status"] = status, ["At"] = at };
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> DeleteUserAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(Tables.Channels, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {user.Shard} and RowKey ge {user.Value + "-"} and RowKey lt {user.Value + "."}");
        return await Rows.DeleteAllAsync(table, filter, tables.Options, cancellationToken).ConfigureAwait(false);
    }

    private static string DeviceKey(UserKey user, string hubInstallationId) => $"{user.Value}-device-{hubInstallationId}";

    private static string SentKey(UserKey user, string channel, string eventId) =>
        string.Create(CultureInfo.InvariantCulture, $"{user.Value}-sent-{channel}-{eventId}");
}
