using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Leads;

/// <summary>Works out a signed-in user's <see cref="LeadAccess"/>: everything for Managers and Administrators, their teams for Sales.</summary>
public sealed class LeadAccessService(IDbContextFactory<BehaviorPointsDbContext> dbFactory)
{
    public async Task<LeadAccess> ForUserAsync(string userId, IEnumerable<string> roles, CancellationToken cancellationToken = default)
    {
        if (roles.Any(r => r is Roles.Administrator or Roles.Manager))
        {
            return LeadAccess.All;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return LeadAccess.Teams(await UserAdministration.TeamIdsOfAsync(db, userId, cancellationToken));
    }
}
