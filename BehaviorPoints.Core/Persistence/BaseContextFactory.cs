using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence;

/// <summary>Hands out a provider's own context type (with its migrations) where Core asks for the base context.</summary>
public sealed class BaseContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<BehaviorPointsDbContext>
    where TContext : BehaviorPointsDbContext
{
    public BehaviorPointsDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<BehaviorPointsDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
