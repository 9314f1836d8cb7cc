namespace BehaviorPoints.Core.Persistence;

/// <summary>
/// A consistent view for several queries in a row (a total and its entries, a preview over every lead) that neither
/// waits for writers nor holds them up; each database provider opens it its own way.
/// </summary>
public interface IReadSnapshots
{
    /// <summary>Puts <paramref name="db"/> in a read snapshot until the returned handle is disposed.</summary>
    Task<IAsyncDisposable> BeginAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default);
}
