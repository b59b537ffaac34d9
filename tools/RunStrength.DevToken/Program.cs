using System.Globalization;
using RunStrength.DevToken;

// dotnet run --project tools/RunStrength.DevToken -- <user-id> [hours] [local.settings.json]
if (args.Length is 0 or > 3 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: RunStrength.DevToken <user-id> [hours=12] [path to local.settings.json]");
    return 2;
}

var hours = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 12;
var settingsPath = args.Length > 2 ? args[2] : FindLocalSettings();
Console.WriteLine(DevTokens.Mint(DevTokens.Read(settingsPath), args[0], TimeSpan.FromHours(hours)));
return 0;

static string FindLocalSettings()
{
    for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
    {
        var candidate = Path.Combine(directory.FullName, "src", "RunStrength.Functions", "local.settings.json");
        if (File.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new FileNotFoundException("src/RunStrength.Functions/local.settings.json not found above the current directory.");
}
