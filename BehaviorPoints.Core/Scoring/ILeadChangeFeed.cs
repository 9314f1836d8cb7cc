using BehaviorPoints.Core.Persistence;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// Carries score changes to the other app instances sharing the database, so a lead page open on any of them updates
/// live. Changes are recorded in the transaction that made them; the provider delivers them once it commits.
/// </summary>
public interface ILeadChangeFeed
{
    Task RecordAsync(BehaviorPointsDbContext db, IReadOnlyList<LeadScoreChanged> changes, CancellationToken cancellationToken);

    /// <summary>Records that these users' notifications or tasks changed, for their open pages on the other instances.</summary>
    Task RecordUsersAsync(BehaviorPointsDbContext db, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);
}

/// <summary>One app instance alone (the embedded SQLite file): its own notifications reach every open page already.</summary>
internal sealed class SingleInstanceChangeFeed : ILeadChangeFeed
{
    public Task RecordAsync(BehaviorPointsDbContext db, IReadOnlyList<LeadScoreChanged> changes, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RecordUsersAsync(BehaviorPointsDbContext db, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) => Task.CompletedTask;
}
