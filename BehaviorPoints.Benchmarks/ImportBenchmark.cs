using System.Diagnostics;
using System.Text;
using BehaviorPoints.Core.Accounts;
using BehaviorPoints.Core.Leads;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace BehaviorPoints.Benchmarks;

/// <summary>
/// A CSV import of N leads through the same Core service the import dialog calls (preview, then import in batches of
/// <see cref="LeadCsv.RowsPerTransaction"/> rows per transaction), beside the reference measured in the same run: the
/// same kind of rows created one transaction per row, as the import did before.
/// </summary>
internal static class ImportBenchmark
{
    public sealed record Result(int Rows, double PreviewSeconds, double ImportSeconds, double RowsPerSecond, int ReferenceRows, double ReferenceRowsPerSecond);

    public static async Task<Result> RunAsync(string folder, BenchmarkSizes sizes)
    {
        var path = Path.Combine(folder, "import.db");
        await using var services = await BenchmarkData.NewDatabaseAsync(path);
        var csv = services.GetRequiredService<LeadCsv>();
        var teams = new[] { "North", "South", "East" };

        var file = new StringBuilder("name,company,email,team,industry,region\n");
        for (var i = 0; i < sizes.ImportRows; i++)
        {
            file.Append($"Lead {i},Company {i % 5000},lead{i}@import.example,{teams[i % teams.Length]},{(i % 2 == 0 ? "Software" : "Retail")},Europe\n");
        }
        var bytes = Encoding.UTF8.GetBytes(file.ToString());

        var watch = Stopwatch.StartNew();
        var preview = await csv.PreviewAsync(new MemoryStream(bytes), LeadAccess.All);
        var previewSeconds = watch.Elapsed.TotalSeconds;
        if (preview.ValidCount != sizes.ImportRows)
        {
            throw new InvalidOperationException($"The preview found {preview.ValidCount} valid rows of {sizes.ImportRows}: {string.Join("; ", preview.FileErrors)}");
        }
        watch.Restart();
        var result = await csv.ImportAsync(preview, LeadAccess.All);
        var importSeconds = watch.Elapsed.TotalSeconds;
        if (result.Created != sizes.ImportRows)
        {
            throw new InvalidOperationException($"The import created {result.Created} leads of {sizes.ImportRows}.");
        }

        // The reference: rows of the same shape, one transaction each (into the same, now populated, database).
        var commands = services.GetRequiredService<LeadCommands>();
        var referenceRows = Math.Min(2_000, sizes.ImportRows);
        watch.Restart();
        for (var i = 0; i < referenceRows; i++)
        {
            await commands.CreateAsync(new LeadInput { Name = $"One by one {i}", Company = "Reference", Email = $"one{i}@import.example", Team = teams[i % teams.Length], Industry = "Software", Region = "Europe" }, LeadAccess.All);
        }
        var referenceSeconds = watch.Elapsed.TotalSeconds;
        SqliteConnection.ClearAllPools();
        return new Result(sizes.ImportRows, previewSeconds, importSeconds, sizes.ImportRows / importSeconds, referenceRows, referenceRows / referenceSeconds);
    }
}
