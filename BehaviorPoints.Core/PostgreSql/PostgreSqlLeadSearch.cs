using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.PostgreSql;

/// <summary>
/// The lead list's text search on PostgreSQL: ILIKE on name, company and email in <c>LeadSearchText</c> (kept in step
/// by triggers on <c>Leads</c>), each column with a trigram (pg_trgm) GIN index, so "contains, ignoring case" is an
/// index look-up for terms of three characters or more.
/// </summary>
internal sealed class PostgreSqlLeadSearch : ILeadSearch
{
    public IQueryable<Lead> Matching(IQueryable<Lead> leads, BehaviorPointsDbContext db, string text)
    {
        var pattern = "%" + text.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        var ids = db.Database.SqlQuery<long>($"""
            SELECT "LeadId" AS "Value" FROM "LeadSearchText"
            WHERE "Name" ILIKE {pattern} OR "Company" ILIKE {pattern} OR "Email" ILIKE {pattern}
            """);
        return leads.Where(l => ids.Contains(l.Id));
    }
}
