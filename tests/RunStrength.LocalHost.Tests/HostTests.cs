using Microsoft.Extensions.Logging;

namespace RunStrength.LocalHost.Tests;

public sealed class HostTests
{
    [Theory]
    [InlineData("0 0 * * * *", "2026-11-25T10:30:00", "2026-11-25T11:00:00")]
    [InlineData("*/10 * * * * *", "2026-11-25T10:30:05", "2026-11-25T10:30:10")]
    [InlineData("0 30 9 * * 1", "2026-11-25T10:00:00", "2026-11-30T09:30:00")]
    [InlineData("0 0 * * *", "2026-11-25T10:30:00", "2026-11-26T00:00:00")]
    public void SchedulesAreNcrontabWithOrWithoutSeconds(string expression, string now, string next) =>
        Assert.Equal(DateTime.Parse(next, System.Globalization.CultureInfo.InvariantCulture),
            Timers.Parse(expression).GetNextOccurrence(DateTime.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void SettingReferencesResolveFromAppSettings()
    {
        var directory = Directory.CreateTempSubdirectory();
        File.WriteAllText(Path.Combine(directory.FullName, "worker.config.json"), """{ "description": { "defaultExecutablePath": "dotnet", "defaultWorkerPath": "App.dll" } }""");
        File.WriteAllText(Path.Combine(directory.FullName, "local.settings.json"), """{ "Values": { "PlanSchedule": "0 0 * * * *", "Other": "x" } }""");
        File.WriteAllText(Path.Combine(directory.FullName, "host.json"), """{ "version": "2.0", "functionTimeout": "00:02:00", "extensions": { "http": { "routePrefix": "v1" } } }""");

        var settings = HostSettings.Load(directory.FullName, new Dictionary<string, string> { ["Other"] = "overridden" });

        Assert.Equal("0 0 * * * *", settings.Resolve("%PlanSchedule%"));
        Assert.Equal("overridden", settings.Values["Other"]);
        Assert.Equal(("v1", TimeSpan.FromMinutes(2), "App.dll"), (settings.RoutePrefix, settings.FunctionTimeout, settings.WorkerPath));
        Assert.Throws<InvalidOperationException>(() => settings.Resolve("%Missing%"));
    }

    [Theory]
    [InlineData(new[] { "--app", "x" }, true)]
    [InlineData(new[] { "--app", "x", "--port", "8080", "--setting", "A=b=c", "--no-azurite" }, true)]
    [InlineData(new[] { "--port", "8080" }, false)]
    [InlineData(new[] { "--app", "x", "--bogus" }, false)]
    public void OptionsParse(string[] args, bool valid)
    {
        var options = LocalHostOptions.Parse(args);

        Assert.Equal(valid, options is not null);
        if (args.Contains("--setting"))
        {
            Assert.Equal("b=c", options!.Settings["A"]);
            Assert.Equal((8080, false), (options.Port, options.StartAzurite));
        }
    }

    [Fact]
    public void AzuriteOptionsDefaultToDotAzuriteOnItsUsualPortsAndParse()
    {
        var defaults = LocalHostOptions.Parse(["--app", "x"])!;
        var given = LocalHostOptions.Parse(["--app", "x", "--azurite-location", "/data/az", "--azurite-ports", "20000,20001,20002", "--verbose"])!;

        Assert.Equal((".azurite", AzuritePorts.Default, false), (defaults.AzuriteLocation, defaults.AzuritePorts, defaults.Verbose));
        Assert.Equal(("/data/az", new AzuritePorts(20000, 20001, 20002), true), (given.AzuriteLocation, given.AzuritePorts, given.Verbose));
        Assert.Null(LocalHostOptions.Parse(["--app", "x", "--azurite-ports", "20000,20001"]));
        Assert.Null(LocalHostOptions.Parse(["--app", "x", "--azurite-ports", "20000,20000,20002"]));
    }

    [Fact]
    public void DevelopmentStorageIsSpelledOutForAzuriteOnOtherPorts()
    {
        var settings = Settings("""{ "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true", "Storage__ConnectionString": "UseDevelopmentStorage=true;", "Other": "x" } }""", "{}");

        var moved = AzuriteLauncher.PointAt(settings, new AzuritePorts(20000, 20001, 20002));

        Assert.Contains("TableEndpoint=http://127.0.0.1:20002/devstoreaccount1;", moved.Values["Storage__ConnectionString"], StringComparison.Ordinal);
        Assert.Contains("BlobEndpoint=http://127.0.0.1:20000/devstoreaccount1;", moved.Values["AzureWebJobsStorage"], StringComparison.Ordinal);
        Assert.Equal("x", moved.Values["Other"]);
        Assert.Same(settings, AzuriteLauncher.PointAt(settings, AzuritePorts.Default));
    }

    [Theory]
    [InlineData("Azure.Core", LogLevel.Information, false)]
    [InlineData("Azure.Core", LogLevel.Warning, true)]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information, false)]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Error, true)]
    [InlineData("Microsoft.AspNetCore.Routing.Special", LogLevel.Information, true)]
    [InlineData("RunStrength.Functions.Profiles.ProfileFunctions", LogLevel.Information, true)]
    [InlineData("RunStrength.Functions.Profiles.ProfileFunctions", LogLevel.Debug, false)]
    public void WorkerLogsAreFilteredByHostJsonLogLevelMostSpecificCategoryFirst(string category, LogLevel level, bool shown)
    {
        var settings = Settings("{}", """
            { "logging": { "logLevel": { "default": "Information", "Azure.Core": "Warning", "Microsoft.AspNetCore": "Warning",
              "Microsoft.AspNetCore.Routing.Special": "Information", "Bogus": "Loud" } } }
            """);

        Assert.Equal(shown, settings.WorkerLogLevels.IsEnabled(category, level));
        Assert.True(CategoryLevels.Everything.IsEnabled(category, level));
    }

    private static HostSettings Settings(string localSettings, string hostJson)
    {
        var directory = Directory.CreateTempSubdirectory();
        File.WriteAllText(Path.Combine(directory.FullName, "worker.config.json"), """{ "description": { "defaultExecutablePath": "dotnet", "defaultWorkerPath": "App.dll" } }""");
        File.WriteAllText(Path.Combine(directory.FullName, "local.settings.json"), localSettings);
        File.WriteAllText(Path.Combine(directory.FullName, "host.json"), hostJson);
        return HostSettings.Load(directory.FullName, new Dictionary<string, string>());
    }
}
