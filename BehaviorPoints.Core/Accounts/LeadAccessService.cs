using System.Security.Claims;
using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Accounts;

/// <summary>Works out a signed-in user's <see cref="LeadAccess"/>: everything for Managers and Administrators, their teams for Sales.</summary>
public sealed class LeadAccessService(IDbContextFactory<BehaviorPointsDbContext> dbFactory)
{
    /// <summary>The access of a signed-in principal (its user id and role claims); none when it has no user id.</summary>
    public Task<LeadAccess> ForPrincipalAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
            ? ForUserAsync(userId, user.FindAll(ClaimTypes.Role).Select(c => c.Value), cancellationToken)
            : Task.FromResult(LeadAccess.Teams([]));

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
