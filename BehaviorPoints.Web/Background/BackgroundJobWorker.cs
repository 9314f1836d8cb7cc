using BehaviorPoints.Core;

namespace BehaviorPoints.Web.Background;

/// <summary>
/// Runs one <see cref="BackgroundJob"/> at start (finishing what a restart interrupted), again whenever it is asked
/// for, and every <see cref="BackgroundJob.PollInterval"/> besides, so that a job another app instance was running when it died is taken over once
/// its lease runs out; a failure is logged and retried after a pause.
/// </summary>
internal sealed partial class BackgroundJobWorker<TJob>(TJob job, ILogger<TJob> logger) : RestartingWorker(logger)
    where TJob : BackgroundJob
{
    protected override string Name => job.Name;

    protected override async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        var handled = await job.RunAsync(stoppingToken);
        if (handled > 0)
        {
            JobDone(logger, job.Name, handled);
        }
        await job.WaitForRequestAsync(job.PollInterval, stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job}: {Count} handled.")]
    private static partial void JobDone(ILogger logger, string job, int count);
}
