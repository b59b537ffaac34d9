using Azure.Data.Tables;

namespace RunStrength.Storage.Tests;

public sealed class TableLimitsTests
{
    private static TableTransactionAction Upsert(string partition, int row, int chars = 10) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, row.ToString("d6", System.Globalization.CultureInfo.InvariantCulture)) { ["Data"] = new string('x', chars) });

    [Fact]
    public void BatchesHoldOnePartitionAndAtMostAHundredEntities()
    {
        var actions = Enumerable.Range(0, 250).Select(i => Upsert(i % 2 == 0 ? "aa" : "bb", i)).ToList();

        var batches = TableLimits.Batches(actions).ToList();

        Assert.All(batches, b => Assert.Single(b.Select(a => a.Entity.PartitionKey).Distinct()));
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 100));
        Assert.Equal(250, batches.Sum(b => b.Count));
        Assert.Equal(4, batches.Count);
    }

    [Fact]
    public void BatchesStayUnderFourMebibytes()
    {
        var actions = Enumerable.Range(0, 100).Select(i => Upsert("aa", i, chars: 30_000)).ToList();

        var batches = TableLimits.Batches(actions).ToList();

        Assert.True(batches.Count >= 2);
        Assert.All(batches, b => Assert.True(b.Sum(a => TableLimits.Validate(a.Entity)) < TableLimits.MaxBatchBytes));
    }

    [Fact]
    public void TooManyPropertiesAreRejected()
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 253; i++)
        {
            entity[$"P{i}"] = i;
        }

        var error = Assert.Throws<TableLimitException>(() => TableLimits.Validate(entity));
        Assert.Contains("255", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringsOverSixtyFourKibibytesAreRejected() =>
        Assert.Throws<TableLimitException>(() => TableLimits.Validate(new TableEntity("p", "r") { ["Text"] = new string('x', 32 * 1024 + 1) }));

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\u0001b")]
    public void ForbiddenKeyCharactersAreRejected(string key) =>
        Assert.Throws<TableLimitException>(() => TableLimits.Validate(new TableEntity("p", key)));

    [Fact]
    public void UserKeysAreKeySafeAndSpreadOverAllShards()
    {
        var shards = Enumerable.Range(0, 20_000).Select(i => UserKey.For($"user-{i}")).ToList();

        Assert.All(TestData.OddUserIds.Select(UserKey.For), k => TableLimits.Validate(new TableEntity(k.Shard, k.Value)));
        Assert.Equal(256, shards.Select(k => k.Shard).Distinct().Count());
        Assert.InRange(shards.GroupBy(k => k.Shard).Max(g => g.Count()), 50, 120);
    }

    [Fact]
    public void WeekKeysSortNewestFirst()
    {
        var weeks = new[] { "2025-W01", "2026-W49", "2026-W53", "2027-W01" }.Select(Planning.IsoWeek.Parse).ToList();

        var sorted = weeks.Select(WeekKeys.Descending).Order(StringComparer.Ordinal).Select(WeekKeys.FromDescending);

        Assert.Equal(weeks.OrderDescending(), sorted);
    }
}
