using System.Data;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.PostgreSql;

/// <summary>A repeatable-read transaction: one snapshot for every query in it, and PostgreSQL readers never block writers.</summary>
internal sealed class PostgreSqlReadSnapshots : IReadSnapshots
{
    public async Task<IAsyncDisposable> BeginAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default) =>
        await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
}
