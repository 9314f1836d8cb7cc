namespace BehaviorPoints.Core.Persistence;

/// <summary>
/// Serializes the ledger's write transactions in this process. SQLite allows one writer at a time; queueing here
/// instead of in SQLite's busy handler keeps a read-then-write transaction from failing when another writer commits
/// between its read and its write.
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        await _semaphore.WaitAsync(cancellationToken);
        return new Releaser(_semaphore);
    }

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
