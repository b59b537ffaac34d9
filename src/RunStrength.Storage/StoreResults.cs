namespace RunStrength.Storage;

/// <summary>How a write ended, in terms a caller acts on; storage exceptions never leak past the store.</summary>
public enum WriteOutcome
{
    Created,
    Updated,
    Deleted,

    /// <summary>The row does not exist (404).</summary>
    NotFound,

    /// <summary>A create found the row already there (409).</summary>
    Conflict,

    /// <summary>The row changed since it was read: the ETag no longer matches (412).</summary>
    Stale,
}

public readonly record struct WriteResult(WriteOutcome Outcome, string? ETag = null, long Version = 0)
{
    public bool Succeeded => Outcome is WriteOutcome.Created or WriteOutcome.Updated or WriteOutcome.Deleted;
}
