using BehaviorPoints.Core.Persistence;

namespace BehaviorPoints.Core.Scoring;

/// <summary>
/// Carries score changes to the other app instances sharing the database, so a lead page open on any of them updates
/// live. Changes are recorded in the transaction that made them; the provider delivers them once it commits.
/// </summary>
public interface ILeadChangeFeed
{
    Task RecordAsync(BehaviorPointsDbContext db, IReadOnlyList<LeadScoreChanged> changes, CancellationToken cancellationToken);
}

/// <summary>One app instance alone (the embedded SQLite file): its own notifications reach every open page already.</summary>
internal sealed class SingleInstanceChangeFeed : ILeadChangeFeed
{
    public Task RecordAsync(BehaviorPointsDbContext db, IReadOnlyList<LeadScoreChanged> changes, CancellationToken cancellationToken) => Task.CompletedTask;
}
