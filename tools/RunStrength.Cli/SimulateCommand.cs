using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RunStrength.Planning;
using RunStrength.Planning.Profiles;
using RunStrength.Planning.Serialization;
using RunStrength.Planning.Simulation;

namespace RunStrength.Cli;

/// <summary>
/// <c>simulate</c>: reads a profile as <c>PUT /api/me/profile</c> does, then prints the weeks the
/// weekly run would build for it, each on the week before and that week's simulated logs.
/// </summary>
public static class SimulateCommand
{
    public const int MaxWeeks = 520;

    public const string Usage = """
        Usage: runstrength simulate --profile FILE --weeks N --start YYYY-Www --logs MODE

          --profile FILE  a profile as PUT /api/me/profile takes it ('-' reads stdin)
          --weeks N       how many weeks, 1 to 520
          --start WEEK    the first ISO week, such as 2026-W49
          --logs MODE     how the person logs each week before the next is built:
                            none           nothing logged
                            done           every session as planned: minutes and RPE as prescribed,
                                           sets at the top of the rep range at the target RIR
                            struggle       every session partial: half the minutes, RPE 9,
                                           sets at the bottom of the range at RIR 0
                            skip           every session skipped
                            runs-unlogged  strength as in done; runs never logged

        Prints a JSON array of the week plans, one a line, each exactly the JSON of
        GET /api/me/plans/{week}. Every week is whole (Monday to Sunday), generated at the weekly
        run's lead time (48 hours) before its Monday in the profile's time zone, so the same input
        gives the same bytes. The profile is validated against the year of the first week.

        Exit codes: 0 plans printed; 2 bad arguments, or a profile that does not validate (an
        RFC 9457 problem naming the fields on stderr, nothing on stdout).
        """;

    private static readonly string[] Options = ["--profile", "--weeks", "--start", "--logs"];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Any(a => a is "-h" or "--help"))
        {
            stdout.WriteLine(Usage);
            return Commands.Ok;
        }

        if (Parse(args) is not { } options)
        {
            return Fail(stderr, Error(args));
        }

        if (!int.TryParse(options["--weeks"], NumberStyles.None, CultureInfo.InvariantCulture, out var weeks) || weeks is < 1 or > MaxWeeks)
        {
            return Fail(stderr, $"--weeks must be a whole number from 1 to {MaxWeeks}, got '{options["--weeks"]}'.");
        }

        if (!IsoWeek.TryParse(options["--start"], out var start))
        {
            return Fail(stderr, $"--start must be an ISO week such as 2026-W49, got '{options["--start"]}'.");
        }

        if (!PlanSimulator.ModeNames.TryGetValue(options["--logs"], out var mode))
        {
            return Fail(stderr, $"--logs must be one of {string.Join(", ", PlanSimulator.ModeNames.Keys)}, got '{options["--logs"]}'.");
        }

        string text;
        try
        {
            text = options["--profile"] == "-" ? Console.In.ReadToEnd() : File.ReadAllText(options["--profile"]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Fail(stderr, $"cannot read the profile '{options["--profile"]}': {e.Message}");
        }

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Problem(stderr, "bad-request", "Bad request", $"The profile is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }

        var validation = ProfileJson.Read(body, start.Monday.Year);
        if (validation.Profile is not { } profile)
        {
            return Problem(stderr, "validation", "The request is not valid", $"Invalid fields: {string.Join(", ", validation.Errors.Keys)}.", validation.Errors);
        }

        var plans = PlanSimulator.Run(profile, start, weeks, mode);
        stdout.Write("[\n");
        stdout.Write(string.Join(",\n", plans.Select(PlanJson.Serialize)));
        stdout.Write("\n]\n");
        return Commands.Ok;
    }

    /// <summary>Each option exactly once with a value, and nothing else; null otherwise.</summary>
    private static Dictionary<string, string>? Parse(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!Options.Contains(args[i]) || i + 1 >= args.Count || !options.TryAdd(args[i], args[i + 1]))
            {
                return null;
            }
        }

        return options.Count == Options.Length ? options : null;
    }

    private static string Error(IReadOnlyList<string> args)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!Options.Contains(args[i]))
            {
                return $"'{args[i]}' is not an option.";
            }

            if (i + 1 >= args.Count)
            {
                return $"{args[i]} needs a value.";
            }

            if (!seen.Add(args[i]))
            {
                return $"{args[i]} is given twice.";
            }
        }

        return $"missing {string.Join(", ", Options.Where(o => !seen.Contains(o)))}.";
    }

    private static int Fail(TextWriter stderr, string message) => Commands.UsageError(stderr, $"simulate: {message}");

    /// <summary>The same problem document the API answers with, less the HTTP status.</summary>
    private static int Problem(TextWriter stderr, string type, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var problem = new JsonObject
        {
            ["type"] = $"urn:runstrength:problem:{type}",
            ["title"] = title,
            ["detail"] = detail,
        };
        if (errors is not null)
        {
            problem["errors"] = new JsonObject(errors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)new JsonArray([.. e.Value.Select(m => (JsonNode?)m)]))));
        }

        stderr.WriteLine(problem.ToJsonString(Indented));
        return Commands.InvalidInput;
    }
}
