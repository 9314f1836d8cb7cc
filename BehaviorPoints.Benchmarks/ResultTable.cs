using System.Globalization;

namespace BehaviorPoints.Benchmarks;

/// <summary>One measured figure beside its target.</summary>
internal sealed record Figure(string Name, string Target, string Measured, double? Ratio, bool? Pass, string? Note = null);

/// <summary>A figure measured on both providers in the same run; the target and result are PostgreSQL's.</summary>
internal sealed record ComparedFigure(string Name, string Target, string Sqlite, string PostgreSql, double? Ratio, bool? Pass);

/// <summary>Prints the figures as a Markdown table (ready for the README) and whether every target was met.</summary>
internal static class ResultTable
{
    public static void Print(IReadOnlyList<Figure> figures, BenchmarkSizes sizes, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"BehaviorPoints benchmark, {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, .NET {Environment.Version}");
        output.WriteLine($"sizes: {sizes.IngestLeads:N0} leads / {sizes.IngestEvents:N0} events / {sizes.IngestRules} rules for ingest; {sizes.QueryLeads:N0} leads / {sizes.QueryEntries:N0} entries for queries");
        output.WriteLine();
        output.WriteLine("| figure | target | measured | ratio | result |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var f in figures)
        {
            var ratio = f.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "";
            var result = f.Pass switch { true => "pass", false => "FAIL", null => "n/a" };
            output.WriteLine($"| {f.Name} | {f.Target} | {f.Measured} | {ratio} | {result}{(f.Note is null ? "" : " — " + f.Note)} |");
        }
        output.WriteLine();
    }

    public static void PrintCompared(IReadOnlyList<ComparedFigure> figures, TextWriter output)
    {
        if (figures.Count == 0)
        {
            return;
        }
        output.WriteLine("PostgreSQL beside SQLite, same run and sizes:");
        output.WriteLine();
        output.WriteLine("| figure | target | SQLite | PostgreSQL | ratio | result |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var f in figures)
        {
            var ratio = f.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "";
            var result = f.Pass switch { true => "pass", false => "FAIL", null => "n/a" };
            output.WriteLine($"| {f.Name} | {f.Target} | {f.Sqlite} | {f.PostgreSql} | {ratio} | {result} |");
        }
        output.WriteLine();
    }
}
