using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Core.Sqlite;

/// <summary>The embedded SQLite provider: the context's options, the hand-written statements and the file's upkeep.</summary>
public static class SqliteDatabase
{
    /// <summary>Registers the context over the SQLite file in <paramref name="connectionString"/> and this provider's side of the persistence seam.</summary>
    public static IServiceCollection AddSqliteDatabase(this IServiceCollection services, string connectionString)
    {
        services.AddDbContextFactory<SqliteDbContext>(options => options
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmas()));
        // Core asks for the base context; on this provider each one is a SqliteDbContext with its own migrations.
        services.AddSingleton<IDbContextFactory<BehaviorPointsDbContext>>(sp => new BaseContextFactory<SqliteDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteDbContext>>()));
        services.AddScoped<BehaviorPointsDbContext>(sp => sp.GetRequiredService<SqliteDbContext>());
        services.AddSingleton<IDatabaseProvider, SqliteProvider>();
        services.AddSingleton<WalCheckpoints>();
        services.AddSingleton<IReadSnapshots, SqliteReadSnapshots>();
        services.AddSingleton<ILeadChangeFeed, SingleInstanceChangeFeed>();
        services.AddSingleton<ILedgerStore, SqliteLedgerStore>();
        services.AddSingleton<IRoutingStore, SqliteRoutingStore>();
        services.AddSingleton<IWebhookStore, SqliteWebhookStore>();
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

    private sealed class SqliteProvider : IDatabaseProvider
    {
        public DatabaseProvider Kind => DatabaseProvider.Sqlite;

        public Task MigrateAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default) => SqliteDatabase.MigrateAsync(db, cancellationToken);

        // One app instance on one file: the write gate alone keeps writers apart.
        public Task BeginWriteAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
