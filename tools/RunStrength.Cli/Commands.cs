namespace RunStrength.Cli;

/// <summary>The command line: picks a subcommand and returns the process exit code.</summary>
public static class Commands
{
    public const int Ok = 0;

    /// <summary>Bad arguments or a profile that does not validate: nothing was written to stdout.</summary>
    public const int InvalidInput = 2;

    public const string Usage = """
        RunStrength command line: the plan generator without a host.

        Usage:
          runstrength simulate --profile FILE --weeks N --start YYYY-Www --logs MODE
          runstrength training-doc
          runstrength --help | <command> --help

        Commands:
          simulate      Print a JSON array of N week plans, from ISO week --start on, each exactly
                        as GET /api/me/plans/{week} returns it.
          training-doc  Print docs/training.md: the personas' weeks 1-12 with the 'done' log mode.

        With dotnet:
          dotnet run --project tools/RunStrength.Cli -c Release -- simulate --profile tools/RunStrength.Cli/example-profile.json --weeks 12 --start 2026-W49 --logs done
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        switch (args.Count == 0 ? null : args[0])
        {
            case "-h" or "--help" or "help":
                stdout.WriteLine(Usage);
                return Ok;
            case "simulate":
                return SimulateCommand.Run(args.Skip(1).ToList(), stdout, stderr);
            case "training-doc" when args.Count == 1:
                stdout.Write(TrainingDoc.Render());
                return Ok;
            case "training-doc" when args[1] is "-h" or "--help":
                stdout.WriteLine("Usage: runstrength training-doc > docs/training.md");
                return Ok;
            case "training-doc":
                return UsageError(stderr, $"training-doc takes no arguments, got '{args[1]}'.");
            case null:
                return UsageError(stderr, "a command is required.");
            default:
                return UsageError(stderr, $"'{args[0]}' is not a command.");
        }
    }

    public static int UsageError(TextWriter stderr, string message)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        stderr.WriteLine($"runstrength: {message}");
        stderr.WriteLine("Run with --help for usage.");
        return InvalidInput;
    }
}
