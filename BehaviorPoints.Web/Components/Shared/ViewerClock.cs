using Microsoft.JSInterop;

namespace BehaviorPoints.Web.Components.Shared;

/// <summary>
/// The signed-in viewer's time zone offset, asked of the browser once per circuit, so times show as the viewer's
/// local time. Before the circuit is interactive (prerendering) times show in UTC.
/// </summary>
internal sealed class ViewerClock(IJSRuntime js)
{
    private TimeSpan? _offset;

    public async Task EnsureLoadedAsync()
    {
        if (_offset is not null)
        {
            return;
        }
        try
        {
            // getTimezoneOffset is minutes *behind* UTC (e.g. -480 for UTC+8).
            var minutes = await js.InvokeAsync<int>("behaviorPoints.timezoneOffset");
            _offset = TimeSpan.FromMinutes(-minutes);
        }
        catch (Exception exception) when (exception is InvalidOperationException or JSException or JSDisconnectedException or TaskCanceledException)
        {
            // Prerendering has no browser to ask; UTC until the circuit connects.
        }
    }

    public DateTime ToViewer(DateTime utc) => DateTime.SpecifyKind(utc + (_offset ?? TimeSpan.Zero), DateTimeKind.Unspecified);
}
