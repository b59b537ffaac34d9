using System.Collections.Concurrent;

namespace RunStrength.LocalHost;

/// <summary>
/// Which functions are disabled, as the Functions host reads it from <c>AzureWebJobs.&lt;name&gt;.Disabled</c>:
/// a disabled function's trigger is ignored (no queue messages fetched, no timer ticks, 404 on its
/// route) while the admin route can still run it. Unlike the real host, which restarts on a settings
/// change, the admin API can also switch a function off and on while the host runs.
/// </summary>
public sealed class FunctionSwitches
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _disabled = new(StringComparer.OrdinalIgnoreCase);

    public FunctionSwitches(HostSettings settings, IEnumerable<FunctionDescriptor> functions)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(functions);
        foreach (var function in functions.Where(f => IsDisabledBySetting(settings, f.Name)))
        {
            Set(function.Name, disabled: true);
        }
    }

    /// <summary>The setting the Functions host reads: <c>AzureWebJobs.&lt;name&gt;.Disabled</c> set to <c>true</c> or <c>1</c>.</summary>
    public static string SettingOf(string functionName) => $"AzureWebJobs.{functionName}.Disabled";

    public static bool IsDisabledBySetting(HostSettings settings, string functionName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Values.TryGetValue(SettingOf(functionName), out var value)
            && (string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase) || value.Trim() == "1");
    }

    public bool IsDisabled(string functionName) => _disabled.ContainsKey(functionName);

    public void Set(string functionName, bool disabled)
    {
        if (disabled)
        {
            _disabled.TryAdd(functionName, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        else if (_disabled.TryRemove(functionName, out var waiting))
        {
            waiting.TrySetResult();
        }
    }

    /// <summary>Completes at once for an enabled function, otherwise when it is enabled again.</summary>
    public Task WhenEnabledAsync(string functionName, CancellationToken cancellationToken) =>
        _disabled.TryGetValue(functionName, out var waiting) ? waiting.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
}
