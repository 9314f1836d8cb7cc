namespace BehaviorPoints.Tests.Support;

/// <summary>Waits for something another process or a background worker makes true, looking every 25 ms.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> done, string what, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Waited {seconds} s for {what}.");
            }
            await Task.Delay(25);
        }
    }
}
