namespace BehaviorPoints.Core.Persistence;

/// <summary>The database engines Core runs on: the embedded SQLite file (the default) or a PostgreSQL server.</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Where the data lives: <c>Database:Provider</c> and <c>ConnectionStrings:Default</c>.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqlite = "Data Source=behaviorpoints.db";

    /// <summary>Reads the two settings; the provider's name ignores case ("Sqlite", "PostgreSQL").</summary>
    public static DatabaseSettings From(string? provider, string? connectionString)
    {
        var kind = provider?.Trim().ToLowerInvariant() switch
        {
            null or "" or "sqlite" => DatabaseProvider.Sqlite,
            "postgresql" or "postgres" or "npgsql" => DatabaseProvider.PostgreSql,
            _ => throw new ArgumentException($"Database:Provider '{provider}' is not Sqlite or PostgreSQL."),
        };
        if (kind == DatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("Database:Provider is PostgreSQL: set ConnectionStrings:Default to the server's connection string.");
        }
        return new DatabaseSettings(kind, string.IsNullOrWhiteSpace(connectionString) ? DefaultSqlite : connectionString);
    }
}

/// <summary>
/// What differs between the database providers beyond EF's own SQL: how the database is created and migrated, and how
/// writers are kept apart (SQLite has one writer by nature; on PostgreSQL several app instances share the database).
/// </summary>
public interface IDatabaseProvider
{
    DatabaseProvider Kind { get; }

    /// <summary>Creates the database when missing and applies this provider's migrations.</summary>
    Task MigrateAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs first in every write transaction (<see cref="UnitOfWork"/>): on PostgreSQL it takes a transaction-level
    /// advisory lock, so write transactions of every instance run one at a time, as the write gate does in one process.
    /// </summary>
    Task BeginWriteAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default);
}
