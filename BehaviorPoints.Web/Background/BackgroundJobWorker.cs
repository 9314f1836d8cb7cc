using BehaviorPoints.Core;

namespace BehaviorPoints.Web.Background;

/// <summary>
/// Runs one <see cref="BackgroundJob"/> at start (finishing what a restart interrupted) and again whenever it is asked
/// for; a failure is logged and retried after a pause.
/// </summary>
internal sealed class BackgroundJobWorker<TJob>(TJob job, ILogger<TJob> logger) : BackgroundService
    where TJob : BackgroundJob
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var handled = await job.RunAsync(stoppingToken);
                if (handled > 0)
                {
                    logger.JobDone(job.Name, handled);
                }
                await job.WaitForRequestAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.JobFailed(exception, job.Name);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}

internal static partial class BackgroundJobLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Job}: {Count} leads done.")]
    public static partial void JobDone(this ILogger logger, string job, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Job} failed; retrying in 5 seconds.")]
    public static partial void JobFailed(this ILogger logger, Exception exception, string job);
}
