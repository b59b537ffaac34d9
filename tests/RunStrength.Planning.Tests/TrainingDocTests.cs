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

    [Theory]
    [InlineData("README.md", "docs/training-rules.md")]
    [InlineData("docs/training.md", "training-rules.md")]
    public void TheRulesAreReadInTheRepositoryItself(string document, string link)
    {
        var text = File.ReadAllText(Path.Combine(Testing.RepositoryPaths.Root, document));

        Assert.Contains(link, text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Testing.RepositoryPaths.Root, "docs", "training-rules.md")));
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
