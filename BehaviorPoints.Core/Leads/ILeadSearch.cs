using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;

namespace BehaviorPoints.Core.Leads;

/// <summary>The lead list's text search; each database provider indexes name, company and email its own way.</summary>
public interface ILeadSearch
{
    /// <summary>Leads whose name, company or email contains <paramref name="text"/>, ignoring case.</summary>
    IQueryable<Lead> Matching(IQueryable<Lead> leads, BehaviorPointsDbContext db, string text);
}
