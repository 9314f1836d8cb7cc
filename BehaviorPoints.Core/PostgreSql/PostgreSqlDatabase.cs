using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Routing;
using BehaviorPoints.Core.Scoring;
using BehaviorPoints.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Core.PostgreSql;

/// <summary>
/// The PostgreSQL provider: several app instances share one database. Write transactions of all instances run one at a
/// time under a transaction-level advisory lock (as the write gate does within one process), score changes reach the
/// other instances through LISTEN/NOTIFY (<see cref="PostgreSqlChangeFeed"/>), and background jobs hold leases.
/// </summary>
public static class PostgreSqlDatabase
{
    /// <summary>The advisory lock every write transaction takes (any fixed number; it only has to be the same everywhere).</summary>
    public const long WriteLockKey = 0x4250_5752; // "BPWR"

    public static IServiceCollection AddPostgreSqlDatabase(this IServiceCollection services, string connectionString)
    {
        services.AddDbContextFactory<PostgreSqlDbContext>(options => options.UseNpgsql(connectionString));
        // Core asks for the base context; on this provider each one is a PostgreSqlDbContext with its own migrations.
        services.AddSingleton<IDbContextFactory<BehaviorPointsDbContext>>(sp => new BaseContextFactory<PostgreSqlDbContext>(sp.GetRequiredService<IDbContextFactory<PostgreSqlDbContext>>()));
        services.AddScoped<BehaviorPointsDbContext>(sp => sp.GetRequiredService<PostgreSqlDbContext>());
        services.AddSingleton<IDatabaseProvider, PostgreSqlProvider>();
        services.AddSingleton<IReadSnapshots, PostgreSqlReadSnapshots>();
        services.AddSingleton<ILedgerStore, PostgreSqlLedgerStore>();
        services.AddSingleton<IRoutingStore, PostgreSqlRoutingStore>();
        services.AddSingleton<IWebhookStore, PostgreSqlWebhookStore>();
        services.AddSingleton<ILeadSearch, PostgreSqlLeadSearch>();
        services.AddSingleton(sp => new PostgreSqlChangeFeed(connectionString, sp.GetRequiredService<AppInstance>()));
        services.AddSingleton<ILeadChangeFeed>(sp => sp.GetRequiredService<PostgreSqlChangeFeed>());
        return services;
    }

    private sealed class PostgreSqlProvider : IDatabaseProvider
    {
        public DatabaseProvider Kind => DatabaseProvider.PostgreSql;

        public Task MigrateAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default) => db.Database.MigrateAsync(cancellationToken);

        public Task BeginWriteAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default) =>
            db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({WriteLockKey})", cancellationToken);
    }
}
