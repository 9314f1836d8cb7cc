using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace BehaviorPoints.Benchmarks;

/// <summary>
/// CPU time (user + system) that processes used during a stretch of a run, from Linux's <c>/proc</c>: the app
/// processes, the PostgreSQL server and the benchmark's own senders. Beside the wall-clock figure it says whether a
/// throughput is bounded by the machine's cores (their CPU adds up to what the cores have) or by waiting.
/// </summary>
internal static class CpuTime
{
    // /proc/[pid]/stat counts in clock ticks; Linux reports 100 per second on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    public static TimeSpan OfThisProcess() => Of(Process.GetCurrentProcess());

    /// <summary>The postmaster of the server behind <paramref name="connectionString"/> (the parent of a backend).</summary>
    public static async Task<int> PostmasterAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        return Stat(backend)?.ParentId ?? throw new InvalidOperationException("The PostgreSQL server is not on this machine; its CPU time cannot be read.");
    }

    /// <summary>
    /// The whole PostgreSQL server: the postmaster, the children it has reaped (backends that ended) and the children
    /// running now (backends, WAL writer, checkpointer).
    /// </summary>
    public static TimeSpan OfPostgres(int postmaster)
    {
        var ticks = Stat(postmaster) is { } own ? own.Ticks + own.ReapedChildrenTicks : 0;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid) && Stat(pid) is { } child && child.ParentId == postmaster)
            {
                ticks += child.Ticks;
            }
        }
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private sealed record ProcessStat(int ParentId, long Ticks, long ReapedChildrenTicks);

    // Fields after the command name (which may hold spaces, hence the last ')'): state, ppid, ..., utime (14th field),
    // stime, cutime, cstime.
    private static ProcessStat? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null; // ended meanwhile
        }
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcessStat((int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
    }
}

/// <summary>CPU milliseconds per 1,000 events of a batched-ingest run: the app instances, the database server (PostgreSQL; SQLite is inside the app) and the senders.</summary>
internal sealed record BatchCpu(double AppMs, double DatabaseMs, double SendersMs)
{
    public double TotalMs => AppMs + DatabaseMs + SendersMs;

    public static BatchCpu Per1000(int events, TimeSpan app, TimeSpan database, TimeSpan senders) =>
        new(app.TotalMilliseconds * 1000 / events, database.TotalMilliseconds * 1000 / events, senders.TotalMilliseconds * 1000 / events);
}
