namespace BehaviorPoints.Core.Persistence;

/// <summary>
/// Serializes the ledger's write transactions in this process. SQLite allows one writer at a time; queueing here
/// instead of in SQLite's busy handler keeps a read-then-write transaction from failing when another writer commits
/// between its read and its write. Background catch-up work (the fading worker) enters with
/// <see cref="EnterBackgroundAsync"/>, which lets writers already waiting go first, so it never stands in ingest's way
/// for long.
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private int _foregroundWaiting;
    private long _lastForegroundEntry = long.MinValue / 2;

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _foregroundWaiting);
        try
        {
            await _semaphore.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _foregroundWaiting);
        }
        Volatile.Write(ref _lastForegroundEntry, Environment.TickCount64);
        return new Releaser(_semaphore);
    }

    /// <summary>
    /// Enters for background work: while other writers are waiting it lets them go first, for at most
    /// <paramref name="maxYield"/>, so a steady stream of requests cannot starve it either.
    /// </summary>
    public async Task<IDisposable> EnterBackgroundAsync(TimeSpan maxYield, CancellationToken cancellationToken = default)
    {
        var until = Environment.TickCount64 + (long)maxYield.TotalMilliseconds;
        while (true)
        {
            await _semaphore.WaitAsync(cancellationToken);
            if (Volatile.Read(ref _foregroundWaiting) == 0 || Environment.TickCount64 >= until)
            {
                return new Releaser(_semaphore);
            }
            // Hand the gate to the writer that waits and queue up behind it.
            _semaphore.Release();
        }
    }

    /// <summary>Whether a foreground writer entered within the last <paramref name="window"/> (background work then keeps its transactions short).</summary>
    public bool ForegroundWithin(TimeSpan window) => Environment.TickCount64 - Volatile.Read(ref _lastForegroundEntry) < (long)window.TotalMilliseconds;

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
