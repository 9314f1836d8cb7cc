using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Persistence;

/// <summary>Creates and migrates the database on start and switches the file to WAL journaling.</summary>
public static class DatabaseInitializer
{
    public static async Task MigrateAsync(BehaviorPointsDbContext db, CancellationToken cancellationToken = default)
    {
        await db.Database.MigrateAsync(cancellationToken);
        // WAL is a property of the file: set once, it holds for every later connection.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
