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
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _receiving = new(StringComparer.OrdinalIgnoreCase);

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

    /// <summary>
    /// Switches a function off once no fetch of its messages is under way, so that nothing is
    /// received after this returns (a fetch that passed the check just before could otherwise take a
    /// message sent just after).
    /// </summary>
    public async Task DisableAsync(string functionName)
    {
        var gate = Gate(functionName);
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            Set(functionName, disabled: true);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Waits until the function is enabled and holds it so while its messages are fetched: dispose
    /// the result when the fetch has returned. <see cref="DisableAsync"/> waits for it.
    /// </summary>
    public async Task<IDisposable> EnterFetchAsync(string functionName, CancellationToken cancellationToken)
    {
        var gate = Gate(functionName);
        while (true)
        {
            await WhenEnabledAsync(functionName, cancellationToken).ConfigureAwait(false);
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!IsDisabled(functionName))
            {
                return new Release(gate);
            }

            gate.Release();
        }
    }

    private SemaphoreSlim Gate(string functionName) => _receiving.GetOrAdd(functionName, static _ => new SemaphoreSlim(1, 1));

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    /// <summary>Completes at once for an enabled function, otherwise when it is enabled again.</summary>
    public Task WhenEnabledAsync(string functionName, CancellationToken cancellationToken) =>
        _disabled.TryGetValue(functionName, out var waiting) ? waiting.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
}
