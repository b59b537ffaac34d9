using System.Text;
using RunStrength.Cli;

// Plain "\n" and UTF-8 without a byte order mark, so output is the same bytes on every OS.
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { NewLine = "\n" };
var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { NewLine = "\n" };
await using (stdout.ConfigureAwait(false))
await using (stderr.ConfigureAwait(false))
{
    return Commands.Run(args, stdout, stderr);
}
