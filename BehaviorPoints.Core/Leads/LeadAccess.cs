namespace BehaviorPoints.Core.Leads;

/// <summary>
/// Which leads someone may see: everything (Managers, Administrators, admin API keys) or the leads of their teams
/// (Sales). Every lead query goes through <see cref="LeadAccessExtensions.VisibleTo"/>.
/// </summary>
public sealed record LeadAccess(bool SeesAll, IReadOnlyList<int> TeamIds)
{
    public static LeadAccess All { get; } = new(true, []);

    public static LeadAccess Teams(IEnumerable<int> teamIds) => new(false, teamIds.ToList());
}

/// <summary>The one place the "Sales sees their teams' leads" rule is applied.</summary>
public static class LeadAccessExtensions
{
    public static IQueryable<Lead> VisibleTo(this IQueryable<Lead> leads, LeadAccess access)
    {
        if (access.SeesAll)
        {
            return leads;
        }
        var teamIds = access.TeamIds;
        return leads.Where(l => l.TeamId != null && teamIds.Contains(l.TeamId.Value));
    }
}
