using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BehaviorPoints.Core.Sqlite;

/// <summary>The context on the embedded SQLite file: the same model, with migrations of its own (in <c>Sqlite/Migrations</c>).</summary>
public sealed class SqliteDbContext(DbContextOptions<SqliteDbContext> options) : BehaviorPointsDbContext(options);

/// <summary>
/// Lets <c>dotnet ef migrations add ... --context SqliteDbContext --output-dir Sqlite/Migrations</c> build the model
/// without starting the app.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDbContext>
{
    public SqliteDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite("Data Source=behaviorpoints.db").Options);
}
