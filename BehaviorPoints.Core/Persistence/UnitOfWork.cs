using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence;

/// <summary>
/// The one way Core changes the database: behind the write gate (and, on PostgreSQL, an advisory lock that every app
/// instance shares), in one context and one transaction that commits whole; what may only happen once the change is
/// durable (telling open pages about it) runs after the commit, and never for a change that rolled back.
/// </summary>
public sealed class UnitOfWork(IDbContextFactory<BehaviorPointsDbContext> dbFactory, WriteGate writeGate, IDatabaseProvider provider)
{
    /// <summary>Runs <paramref name="work"/> in a new transaction behind the write gate, saves tracked changes and commits.</summary>
    public async Task<T> WriteAsync<T>(Func<WriteScope, Task<T>> work, CancellationToken cancellationToken = default)
    {
        using var _ = await writeGate.EnterAsync(cancellationToken);
        return await WriteHoldingGateAsync(work, cancellationToken);
    }

    /// <inheritdoc cref="WriteAsync{T}"/>
    public Task WriteAsync(Func<WriteScope, Task> work, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            await work(scope);
            return true;
        }, cancellationToken);

    /// <summary>
    /// The same for background catch-up work: writers already waiting for the gate go first (for at most
    /// <paramref name="maxYield"/>), so the work interleaves with ingest without making it wait.
    /// </summary>
    public async Task<T> WriteInBackgroundAsync<T>(Func<WriteScope, Task<T>> work, TimeSpan maxYield, CancellationToken cancellationToken = default)
    {
        using var _ = await writeGate.EnterBackgroundAsync(maxYield, cancellationToken);
        return await WriteHoldingGateAsync(work, cancellationToken);
    }

    /// <summary>The same, for a caller that holds the write gate already (the ledger's group commit).</summary>
    internal async Task<T> WriteHoldingGateAsync<T>(Func<WriteScope, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await provider.BeginWriteAsync(db, cancellationToken);
        var scope = new WriteScope(db);
        var result = await work(scope);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        scope.Committed();
        return result;
    }
}

/// <summary>One unit of work's context, and what to do once it has committed.</summary>
public sealed class WriteScope(BehaviorPointsDbContext db)
{
    private List<Action>? _afterCommit;

    public BehaviorPointsDbContext Db => db;

    /// <summary>Runs <paramref name="action"/> after the commit (in order of registration); not at all on a rollback.</summary>
    public void AfterCommit(Action action) => (_afterCommit ??= []).Add(action);

    internal void Committed()
    {
        foreach (var action in _afterCommit ?? [])
        {
            action();
        }
    }
}
