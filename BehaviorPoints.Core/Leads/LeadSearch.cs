using BehaviorPoints.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Core.Leads;

/// <summary>
/// The lead list's text search. Name, company and email live in an FTS5 table with the trigram tokenizer (kept in
/// step by triggers on <c>Leads</c>), so "contains, ignoring case" is an index look-up instead of a scan of every
/// lead. Terms shorter than three characters have no trigram and fall back to LIKE.
/// </summary>
public static class LeadSearch
{
    public const string Table = "LeadSearch";
    public const string InsertTrigger = "Leads_Search_Insert";
    public const string UpdateTrigger = "Leads_Search_Update";
    public const string DeleteTrigger = "Leads_Search_Delete";

    /// <summary>The SQL that creates the index and its triggers and fills it from the leads already there.</summary>
    public const string CreateSql = """
        CREATE VIRTUAL TABLE "LeadSearch" USING fts5("Name", "Company", "Email", content='Leads', content_rowid='Id', tokenize='trigram');
        INSERT INTO "LeadSearch"("LeadSearch") VALUES ('rebuild');
        CREATE TRIGGER "Leads_Search_Insert" AFTER INSERT ON "Leads" BEGIN
            INSERT INTO "LeadSearch"(rowid, "Name", "Company", "Email") VALUES (NEW."Id", NEW."Name", NEW."Company", NEW."Email");
        END;
        CREATE TRIGGER "Leads_Search_Delete" AFTER DELETE ON "Leads" BEGIN
            INSERT INTO "LeadSearch"("LeadSearch", rowid, "Name", "Company", "Email") VALUES ('delete', OLD."Id", OLD."Name", OLD."Company", OLD."Email");
        END;
        CREATE TRIGGER "Leads_Search_Update" AFTER UPDATE OF "Name", "Company", "Email" ON "Leads" BEGIN
            INSERT INTO "LeadSearch"("LeadSearch", rowid, "Name", "Company", "Email") VALUES ('delete', OLD."Id", OLD."Name", OLD."Company", OLD."Email");
            INSERT INTO "LeadSearch"(rowid, "Name", "Company", "Email") VALUES (NEW."Id", NEW."Name", NEW."Company", NEW."Email");
        END;
        """;

    public const string DropSql = """
        DROP TRIGGER IF EXISTS "Leads_Search_Insert";
        DROP TRIGGER IF EXISTS "Leads_Search_Delete";
        DROP TRIGGER IF EXISTS "Leads_Search_Update";
        DROP TABLE IF EXISTS "LeadSearch";
        """;

    /// <summary>Leads whose name, company or email contains <paramref name="text"/>, ignoring case.</summary>
    public static IQueryable<Lead> Matching(this IQueryable<Lead> leads, BehaviorPointsDbContext db, string text)
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
