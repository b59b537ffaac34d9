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
