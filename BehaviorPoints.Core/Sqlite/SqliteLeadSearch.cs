using BehaviorPoints.Core.Domain;
using BehaviorPoints.Core.Leads;
using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Sqlite;

/// <summary>
/// The lead list's text search on SQLite. Name, company and email live in an FTS5 table with the trigram tokenizer
/// (kept in step by triggers on <c>Leads</c>), so "contains, ignoring case" is an index look-up instead of a scan of
/// every lead. Terms shorter than three characters have no trigram and fall back to LIKE.
/// </summary>
internal sealed class SqliteLeadSearch : ILeadSearch
{
    public IQueryable<Lead> Matching(IQueryable<Lead> leads, BehaviorPointsDbContext db, string text)
    {
        var term = text.Trim();
        if (term.Length >= 3)
        {
            // A quoted FTS5 string is a phrase of the term's trigrams: a substring match. Quotes inside are doubled.
            var phrase = "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            var ids = db.Database.SqlQuery<long>($"SELECT rowid AS \"Value\" FROM \"LeadSearch\" WHERE \"LeadSearch\" MATCH {phrase}");
            return leads.Where(l => ids.Contains(l.Id));
        }
        var pattern = "%" + term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        return leads.Where(l => EF.Functions.Like(l.Name, pattern, "\\")
            || (l.Company != null && EF.Functions.Like(l.Company, pattern, "\\"))
            || (l.Email != null && EF.Functions.Like(l.Email, pattern, "\\")));
    }
}
