using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;

namespace RunStrength.Testing;

/// <summary>
/// Counts Table Storage entity operations as they cross the wire: entities a query or point read
/// returned, and entities a write or a batch transaction sent. Table creation and queue calls are
/// not entity operations; requests are counted apart.
/// </summary>
public sealed class EntityOperations : HttpPipelinePolicy
{
    private const string PlanQueueName = "plan-build";
    private const string RunsTable = "runs";
    private const string MarksTable = "duehours";

    private long _reads;
    private long _writes;
    private long _requests;
    private long _bookkeeping;
    private long _marks;

    public long Reads => Interlocked.Read(ref _reads);
    public long Writes => Interlocked.Read(ref _writes);
    public long Total => Reads + Writes;
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Writes and reads of the runs table (checkpoints, summaries): the run's own records, per run, not per user; not in <see cref="Total"/>.</summary>
    public long Bookkeeping => Interlocked.Read(ref _bookkeeping);

    /// <summary>
    /// Entity operations on the due-hour marks (table <c>duehours</c>): per hour and shard with
    /// due users, so bounded by hours and shards, not by users; not in <see cref="Total"/>.
    /// </summary>
    public long Marks => Interlocked.Read(ref _marks);

    /// <summary>When false, nothing is counted (seeding, warm-up).</summary>
    public bool Counting { get; set; } = true;

    public void Reset()
    {
        Interlocked.Exchange(ref _reads, 0);
        Interlocked.Exchange(ref _writes, 0);
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _bookkeeping, 0);
        Interlocked.Exchange(ref _marks, 0);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        Count(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        Count(message);
    }

    private void Count(HttpMessage message)
    {
        var path = message.Request.Uri.Path;
        if (!Counting || !message.HasResponse || message.Response.Status >= 400 || path.Contains(PlanQueueName, StringComparison.Ordinal)
            || path.EndsWith("/Tables", StringComparison.Ordinal) || path.Contains("/Tables(", StringComparison.Ordinal))
        {
            return;
        }

        Interlocked.Increment(ref _requests);
        var table = path.Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: > 1 } segments ? segments[1].Split('(')[0] : "";
        if (table.EndsWith(RunsTable, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _bookkeeping);
            return;
        }

        if (path.EndsWith("$batch", StringComparison.Ordinal))
        {
            var (operations, marks) = BatchOperations(message.Request);
            if (marks)
            {
                Interlocked.Add(ref _marks, operations);
            }
            else
            {
                Interlocked.Add(ref _writes, operations);
            }

            return;
        }

        if (table.EndsWith(MarksTable, StringComparison.Ordinal))
        {
            Interlocked.Add(ref _marks, message.Request.Method == RequestMethod.Get && (!path.EndsWith(')') || path.EndsWith("()", StringComparison.Ordinal)) ? QueryRows(message.Response) : 1);
            return;
        }

        if (message.Request.Method == RequestMethod.Get)
        {
            Interlocked.Add(ref _reads, path.EndsWith(')') && !path.EndsWith("()", StringComparison.Ordinal) ? 1 : QueryRows(message.Response));
            return;
        }

        Interlocked.Increment(ref _writes);
    }

    private static long QueryRows(Azure.Response response)
    {
        if (response.ContentStream is not MemoryStream body)
        {
            return 0;
        }

        var position = body.Position;
        body.Position = 0;
        using var json = JsonDocument.Parse(body.ToArray());
        body.Position = position;
        return json.RootElement.TryGetProperty("value", out var rows) ? rows.GetArrayLength() : 1;
    }

    /// <summary>The operations a batch sends, and whether it writes the due-hour marks (a batch is of one table).</summary>
    private static (long Operations, bool Marks) BatchOperations(Request request)
    {
        if (request.Content is null)
        {
            return (0, false);
        }

        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer, CancellationToken.None);
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        long count = 0;
        var marks = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("POST ", StringComparison.Ordinal) || line.StartsWith("PUT ", StringComparison.Ordinal)
                || line.StartsWith("MERGE ", StringComparison.Ordinal) || line.StartsWith("PATCH ", StringComparison.Ordinal)
                || line.StartsWith("DELETE ", StringComparison.Ordinal))
            {
                count++;
                marks |= line.Contains(MarksTable + "(", StringComparison.Ordinal);
            }
        }

        return (count, marks);
    }
}
