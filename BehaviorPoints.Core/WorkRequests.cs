namespace BehaviorPoints.Core;

/// <summary>
/// Wakes a background worker: <see cref="Request"/> after something gave it work, <see cref="WaitAsync"/> in the worker.
/// Requests made while one is already pending collapse into it (the worker does all there is to do per wake-up).
/// </summary>
public sealed class WorkRequests
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Request()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // One is pending already.
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken) => _pending.WaitAsync(cancellationToken);
}
