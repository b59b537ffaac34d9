using System.Diagnostics;
using System.Reflection;
using System.Text;
using RunStrength.Testing;

namespace RunStrength.Cli.Tests;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the built command line (<c>dotnet RunStrength.Cli.dll</c>) as a separate process.</summary>
public static class CliProcess
{
    /// <summary>The CLI built in this test assembly's configuration and target framework.</summary>
    public static string Dll { get; } = Path.Combine(
        RepositoryPaths.Root, "tools", "RunStrength.Cli", "bin",
        typeof(CliProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration,
        new DirectoryInfo(AppContext.BaseDirectory).Name,
        "RunStrength.Cli.dll");

    public static string ExampleProfile { get; } = Path.Combine(RepositoryPaths.Root, "tools", "RunStrength.Cli", "example-profile.json");

    public static async Task<CliResult> RunAsync(IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.True(File.Exists(Dll), $"{Dll} is missing: build the solution (or this test project) first.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<CliResult> SimulateAsync(string profile, int weeks, string start, string logs) =>
        RunAsync(["simulate", "--profile", profile, "--weeks", weeks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--start", start, "--logs", logs]);
}
