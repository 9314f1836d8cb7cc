using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Core.Sqlite;

/// <summary>The embedded SQLite provider: the context's options, the hand-written statements and the file's upkeep.</summary>
public static class SqliteDatabase
{
    /// <summary>Registers the context over the SQLite file in <paramref name="connectionString"/> and this provider's side of the persistence seam.</summary>
    public static IServiceCollection AddSqliteDatabase(this IServiceCollection services, string connectionString)
    {
        services.AddDbContextFactory<BehaviorPointsDbContext>(options => options
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmas()));
        services.AddSingleton<WalCheckpoints>();
        services.AddSingleton<IReadSnapshots, SqliteReadSnapshots>();
        services.AddSingleton<ILedgerStore, SqliteLedgerStore>();
        services.AddSingleton<ILeadSearch, SqliteLeadSearch>();
        return services;
    }

    /// <summary>Creates and migrates the database file on start and switches it to WAL journaling.</summary>
    public static async Task MigrateAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default)
    {
        await db.Database.MigrateAsync(cancellationToken);
        // WAL is a property of the file: set once, it holds for every later connection.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
