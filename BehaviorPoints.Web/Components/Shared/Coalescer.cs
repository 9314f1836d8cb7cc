namespace BehaviorPoints.Web.Components.Shared;

/// <summary>
/// Runs an action at most once per interval however often it is asked for: the first request of a quiet spell starts
/// the interval, and the action runs once at its end, covering every request made meanwhile. A lead page uses it so a
/// burst of scored batches refreshes its entry list once, not once per batch.
/// </summary>
internal sealed class Coalescer(TimeProvider clock, TimeSpan interval, Func<Task> action) : IDisposable
{
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>Asks for the action; it runs within <c>interval</c>, once for all requests until then.</summary>
    public void Request()
    {
        lock (_gate)
        {
            if (_timer is null && !_disposed)
            {
                _timer = clock.CreateTimer(_ => Fire(), null, interval, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Fire()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            if (_disposed)
            {
                return;
            }
        }
        // The action reports its own failures (components hand them to their circuit).
        _ = action();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }
}
