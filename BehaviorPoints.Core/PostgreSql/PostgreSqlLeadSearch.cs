using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.PostgreSql;

/// <summary>
/// The lead list's text search on PostgreSQL: ILIKE on name, company and email. The index is <c>LeadSearchText</c>, a copy
/// of the three columns kept in step by triggers on <c>Leads</c>, each with a trigram (pg_trgm) GIN index, so "contains,
/// ignoring case" is an index look-up for terms of three characters or more. Tested lead by lead, the same ILIKE reads the
/// lead's own columns, which hold the same text.
/// </summary>
internal sealed class PostgreSqlLeadSearch : ILeadSearch
{
    public IQueryable<long> MatchingIds(BehaviorPointsDbContext db, string text)
    {
        var pattern = LikePattern.Containing(text.Trim());
        return db.Database.SqlQuery<long>($"""
            SELECT "LeadId" AS "Value" FROM "LeadSearchText"
            WHERE "Name" ILIKE {pattern} OR "Company" ILIKE {pattern} OR "Email" ILIKE {pattern}
            """);
    }

    public IQueryable<Lead> EachMatching(IQueryable<Lead> leads, BehaviorPointsDbContext db, string text)
    {
        var pattern = LikePattern.Containing(text.Trim());
        return leads.Where(l => EF.Functions.ILike(l.Name, pattern, "\\")
            || (l.Company != null && EF.Functions.ILike(l.Company, pattern, "\\"))
            || (l.Email != null && EF.Functions.ILike(l.Email, pattern, "\\")));
    }
}
