namespace RunStrength.Testing;

/// <summary>The repository root, found by walking up from the test output to RunStrength.sln.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RunStrength.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("RunStrength.sln not found above the test output.");
    }
}
