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
}
