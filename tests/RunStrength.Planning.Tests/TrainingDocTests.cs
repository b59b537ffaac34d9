using RunStrength.Samples;

namespace RunStrength.Planning.Tests;

public sealed class TrainingDocTests
{
    [Fact]
    public void PersonaTableInDocsMatchesTheGenerator()
    {
        var path = Path.Combine(Testing.RepositoryPaths.Root, "docs", "training.md");

        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");

        Assert.True(committed == TrainingDoc.Render().ReplaceLineEndings("\n"),
            "docs/training.md is stale: run `dotnet run --project tools/RunStrength.Samples > docs/training.md`.");
    }

    [Fact]
    public void RulesDocDefinesEveryRuleIdThePlansCite()
    {
        var doc = File.ReadAllText(Path.Combine(Testing.RepositoryPaths.Root, "docs", "training-rules.md"));
        var defined = System.Text.RegularExpressions.Regex.Matches(doc, @"^- ([SRTWP][0-9]+) ", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToHashSet();

        var cited = Personas.All.SelectMany(p => Personas.Weeks(p.Profile, 12)).SelectMany(w => w.Sessions).SelectMany(s => s.Rules).ToHashSet();

        Assert.Empty(cited.Except(defined));
        Assert.Contains("W7", defined);
        Assert.Contains("P4", defined);
    }

    [Fact]
    public void NoDocOrSourcePointsOutsideTheRepositoryForTheRules()
    {
        var root = Testing.RepositoryPaths.Root;
        var offenders = new[] { "README.md", "docs", "src", "tools", "tests" }
            .SelectMany(p => File.Exists(Path.Combine(root, p)) ? [Path.Combine(root, p)] : Directory.EnumerateFiles(Path.Combine(root, p), "*.*", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".md", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith(nameof(TrainingDocTests) + ".cs", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("shared/TRAINING", StringComparison.OrdinalIgnoreCase))
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void PersonaWeekFourIsADeloadWithLessWorkThanWeekOne()
    {
        foreach (var (_, profile) in Personas.All)
        {
            var weeks = Personas.Weeks(profile, 4);

            Assert.Equal(Plans.Phase.Deload, weeks[3].Phase);
            Assert.True(weeks[3].Summary.StrengthMinutes < weeks[2].Summary.StrengthMinutes);
        }
    }
}
