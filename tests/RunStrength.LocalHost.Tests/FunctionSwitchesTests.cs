using RunStrength.LocalHost.Protocol;

namespace RunStrength.LocalHost.Tests;

public sealed class FunctionSwitchesTests
{
    private static readonly FunctionDescriptor[] Functions = [Timer("Tick"), Timer("Sweep"), Timer("Build")];

    [Fact]
    public void TheHostsDisabledSettingSwitchesAFunctionOffAtStart()
    {
        var switches = new FunctionSwitches(Settings(new()
        {
            ["AzureWebJobs.Tick.Disabled"] = "true",
            ["AzureWebJobs.Sweep.Disabled"] = "1",
            ["AzureWebJobs.Build.Disabled"] = "false",
        }), Functions);

        Assert.Equal([true, true, false], Functions.Select(f => switches.IsDisabled(f.Name)));
        Assert.Equal("AzureWebJobs.Tick.Disabled", FunctionSwitches.SettingOf("Tick"));
    }

    [Fact]
    public async Task WaitingForADisabledFunctionEndsWhenItIsEnabled()
    {
        var switches = new FunctionSwitches(Settings(new() { ["AzureWebJobs.Tick.Disabled"] = "true" }), Functions);

        var waiting = switches.WhenEnabledAsync("Tick", CancellationToken.None);
        Assert.True(switches.WhenEnabledAsync("Build", CancellationToken.None).IsCompletedSuccessfully);
        Assert.False(waiting.IsCompleted);

        switches.Set("tick", disabled: false);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(switches.IsDisabled("Tick"));
        switches.Set("Build", disabled: true);
        Assert.False(switches.WhenEnabledAsync("Build", CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task DisablingWaitsForAFetchUnderWaySoNoneStartsAfterIt()
    {
        // Was: a fetch that passed the check just before the switch took a message sent just after it.
        var switches = new FunctionSwitches(Settings([]), Functions);
        var fetch = await switches.EnterFetchAsync("Build", CancellationToken.None);

        var disabling = switches.DisableAsync("Build");
        await Task.Delay(100);
        Assert.False(disabling.IsCompleted);
        Assert.False(switches.IsDisabled("Build"));

        fetch.Dispose();
        await disabling.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(switches.IsDisabled("Build"));
        var next = switches.EnterFetchAsync("Build", CancellationToken.None);
        await Task.Delay(100);
        Assert.False(next.IsCompleted);

        switches.Set("Build", disabled: false);
        (await next.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    private static FunctionDescriptor Timer(string name)
    {
        var metadata = new RpcFunctionMetadata { Name = name, FunctionId = name };
        metadata.RawBindings.Add("""{ "name": "timer", "type": "timerTrigger", "direction": "In", "schedule": "0 0 * * * *" }""");
        return FunctionDescriptor.From(metadata);
    }

    private static HostSettings Settings(Dictionary<string, string> values)
    {
        var directory = Directory.CreateTempSubdirectory();
        File.WriteAllText(Path.Combine(directory.FullName, "worker.config.json"), """{ "description": { "defaultExecutablePath": "dotnet", "defaultWorkerPath": "App.dll" } }""");
        File.WriteAllText(Path.Combine(directory.FullName, "host.json"), "{}");
        return HostSettings.Load(directory.FullName, values);
    }
}
