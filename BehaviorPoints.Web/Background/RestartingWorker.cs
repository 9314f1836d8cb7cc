namespace BehaviorPoints.Web.Background;

/// <summary>
/// A hosted service that runs <see cref="RunOnceAsync"/> again and again until the app stops; a failure is logged and
/// the next run starts after a pause.
/// </summary>
internal abstract partial class RestartingWorker(ILogger logger) : BackgroundService
{
    private static readonly TimeSpan s_pauseAfterFailure = TimeSpan.FromSeconds(5);

    /// <summary>What the log calls this worker.</summary>
    protected abstract string Name { get; }

    /// <summary>One run; returns when it should run again.</summary>
    protected abstract Task RunOnceAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Failed(logger, exception, Name);
                await Task.Delay(s_pauseAfterFailure, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Worker} failed; retrying in 5 seconds.")]
    private static partial void Failed(ILogger logger, Exception exception, string worker);
}
