using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BehaviorPoints.Core.PostgreSql;

/// <summary>The context on PostgreSQL: the same model, with migrations of its own (in <c>PostgreSql/Migrations</c>).</summary>
public sealed class PostgreSqlDbContext(DbContextOptions<PostgreSqlDbContext> options) : BehaviorPointsDbContext(options)
{
    /// <summary>Text that compares ignoring case (and accents' case), as SQLite's NOCASE does for team names.</summary>
    public const string CaseInsensitive = "case_insensitive";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasCollation(CaseInsensitive, locale: "und-u-ks-level2", provider: "icu", deterministic: false);
        builder.Entity<Team>().Property(t => t.Name).UseCollation(CaseInsensitive);

        // The lead list breaks ties by id. A SQLite index ends in the row id, so it serves "by last activity, then id"
        // as it is; a PostgreSQL index must name the id, or a page sorted by last activity (many leads share a time) or
        // by score ascending sorts every tie first: 430 and 190 ms over a million leads, against under a millisecond.
        var lead = builder.Entity<Lead>();
        foreach (var sorted in new[] { nameof(Lead.BehaviorPoints), nameof(Lead.LastActivityAt) })
        {
            lead.Metadata.RemoveIndex([lead.Metadata.FindProperty(sorted)!]);
            lead.HasIndex(sorted, nameof(Lead.Id));
        }
    }
}

/// <summary>
/// Lets <c>dotnet ef migrations add ... --context PostgreSqlDbContext --output-dir PostgreSql/Migrations</c> build the
/// model without a server (adding a migration never connects).
/// </summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlDbContext>
{
    public PostgreSqlDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlDbContext>().UseNpgsql("Host=localhost;Database=behaviorpoints").Options);
}
