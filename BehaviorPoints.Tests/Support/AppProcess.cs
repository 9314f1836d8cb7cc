using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BehaviorPoints.Core.Persistence;

namespace BehaviorPoints.Tests.Support;

/// <summary>BehaviorPoints.Web started as operators start it, over the test's database, with settings as environment variables.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Uri _address;

    private AppProcess(Process process, Uri address) => (_process, _address) = (process, address);

    /// <summary>Where the app listens.</summary>
    public Uri Address => _address;

    /// <summary>The app's process id (lease holders name it).</summary>
    public int ProcessId => _process.Id;

    public static async Task<AppProcess> StartAsync(DatabaseSettings database, IReadOnlyDictionary<string, string>? settings = null)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "BehaviorPoints.Web.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = database.Provider.ToString();
        start.Environment["ConnectionStrings__Default"] = database.ConnectionString;
        start.Environment["Demo__Seed"] = "false";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
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
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var probe = new HttpClient { BaseAddress = app._address };
            (await probe.GetAsync("/healthz")).EnsureSuccessStatusCode();
            return app;
        }
        catch (Exception exception) when (exception is TimeoutException or HttpRequestException or InvalidOperationException)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException("The app did not start within 60 s, or started unhealthy.", exception);
        }
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = _address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>SIGKILL: no shutdown, no flushing, like a power cut for the process.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
