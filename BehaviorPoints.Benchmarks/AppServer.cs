using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BehaviorPoints.Core.Persistence;

namespace BehaviorPoints.Benchmarks;

/// <summary>The real BehaviorPoints.Web process on a loopback port over a given database, as operators run it.</summary>
internal sealed class AppServer : IAsyncDisposable
{
    private readonly Process _process;

    private AppServer(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static Task<AppServer> StartAsync(string databasePath, IReadOnlyDictionary<string, string>? settings = null) =>
        StartAsync(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={databasePath}"), settings);

    /// <summary>Starts the app over <paramref name="database"/>, with more <paramref name="settings"/> as environment variables (<c>Webhooks__AllowPrivateNetworks</c>).</summary>
    public static async Task<AppServer> StartAsync(DatabaseSettings database, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "BehaviorPoints.Web.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = database.Provider.ToString();
        start.Environment["ConnectionStrings__Default"] = database.ConnectionString;
        start.Environment["Demo__Seed"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
        // The app prints where it listens once it has started (migrations applied, hosted services running).
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("BehaviorPoints is running at", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException($"The app exited with code {process.ExitCode} before it started."));
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("app: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new AppServer(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var client = new HttpClient { BaseAddress = server.Address };
            (await client.GetAsync("/healthz")).EnsureSuccessStatusCode();
            return server;
        }
        catch (Exception exception) when (exception is TimeoutException or HttpRequestException or InvalidOperationException)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("The app did not start within 60 s, or started unhealthy.", exception);
        }
    }

    /// <summary>The server process's resident memory now, in MiB (Linux /proc).</summary>
    public double ResidentMiB()
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The CPU time the server process has used so far.</summary>
    public TimeSpan CpuTime() => Benchmarks.CpuTime.Of(_process);

    /// <summary>Samples <see cref="ResidentMiB"/> every 100 ms until cancelled; returns the peak.</summary>
    public async Task<double> PeakResidentMiBAsync(CancellationToken stop)
    {
        var peak = 0.0;
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, ResidentMiB());
            try { await Task.Delay(100, stop); } catch (TaskCanceledException) { break; }
        }
        return Math.Max(peak, ResidentMiB());
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
