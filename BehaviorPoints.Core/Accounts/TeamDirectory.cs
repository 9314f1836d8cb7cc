using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Accounts;

/// <summary>Finds teams by name, creating a team the first time a name is used.</summary>
public static class TeamDirectory
{
    public static async Task<Team> GetOrCreateAsync(BehaviorPointsDbContext db, string name, CancellationToken cancellationToken = default)
    {
        var trimmed = name.Trim();
        var team = db.Teams.Local.FirstOrDefault(t => string.Equals(t.Name, trimmed, StringComparison.OrdinalIgnoreCase))
            ?? await db.Teams.FirstOrDefaultAsync(t => t.Name == trimmed, cancellationToken);
        if (team is null)
        {
            team = new Team { Name = trimmed };
            db.Teams.Add(team);
            await db.SaveChangesAsync(cancellationToken);
        }
        return team;
    }
}
