using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Leads;

/// <summary>Works out a signed-in user's <see cref="LeadAccess"/>: everything for Managers and Administrators, their teams for Sales.</summary>
public sealed class LeadAccessService(IDbContextFactory<BehaviorPointsDbContext> dbFactory)
{
    public async Task<LeadAccess> ForUserAsync(string userId, IEnumerable<string> roles, CancellationToken cancellationToken = default)
    {
        var roleList = roles.ToList();
        if (roleList.Contains(Roles.Administrator))
        {
            return LeadAccess.All;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var teams = await UserAdministration.TeamIdsOfAsync(db, userId, cancellationToken);
        return roleList.Contains(Roles.Manager) ? new LeadAccess(true, teams) : LeadAccess.Teams(teams);
    }
}
