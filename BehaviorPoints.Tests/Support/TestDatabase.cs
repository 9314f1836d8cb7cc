using BehaviorPoints.Core.Composition;
using BehaviorPoints.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BehaviorPoints.Tests.Support;

/// <summary>
/// One test's own database, empty and migrated: a temporary SQLite file, or, when <c>BP_TEST_POSTGRES</c> holds a
/// PostgreSQL server's connection string (test.sh's second pass), a database of its own on that server, copied from a
/// template migrated once per test run. Dropped on dispose.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private const string Template = "bp_test_template";
    private static readonly SemaphoreSlim s_create = new(1, 1);
    private static bool s_templateReady;

    private TestDatabase(DatabaseSettings settings, string name)
    {
        Settings = settings;
        Name = name;
    }

    /// <summary>The PostgreSQL server the tests run against, or null for SQLite.</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable("BP_TEST_POSTGRES") is { Length: > 0 } server ? server : null;

    public static bool OnPostgres => PostgresServer is not null;

    public DatabaseSettings Settings { get; }

    /// <summary>What names this database in its connection string: the SQLite file's path, or the PostgreSQL database's name.</summary>
    public string Name { get; }

    /// <summary>A new database; <paramref name="migrated"/> false leaves it for the app to create and migrate (SQLite only).</summary>
    public static async Task<TestDatabase> CreateAsync(string prefix = "bp-test", bool migrated = true)
    {
        if (PostgresServer is not { } server)
        {
            var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}.db");
            var sqlite = new TestDatabase(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}"), path);
            if (migrated)
            {
                await MigrateAsync(sqlite.Settings);
            }
            return sqlite;
        }

        var name = $"{prefix.Replace('-', '_')}_{Guid.NewGuid():N}";
        await s_create.WaitAsync();
        try
        {
            if (!s_templateReady)
            {
                await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {Template} WITH (FORCE)");
                await MigrateAsync(new DatabaseSettings(DatabaseProvider.PostgreSql, $"{server};Database={Template}"));
                NpgsqlConnection.ClearAllPools();
                s_templateReady = true;
            }
            await ExecuteAsync(server, $"CREATE DATABASE {name} TEMPLATE {Template}");
        }
        finally
        {
            s_create.Release();
        }
        return new TestDatabase(new DatabaseSettings(DatabaseProvider.PostgreSql, $"{server};Database={name}"), name);
    }

    private static async Task MigrateAsync(DatabaseSettings settings)
    {
        await using var services = new ServiceCollection().AddLogging().AddBehaviorPointsCore(settings).BuildServiceProvider();
        await using var db = await services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();
        await services.GetRequiredService<IDatabaseProvider>().MigrateAsync(db);
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection($"{server};Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Settings.Provider == DatabaseProvider.PostgreSql)
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(PostgresServer!, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
            return;
        }
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Name + suffix);
        }
    }
}
