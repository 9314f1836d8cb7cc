using System.Diagnostics;

namespace BehaviorPoints.Benchmarks;

/// <summary>
/// The PostgreSQL server the benchmark runs against: one given with <c>--postgres</c>, or a throwaway cluster started
/// (and removed afterwards) with the repository's <c>scripts/throwaway-postgres.sh</c>, in its durable setting.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string? _script;
    private readonly string? _folder;

    private PostgresCluster(string connectionString, string? script, string? folder)
    {
        ConnectionString = connectionString;
        _script = script;
        _folder = folder;
    }

    public string ConnectionString { get; }

    public static PostgresCluster Existing(string connectionString) => new(connectionString, null, null);

    public static async Task<PostgresCluster> StartAsync()
    {
        var script = FindScript();
        // A folder of its own under the temporary folder: the server runs as the postgres user, which must reach it.
        var folder = Directory.CreateTempSubdirectory("behaviorpoints-postgres-").FullName;
        var (code, output) = await RunAsync(script, "start", folder, "durable");
        if (code != 0)
        {
            throw new InvalidOperationException($"The throwaway PostgreSQL cluster did not start: {output}");
        }
        return new PostgresCluster(output.Trim().Split('\n')[^1], script, folder);
    }

    public async ValueTask DisposeAsync()
    {
        if (_script is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await RunAsync(_script, "stop", _folder!);
        }
    }

    private static string FindScript()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var script = Path.Combine(folder.FullName, "scripts", "throwaway-postgres.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }
        throw new InvalidOperationException("scripts/throwaway-postgres.sh was not found above the benchmark's folder; pass --postgres CONNECTION.");
    }

    private static async Task<(int Code, string Output)> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [script, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }
}
