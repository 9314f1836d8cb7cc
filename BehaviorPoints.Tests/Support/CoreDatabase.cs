using BehaviorPoints.Core.Composition;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Support;

/// <summary>
/// Core services over a fresh, migrated database of the test's own (a real provider, never EF's in-memory one: a SQLite
/// file, or a PostgreSQL database in test.sh's second pass; see <see cref="TestDatabase"/>), with a test clock.
/// One per test; the database is dropped on dispose.
/// </summary>
internal sealed class CoreDatabase : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly ServiceProvider _services;

    private CoreDatabase(TestDatabase database, Action<IServiceCollection>? configure)
    {
        _database = database;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddBehaviorPointsCore(database.Settings);
        services.AddIdentityCore<ApplicationUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BehaviorPointsDbContext>();
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
    }

    /// <summary>What names the database in its connection string: the SQLite file's path, or the PostgreSQL database's name.</summary>
    public string Path => _database.Name;

    public TestClock Clock { get; } = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));

    /// <param name="configure">Changes to the services before they are built (settings, say).</param>
    public static async Task<CoreDatabase> CreateAsync(Action<IServiceCollection>? configure = null) => new(await TestDatabase.CreateAsync(), configure);

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>
    /// A new instance of a service, apart from the registered one (a worker after a restart, say), taking
    /// <paramref name="arguments"/> for the dependencies of their types and the registered services for the rest.
    /// </summary>
    public T New<T>(params object[] arguments) where T : notnull => ActivatorUtilities.CreateInstance<T>(_services, arguments);

    public T Get<T>(Type type) => (T)_services.GetRequiredService(type);

    /// <summary>A scope for the scoped services (the demo seeder, user administration).</summary>
    public AsyncServiceScope Scope() => _services.CreateAsyncScope();

    public Task<BehaviorPointsDbContext> NewContextAsync() =>
        _services.GetRequiredService<IDbContextFactory<BehaviorPointsDbContext>>().CreateDbContextAsync();

    /// <summary>Creates a user with a role and teams (teams are created when new) and returns the lead access they get.</summary>
    public async Task<LeadAccess> CreateUserAsync(string email, string role, params string[] teams)
    {
        await using (var scope = _services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(email, "Test!Pass1", role, teams);
        }
        await using var db = await NewContextAsync();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        return await Get<LeadAccessService>().ForUserAsync(userId, [role]);
    }

    /// <summary>
    /// <paramref name="count"/> open leads named "<paramref name="name"/> 1" to "<paramref name="name"/> n" in one
    /// statement, through the search index's triggers like any insert (for lists of thousands of leads): without points,
    /// or with <paramref name="spreadScores"/> lead i has (i × 37) mod 101 points, so many totals are shared.
    /// </summary>
    public async Task InsertLeadsAsync(string name, int count, bool spreadScores = false)
    {
        await using var db = await NewContextAsync();
        await db.Database.ExecuteSqlRawAsync(TestDatabase.OnPostgres
            ? """
              INSERT INTO "Leads" ("Name", "Status", "BehaviorPoints", "IntentLevel", "CreatedAt", "UpdatedAt")
              SELECT {0} || ' ' || i, 'Open', CASE WHEN {2} THEN i * 37 % 101 ELSE 0 END, 'Low', timestamptz '2026-11-01', timestamptz '2026-11-01' FROM generate_series(1, {1}) i
              """
            : """
              WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {1})
              INSERT INTO "Leads" ("Name", "Status", "BehaviorPoints", "IntentLevel", "CreatedAt", "UpdatedAt")
              SELECT {0} || ' ' || i, 'Open', CASE WHEN {2} THEN i * 37 % 101 ELSE 0 END, 'Low', '2026-11-01 00:00:00', '2026-11-01 00:00:00' FROM n
              """, name, count, spreadScores);
    }

    /// <summary>Every lead whose stored total differs from the sum of its entries (should always be empty).</summary>
    public async Task<IReadOnlyList<long>> LeadsWhoseTotalIsNotTheSumOfEntriesAsync()
    {
        await using var db = await NewContextAsync();
        return await db.Leads
            .Where(l => l.BehaviorPoints != (db.ScoreEntries.Where(e => e.LeadId == l.Id).Sum(e => (long?)e.Points) ?? 0))
            .Select(l => l.Id)
            .ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }
}
