using RunStrength.Planning;
using RunStrength.Planning.Plans;
using RunStrength.Storage;

namespace RunStrength.Functions.Tests.Scheduling;

/// <summary>A plan store that passes every call on; fault tests override the calls they break.</summary>
internal abstract class ForwardingPlanStore(IPlanStore inner) : IPlanStore
{
    public virtual Task<WeekPlan?> GetAsync(string userId, IsoWeek week, CancellationToken cancellationToken = default) => inner.GetAsync(userId, week, cancellationToken);
    public virtual Task WriteAsync(string userId, WeekPlan plan, CancellationToken cancellationToken = default) => inner.WriteAsync(userId, plan, cancellationToken);
    public virtual Task<int> WriteBatchAsync(IReadOnlyList<(string UserId, WeekPlan Plan)> plans, CancellationToken cancellationToken = default) => inner.WriteBatchAsync(plans, cancellationToken);
    public virtual Task<PlanMarker?> GetMarkerAsync(string userId, CancellationToken cancellationToken = default) => inner.GetMarkerAsync(userId, cancellationToken);
    public virtual IAsyncEnumerable<PlanMarker> ListShardMarkersAsync(string shard, bool withPlans = false, CancellationToken cancellationToken = default) =>
        inner.ListShardMarkersAsync(shard, withPlans, cancellationToken);
    public virtual Task<PlanListingPage> ListAsync(string userId, IsoWeek? oldest, IsoWeek? newest, int pageSize, IsoWeek? resumeAt, CancellationToken cancellationToken = default) =>
        inner.ListAsync(userId, oldest, newest, pageSize, resumeAt, cancellationToken);
    public virtual Task<int> DeleteUserAsync(string userId, CancellationToken cancellationToken = default) => inner.DeleteUserAsync(userId, cancellationToken);
    public virtual Task<ShardWrite> WriteUsersAsync(IReadOnlyList<UserWeeks> users, CancellationToken cancellationToken = default) => inner.WriteUsersAsync(users, cancellationToken);
    public virtual Task<ShardWrite> RescheduleAsync(string userId, PlanMarker marker, DateTimeOffset nextBuild, DueUser? settles = null, CancellationToken cancellationToken = default) =>
        inner.RescheduleAsync(userId, marker, nextBuild, settles, cancellationToken);
    public virtual Task<IReadOnlyList<DueMark>> ListDueMarksAsync(DateTimeOffset upTo, string? shard = null, CancellationToken cancellationToken = default) =>
        inner.ListDueMarksAsync(upTo, shard, cancellationToken);
    public virtual Task MarkDueAsync(string shard, DateTimeOffset hour, CancellationToken cancellationToken = default) => inner.MarkDueAsync(shard, hour, cancellationToken);
    public virtual Task ClearDueMarksAsync(IEnumerable<DueMark> marks, CancellationToken cancellationToken = default) => inner.ClearDueMarksAsync(marks, cancellationToken);
    public virtual Task<int> CountDueAsync(string shard, DateTimeOffset upTo, IEnumerable<DueMark> marks, CancellationToken cancellationToken = default) =>
        inner.CountDueAsync(shard, upTo, marks, cancellationToken);
    public virtual IAsyncEnumerable<DueUser> ListDueAsync(string shard, DateTimeOffset upTo, IEnumerable<DueMark> marks, CancellationToken cancellationToken = default) =>
        inner.ListDueAsync(shard, upTo, marks, cancellationToken);
    public virtual Task<int> MigrateLegacyDueAsync(string shard, CancellationToken cancellationToken = default) => inner.MigrateLegacyDueAsync(shard, cancellationToken);
    public virtual Task DropDueAsync(DueUser due, CancellationToken cancellationToken = default) => inner.DropDueAsync(due, cancellationToken);
}
