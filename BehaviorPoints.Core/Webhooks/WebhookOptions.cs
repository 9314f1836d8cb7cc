namespace BehaviorPoints.Core.Webhooks;

/// <summary>The <c>Webhooks</c> section of the settings.</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// Lets endpoints on loopback, link-local and private addresses be registered and reached: for tests and for
    /// installations whose receivers live on the company network. Off by default, so the app cannot be used to reach
    /// what sits behind its firewall.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long one attempt may take, answer included (SPEC §11: 15 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The waits before each retry after a failed attempt (SPEC §11), each with up to a tenth of jitter; after the last
    /// one fails the message has failed for good.
    /// </summary>
    public TimeSpan[] RetrySchedule { get; set; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5),
        TimeSpan.FromHours(10), TimeSpan.FromHours(14), TimeSpan.FromHours(20), TimeSpan.FromHours(24),
    ];

    /// <summary>An endpoint failing without one success for this long is disabled (its admin page warns after a day).</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How many requests one endpoint gets at once (each lead's messages still go one after another).</summary>
    public int ConcurrencyPerEndpoint { get; set; } = 32;

    /// <summary>How long a rotated-out secret keeps signing beside the new one, so receivers can switch without a gap.</summary>
    public TimeSpan RotationOverlap { get; set; } = TimeSpan.FromHours(24);
}
