using System.Globalization;
using System.Text;
using Azure.Data.Tables;

namespace RunStrength.Storage;

/// <summary>An entity or batch that Azure Table Storage would reject; thrown before anything is sent.</summary>
public sealed class TableLimitException : Exception
{
    public TableLimitException()
        : base("A Table Storage limit was exceeded.")
    {
    }

    public TableLimitException(string message)
        : base(message)
    {
    }

    public TableLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Azure's Table Storage limits, enforced here because Azurite does not enforce them all: what
/// passes locally then passes in Azure.
/// </summary>
public static class TableLimits
{
    public const int MaxBatchEntities = 100;
    public const int MaxBatchBytes = 4 * 1024 * 1024;
    public const int MaxEntityBytes = 1024 * 1024;

    /// <summary>255 including PartitionKey, RowKey and Timestamp.</summary>
    public const int MaxProperties = 255;

    public const int MaxStringChars = 32 * 1024;
    public const int MaxBinaryBytes = 64 * 1024;
    public const int MaxKeyChars = 1024;

    private static readonly char[] ForbiddenKeyChars = ['/', '\\', '#', '?'];

    /// <summary>Checks one entity and returns its approximate size on the wire in bytes.</summary>
    public static int Validate(ITableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        CheckKey(entity.PartitionKey, "PartitionKey");
        CheckKey(entity.RowKey, "RowKey");

        if (entity is not TableEntity table)
        {
            return 1024;
        }

        if (table.Count + 1 > MaxProperties)
        {
            throw new TableLimitException($"Entity {entity.RowKey} has {table.Count + 1} properties; Azure allows {MaxProperties}.");
        }

        var size = 4 + (2 * (entity.PartitionKey.Length + entity.RowKey.Length));
        foreach (var (name, value) in table)
        {
            size += 8 + (2 * name.Length) + value switch
            {
                string text when text.Length > MaxStringChars =>
                    throw new TableLimitException($"Property {name} of {entity.RowKey} holds {text.Length} characters; Azure allows {MaxStringChars} (64 KiB)."),
                string text => 4 + (2 * text.Length),
                byte[] bytes when bytes.Length > MaxBinaryBytes =>
                    throw new TableLimitException($"Property {name} of {entity.RowKey} holds {bytes.Length} bytes; Azure allows {MaxBinaryBytes} (64 KiB)."),
                byte[] bytes => 4 + bytes.Length,
                _ => 8,
            };
        }

        if (size > MaxEntityBytes)
        {
            throw new TableLimitException(string.Create(CultureInfo.InvariantCulture, $"Entity {entity.RowKey} is about {size} bytes; Azure allows 1 MiB."));
        }

        return size;
    }

    private static void CheckKey(string key, string name)
    {
        if (key is null || key.Length > MaxKeyChars || key.IndexOfAny(ForbiddenKeyChars) >= 0 || key.Any(char.IsControl))
        {
            throw new TableLimitException($"{name} '{key}' is not a valid key: at most {MaxKeyChars} characters, none of / \\ # ? or control characters.");
        }
    }

    /// <summary>
    /// Splits actions into transactions Azure accepts: one partition each, at most 100 entities
    /// and under 4 MiB.
    /// </summary>
    public static IEnumerable<IReadOnlyList<TableTransactionAction>> Batches(IEnumerable<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        return Batches(actions.Select(a => (IReadOnlyList<TableTransactionAction>)[a]));
    }

    /// <summary>
    /// The same, for units that must commit together (a plan and its marker): a unit is never
    /// split across transactions. Every unit must lie in one partition.
    /// </summary>
    public static IEnumerable<IReadOnlyList<TableTransactionAction>> Batches(IEnumerable<IReadOnlyList<TableTransactionAction>> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        foreach (var partition in units.GroupBy(u => u[0].Entity.PartitionKey, StringComparer.Ordinal))
        {
            var batch = new List<TableTransactionAction>(MaxBatchEntities);
            var bytes = 0;
            foreach (var unit in partition)
            {
                if (unit.Any(a => !string.Equals(a.Entity.PartitionKey, partition.Key, StringComparison.Ordinal)))
                {
                    throw new TableLimitException("A transaction unit spans partitions; Azure transactions hold one partition.");
                }

                var size = unit.Sum(a => Validate(a.Entity) + 512);
                if (unit.Count > MaxBatchEntities || size > MaxBatchBytes - (64 * 1024))
                {
                    throw new TableLimitException($"A transaction unit of {unit.Count} entities and about {size} bytes exceeds one batch.");
                }

                if (batch.Count + unit.Count > MaxBatchEntities || bytes + size > MaxBatchBytes - (64 * 1024))
                {
                    yield return batch;
                    batch = new List<TableTransactionAction>(MaxBatchEntities);
                    bytes = 0;
                }

                batch.AddRange(unit);
                bytes += size;
            }

            if (batch.Count > 0)
            {
                yield return batch;
            }
        }
    }

    /// <summary>Splits a long string into chunks that each fit one property.</summary>
    public static IReadOnlyList<string> Chunks(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chunks = new List<string>((text.Length / MaxStringChars) + 1);
        for (var start = 0; start < text.Length; start += MaxStringChars)
        {
            chunks.Add(text.Substring(start, Math.Min(MaxStringChars, text.Length - start)));
        }

        return chunks.Count == 0 ? [""] : chunks;
    }

    /// <summary>Splits binary data into chunks that each fit one property.</summary>
    public static IReadOnlyList<byte[]> Chunks(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length <= MaxBinaryBytes)
        {
            return [data];
        }

        return data.Chunk(MaxBinaryBytes).ToList();
    }

    public static byte[] JoinBytes(TableEntity entity, string prefix, int count)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (count == 1)
        {
            return entity.GetBinary($"{prefix}0");
        }

        var data = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            data.Write(entity.GetBinary(string.Create(CultureInfo.InvariantCulture, $"{prefix}{i}")));
        }

        return data.ToArray();
    }

    public static string Join(TableEntity entity, string prefix, int count)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(entity.GetString(string.Create(CultureInfo.InvariantCulture, $"{prefix}{i}")));
        }

        return text.ToString();
    }
}
