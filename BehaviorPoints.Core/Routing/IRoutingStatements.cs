using BehaviorPoints.Core.Persistence;

namespace BehaviorPoints.Core.Routing;

/// <summary>Opens routing's statements on a unit of work's context: one implementation per database provider.</summary>
public interface IRoutingStore
{
    IRoutingStatements On(BehaviorPointsDbContext db);
}

/// <summary>
/// Routing's hand-written writes, on the connection and inside the transaction of one unit of work, each column list
/// written once in the provider's implementation (<c>Sqlite/SqliteRoutingStatements.cs</c>,
/// <c>PostgreSql/PostgreSqlRoutingStatements.cs</c>).
/// </summary>
public interface IRoutingStatements
{
    /// <summary>
    /// Writes routing's rows: the leads' new owners, tasks (each gets its id), then activities (naming their task's id),
    /// notifications, and the firings (one per lead and rule, the newest kept).
    /// </summary>
    void Write(RoutingWrites writes);
}
