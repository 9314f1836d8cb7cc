using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using BehaviorPoints.Core.Sqlite;
using BehaviorPoints.Core;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Tests.Support;

/// <summary>
/// Core services over a fresh, migrated SQLite file (the real provider, never EF's in-memory one), with a test clock.
/// One per test; the file is deleted on dispose.
/// </summary>
internal sealed class CoreDatabase : IAsyncDisposable
{
    private readonly string _path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"bp-test-{Guid.NewGuid():N}.db");
    private readonly ServiceProvider _services;

    private CoreDatabase()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddBehaviorPointsCore($"Data Source={_path}");
        services.AddIdentityCore<ApplicationUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<BehaviorPointsDbContext>();
        _services = services.BuildServiceProvider();
    }

    /// <summary>The database file.</summary>
    public string Path => _path;

    public TestClock Clock { get; } = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));

    public static async Task<CoreDatabase> CreateAsync()
    {
        var database = new CoreDatabase();
        await using var db = await database.NewContextAsync();
        await SqliteDatabase.MigrateAsync(db);
        return database;
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A new instance of a service, apart from the registered one (a worker after a restart, say).</summary>
    public T New<T>() where T : notnull => ActivatorUtilities.CreateInstance<T>(_services);

    public T Get<T>(Type type) => (T)_services.GetRequiredService(type);

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
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }
}
