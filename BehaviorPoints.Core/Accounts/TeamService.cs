using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Accounts;

/// <summary>A team with how many users and leads it has.</summary>
public sealed record TeamSummary(int Id, string Name, int Members, int Leads)
{
    /// <summary>The team a link names, by id or by name (any case); null when it names none of <paramref name="teams"/>.</summary>
    public static TeamSummary? Find(IEnumerable<TeamSummary> teams, string? idOrName)
    {
        if (string.IsNullOrWhiteSpace(idOrName))
        {
            return null;
        }
        var text = idOrName.Trim();
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? teams.FirstOrDefault(t => t.Id == id)
            : teams.FirstOrDefault(t => string.Equals(t.Name, text, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Lists, creates and renames teams.</summary>
public sealed class TeamService(IDbContextFactory<BehaviorPointsDbContext> dbFactory)
{
    public async Task<IReadOnlyList<TeamSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Teams.AsNoTracking()
            .OrderBy(t => t.Name)
            .Select(t => new TeamSummary(t.Id, t.Name, t.Members.Count, db.Leads.Count(l => l.TeamId == t.Id)))
            .ToListAsync(cancellationToken);
    }

    public async Task<TeamSummary> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        var trimmed = Validate(name);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Teams.AnyAsync(t => t.Name == trimmed, cancellationToken))
        {
            throw new ValidationFailedException("name", "A team named '{0}' already exists.", trimmed);
        }
        var team = new Team { Name = trimmed };
        db.Teams.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        return new TeamSummary(team.Id, team.Name, 0, 0);
    }

    public async Task RenameAsync(int id, string name, CancellationToken cancellationToken = default)
    {
        var trimmed = Validate(name);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var team = await db.Teams.FindAsync([id], cancellationToken) ?? throw new NotFoundException("That team no longer exists.");
        if (await db.Teams.AnyAsync(t => t.Id != id && t.Name == trimmed, cancellationToken))
        {
            throw new ValidationFailedException("name", "A team named '{0}' already exists.", trimmed);
        }
        team.Name = trimmed;
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Validate(string name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
        {
            throw new ValidationFailedException("name", "A team name is 1 to 100 characters.");
        }
        return trimmed;
    }
}
