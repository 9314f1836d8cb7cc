using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace BehaviorPoints.Tests.Support;

/// <summary>
/// A hash of every row of every table of a database, table by table, so a comparison says which tables changed. Rows are
/// hashed in a sorted order, so the same rows read in another order hash the same. The ignored columns
/// ("Table.Column") leaves out what may change without anything being stored on a reader's behalf (an API key's last
/// use, say).
/// </summary>
internal sealed record DatabaseFingerprint(IReadOnlyDictionary<string, string> Tables)
{
    public static async Task<DatabaseFingerprint> OfAsync(DbContext db, IReadOnlySet<string> ignoredColumns)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            var connection = db.Database.GetDbConnection();
            var tables = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = TestDatabase.OnPostgres
                    ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
                await using var reader = await list.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var table in tables)
            {
                await using var select = connection.CreateCommand();
                // The names come from the database's own catalog.
                select.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await select.ExecuteReaderAsync();
                var kept = Enumerable.Range(0, reader.FieldCount).Where(i => !ignoredColumns.Contains($"{table}.{reader.GetName(i)}")).ToList();
                var rows = new List<string>();
                while (await reader.ReadAsync())
                {
                    rows.Add(string.Join('\u001f', kept.Select(i => Show(reader.GetValue(i)))));
                }
                rows.Sort(StringComparer.Ordinal);
                hashes[table] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001e', rows))));
            }
            return new DatabaseFingerprint(hashes);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The tables whose rows differ between the two (or that only one has).</summary>
    public IReadOnlyList<string> ChangedSince(DatabaseFingerprint before) =>
        [.. Tables.Keys.Union(before.Tables.Keys).Where(t => Tables.GetValueOrDefault(t) != before.Tables.GetValueOrDefault(t)).Order(StringComparer.Ordinal)];

    private static string Show(object value) => value switch
    {
        DBNull => "\u2400",
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
