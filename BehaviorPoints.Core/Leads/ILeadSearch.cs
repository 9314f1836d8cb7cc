using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Persistence;

namespace BehaviorPoints.Core.Leads;

/// <summary>
/// The lead list's text search: leads whose name, company or email contains a text, ignoring case. Each database
/// provider indexes the text its own way and offers the two shapes a search takes (see <see cref="LeadQueries"/>).
/// </summary>
public interface ILeadSearch
{
    /// <summary>The ids of the matching leads as the text index finds them, in no particular order; a query that stops early reads only as many as it needs.</summary>
    IQueryable<long> MatchingIds(BehaviorPointsDbContext db, string text);

    /// <summary>
    /// <paramref name="leads"/> kept when they match, tested one lead at a time as a query walks them in its order, for a
    /// text many leads contain: a page in score order then meets its matches within a few rows instead of gathering
    /// every match and sorting them.
    /// </summary>
    IQueryable<Lead> EachMatching(IQueryable<Lead> leads, BehaviorPointsDbContext db, string text);
}
