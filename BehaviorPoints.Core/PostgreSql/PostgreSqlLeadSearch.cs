using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.PostgreSql;

/// <summary>
/// The lead list's text search on PostgreSQL: ILIKE on name, company and email, each with a trigram (pg_trgm) GIN index,
/// so "contains, ignoring case" is an index look-up for terms of three characters or more.
/// </summary>
internal sealed class PostgreSqlLeadSearch : ILeadSearch
{
    public IQueryable<Lead> Matching(IQueryable<Lead> leads, BehaviorPointsDbContext db, string text)
    {
        var pattern = "%" + text.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        return leads.Where(l => EF.Functions.ILike(l.Name, pattern, "\\")
            || (l.Company != null && EF.Functions.ILike(l.Company, pattern, "\\"))
            || (l.Email != null && EF.Functions.ILike(l.Email, pattern, "\\")));
    }
}
