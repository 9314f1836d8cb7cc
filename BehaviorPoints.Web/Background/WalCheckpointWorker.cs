using BehaviorPoints.Core.Persistence;

namespace BehaviorPoints.Web.Background;

/// <summary>Runs <see cref="WalCheckpoints"/> for the life of the app; a failure is logged and the loop restarted.</summary>
internal sealed partial class WalCheckpointWorker(WalCheckpoints checkpoints, ILogger<WalCheckpointWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await checkpoints.RunAsync(WalCheckpoints.DefaultInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                CheckpointFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Background WAL checkpoint failed; retrying in 5 seconds (commits checkpoint by themselves meanwhile).")]
    private partial void CheckpointFailed(Exception exception);
}
